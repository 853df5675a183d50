// A real fixgate with simulated venues around it, for one test: a temp dir, free ports, one exchange
// simulator per venue, a generated gateway.yaml, and the gateway itself - all stopped (by PID) and cleaned up
// when the object goes away. A failed test keeps the temp dir (logs, FIX message logs) and prints its path;
// FIXGATE_KEEP_TEST_DIRS=1 in the environment keeps it for passing tests too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "child_process.h"
#include "fix_client.h"
#include "gateway_options.h"

namespace fixgate::testing {

class GatewayUnderTest {
 public:
  explicit GatewayUnderTest(GatewayOptions options = {});
  ~GatewayUnderTest();
  GatewayUnderTest(const GatewayUnderTest&) = delete;
  GatewayUnderTest& operator=(const GatewayUnderTest&) = delete;

  // Starts the simulators, then the gateway, and waits (bounded by options.start_timeout) for
  // "fixgate ready" and "venue <NAME> logged on" for every venue. On failure the result carries the tail of
  // every process's log. Use as ASSERT_TRUE(gateway.start()).
  [[nodiscard]] ::testing::AssertionResult start();

  // A client on `begin_string` with CompID `sender_comp_id`, connected to the gateway and logged on.
  // Throws std::runtime_error (with the gateway's log tail) when it does not log on within 10 s.
  [[nodiscard]] std::unique_ptr<client::FixClient> connectClient(const std::string& begin_string,
                                                                 const std::string& sender_comp_id);

  [[nodiscard]] std::uint16_t clientPort() const { return client_port_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  // The port venue `name`'s simulator listens on (after start()); throws std::out_of_range for an unknown
  // venue. For tests that talk to a simulator directly (its --client-comp-id must allow them).
  [[nodiscard]] std::uint16_t venuePort(const std::string& name) const { return venue_ports_.at(name); }
  // The gateway's admin socket (<data_dir>/admin.sock) and the limits file named in its gateway.yaml.
  [[nodiscard]] std::filesystem::path adminSocket() const { return dir_ / "data" / "admin.sock"; }
  [[nodiscard]] std::filesystem::path limitsFile() const { return dir_ / "limits.yaml"; }
  // Sends `signal_number` to the gateway process by PID (e.g. SIGHUP: reload the limits file). False when the
  // gateway is not started or no longer running.
  [[nodiscard]] bool signalGateway(int signal_number);
  [[nodiscard]] const GatewayOptions& options() const { return options_; }

  // The gateway process; throws std::logic_error before start().
  [[nodiscard]] ChildProcess& gateway();
  // The simulator of venue `name`; throws std::out_of_range for an unknown venue.
  [[nodiscard]] ChildProcess& venue(const std::string& name);
  // Stops the simulator of venue `name` (SIGTERM, then SIGKILL), e.g. to take a venue down mid-test.
  void stopVenue(const std::string& name);

  // Crashes the gateway: SIGKILL by PID, then waits (bounded, 10 s) until it has exited. The simulators keep
  // running. Fails when the gateway was not started or did not exit in time.
  [[nodiscard]] ::testing::AssertionResult killGateway();
  // Starts the gateway again after it exited (killGateway(), or a signal): the same temp dir (data_dir,
  // journal), gateway.yaml (a test may have edited it) and ports, the simulators untouched. Waits like
  // start() for "fixgate ready" and every venue whose simulator runs (not those stopped by stopVenue) logged
  // on, in the new run's own log (fixgate.run-N.log; gateway() is then the new process, earlier runs stay in
  // diagnostics()). Fails when the gateway is still running. Use as ASSERT_TRUE(gateway.restartGateway()).
  [[nodiscard]] ::testing::AssertionResult restartGateway();

  // The tail of every process's log, for failure messages.
  [[nodiscard]] std::string diagnostics(std::size_t lines_per_process = 30) const;

 private:
  ::testing::AssertionResult startVenues(std::chrono::steady_clock::time_point deadline);
  ::testing::AssertionResult startGateway(std::chrono::steady_clock::time_point deadline);
  // Spawns the gateway on the written gateway.yaml, logging to `log_file`, and waits for it to be ready.
  ::testing::AssertionResult launchGateway(const std::filesystem::path& log_file,
                                           std::chrono::steady_clock::time_point deadline);

  GatewayOptions options_;
  std::filesystem::path dir_;
  std::uint16_t client_port_ = 0;
  std::map<std::string, std::uint16_t> venue_ports_;
  std::map<std::string, std::unique_ptr<ChildProcess>> venues_;
  std::unique_ptr<ChildProcess> gateway_;
  std::vector<std::unique_ptr<ChildProcess>> earlier_gateways_;  // runs before restartGateway(), exited
  bool start_failed_ = false;
};

}  // namespace fixgate::testing
