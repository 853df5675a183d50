#include "gateway_under_test.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <thread>

#include "gateway_config_writer.h"
#include "tcp_ports.h"
#include "temp_dir.h"

namespace fixgate::testing {
namespace {

std::filesystem::path gatewayBinary() {
  return FIXGATE_BINARY;
}
std::filesystem::path simulatorBinary() {
  return FIXGATE_EXCHANGE_SIM_BINARY;
}
std::filesystem::path dictionaryDir() {
  return std::filesystem::path(FIXGATE_SOURCE_DIR) / "fix_spec";
}

std::chrono::milliseconds remaining(std::chrono::steady_clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

std::string describeProcess(ChildProcess& process, std::size_t lines) {
  const auto status = process.exitStatus();
  return fmt::format("--- {} (pid {}, {}), log {}:\n{}\n", process.name(), process.pid(),
                     status ? fmt::format("exited with {}", *status) : std::string("running"),
                     process.logFile().string(), process.logTail(lines));
}

}  // namespace

GatewayUnderTest::GatewayUnderTest(GatewayOptions options)
    : options_(std::move(options)), dir_(makeTempDir("fixgate-it")) {}

GatewayUnderTest::~GatewayUnderTest() {
  // The gateway first, so it does not spend its last moments reconnecting to venues that went away.
  if (gateway_) gateway_->stop(std::chrono::seconds(10));
  for (auto& [name, process] : venues_) process->stop();
  if (::testing::Test::HasFailure()) {
    std::cerr << "test failed: keeping " << dir_.string() << " (gateway.yaml, process logs, FIX logs)\n";
    // A failed start() already showed the logs; otherwise show them now, ending with the shutdown.
    if (!start_failed_) std::cerr << diagnostics();
    return;
  }
  if (std::getenv("FIXGATE_KEEP_TEST_DIRS") != nullptr) {
    std::cerr << "FIXGATE_KEEP_TEST_DIRS set: keeping " << dir_.string() << "\n";
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

::testing::AssertionResult GatewayUnderTest::start() {
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  ::testing::AssertionResult started = ::testing::AssertionSuccess();
  try {
    started = startVenues(deadline);
    if (started) started = startGateway(deadline);
  } catch (const std::exception& e) {
    started = ::testing::AssertionFailure() << "cannot start the gateway under test: " << e.what() << "\n"
                                            << diagnostics();
  }
  start_failed_ = !started;
  return started;
}

::testing::AssertionResult GatewayUnderTest::startVenues(std::chrono::steady_clock::time_point deadline) {
  for (const VenueSpec& spec : options_.venues) {
    const std::uint16_t port = freeTcpPort();
    venue_ports_[spec.name] = port;
    std::vector<std::string> args{
        "--port",           std::to_string(port),     "--venue",    spec.name,
        "--client-comp-id", options_.gateway_comp_id, "--data-dir", (dir_ / "venues" / spec.name).string()};
    args.insert(args.end(), spec.sim_args.begin(), spec.sim_args.end());
    venues_[spec.name] =
        std::make_unique<ChildProcess>(spec.name, simulatorBinary(), args, dir_ / (spec.name + ".log"));
  }
  // The gateway connects to venues as soon as it starts; listening simulators make that first try count.
  for (const auto& [name, port] : venue_ports_) {
    if (!waitForListening(port, remaining(deadline))) {
      return ::testing::AssertionFailure()
             << "simulator " << name << " is not listening on port " << port << " within the start timeout\n"
             << diagnostics();
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult GatewayUnderTest::startGateway(std::chrono::steady_clock::time_point deadline) {
  client_port_ = freeTcpPort();
  writeGatewayConfig(options_, {.dir = dir_, .dictionary_dir = dictionaryDir()}, client_port_, venue_ports_);
  return launchGateway(dir_ / "fixgate.log", deadline);
}

::testing::AssertionResult GatewayUnderTest::launchGateway(const std::filesystem::path& log_file,
                                                           std::chrono::steady_clock::time_point deadline) {
  const auto config = dir_ / "gateway.yaml";
  gateway_ = std::make_unique<ChildProcess>("fixgate", gatewayBinary(),
                                            std::vector<std::string>{"--config", config.string()}, log_file);
  if (!gateway_->waitForOutput("fixgate ready", remaining(deadline))) {
    return ::testing::AssertionFailure() << "fixgate did not log 'fixgate ready' within "
                                         << options_.start_timeout.count() << " ms of starting\n"
                                         << diagnostics();
  }
  for (const VenueSpec& spec : options_.venues) {
    if (!venues_.at(spec.name)->running()) continue;  // stopped by the test (stopVenue): stays down
    const std::string line = fmt::format("venue {} logged on", spec.name);
    if (!gateway_->waitForOutput(line, remaining(deadline))) {
      return ::testing::AssertionFailure() << "fixgate did not log '" << line << "' within "
                                           << options_.start_timeout.count() << " ms of starting\n"
                                           << diagnostics();
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult GatewayUnderTest::killGateway() {
  if (!gateway_) return ::testing::AssertionFailure() << "killGateway(): the gateway is not started";
  if (!gateway_->running()) {
    return ::testing::AssertionFailure() << "killGateway(): the gateway had already exited\n"
                                         << diagnostics();
  }
  if (::kill(gateway_->pid(), SIGKILL) != 0) {
    return ::testing::AssertionFailure() << "killGateway(): kill(" << gateway_->pid() << ", SIGKILL) failed";
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (gateway_->running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return ::testing::AssertionFailure() << "killGateway(): the gateway (pid " << gateway_->pid()
                                           << ") did not exit within 10 s of SIGKILL";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult GatewayUnderTest::restartGateway() {
  if (!gateway_) return ::testing::AssertionFailure() << "restartGateway(): the gateway was never started";
  if (gateway_->running()) {
    return ::testing::AssertionFailure() << "restartGateway(): the gateway (pid " << gateway_->pid()
                                         << ") is still running; stop or kill it first";
  }
  earlier_gateways_.push_back(std::move(gateway_));
  const auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
  ::testing::AssertionResult started = ::testing::AssertionSuccess();
  try {
    started = launchGateway(dir_ / fmt::format("fixgate.run-{}.log", earlier_gateways_.size() + 1), deadline);
  } catch (const std::exception& e) {
    started = ::testing::AssertionFailure() << "cannot restart the gateway under test: " << e.what() << "\n"
                                            << diagnostics();
  }
  return started;
}

std::unique_ptr<client::FixClient> GatewayUnderTest::connectClient(const std::string& begin_string,
                                                                   const std::string& sender_comp_id) {
  client::ClientConfig config;
  config.host = "127.0.0.1";
  config.port = client_port_;
  config.sessions = {{begin_string, sender_comp_id, options_.gateway_comp_id}};
  config.data_dir = dir_ / "clients" / sender_comp_id;
  config.heartbeat_interval_s = options_.heartbeat_interval_s;
  auto client = std::make_unique<client::FixClient>(config);
  if (!client->waitLogon(std::chrono::seconds(10))) {
    throw std::runtime_error(
        fmt::format("client {} ({}) did not log on to the gateway on port {} within 10 s; "
                    "its FIX log is in {}\n{}",
                    sender_comp_id, begin_string, client_port_, config.data_dir.string(), diagnostics()));
  }
  return client;
}

ChildProcess& GatewayUnderTest::gateway() {
  if (!gateway_) throw std::logic_error("the gateway is not started");
  return *gateway_;
}

ChildProcess& GatewayUnderTest::venue(const std::string& name) {
  return *venues_.at(name);
}

bool GatewayUnderTest::signalGateway(int signal_number) {
  if (!gateway_ || !gateway_->running()) return false;
  return ::kill(gateway_->pid(), signal_number) == 0;
}

void GatewayUnderTest::stopVenue(const std::string& name) {
  venue(name).stop();
}

std::string GatewayUnderTest::diagnostics(std::size_t lines_per_process) const {
  std::string text;
  for (const auto& [name, process] : venues_) text += describeProcess(*process, lines_per_process);
  for (const auto& earlier : earlier_gateways_) text += describeProcess(*earlier, lines_per_process);
  if (gateway_) text += describeProcess(*gateway_, lines_per_process);
  return text;
}

}  // namespace fixgate::testing
