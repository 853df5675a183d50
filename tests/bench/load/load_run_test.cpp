// fixgate-load against a real fixgate-exchange-sim for a few seconds at a modest rate: every request
// answered, throughput within 10% of the target, and the JSON's percentiles present and ordered.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "tcp_ports.h"
#include "temp_dir.h"

namespace fixgate::testing {
namespace {

constexpr double kRate = 400;

std::optional<int> waitExit(ChildProcess& process, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (process.running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return process.exitStatus();
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(FixgateLoad, AnswersEveryRequestAtTheTargetRateAgainstTheSimulator) {
  const auto dir = makeTempDir("fixgate-load-test");
  const std::uint16_t port = freeTcpPort();
  ChildProcess sim("fixgate-exchange-sim", FIXGATE_EXCHANGE_SIM_BINARY,
                   {"--port", std::to_string(port), "--venue", "SIM", "--client-comp-id", "LOAD1",
                    "--client-comp-id", "LOAD2", "--client-comp-id", "LOAD3", "--data-dir",
                    (dir / "sim").string(), "--status-interval-s", "0"},
                   dir / "sim.log");
  ASSERT_TRUE(waitForListening(port, std::chrono::seconds(15))) << sim.logTail();

  const auto json_file = dir / "load.json", svg_file = dir / "load.svg";
  ChildProcess load("fixgate-load", FIXGATE_LOAD_BINARY,
                    {"--port",
                     std::to_string(port),
                     "--target-comp-id",
                     "SIM",
                     "--sessions",
                     "3",
                     "--rate",
                     std::to_string(kRate),
                     "--duration",
                     "3",
                     "--warmup",
                     "0.5",
                     "--cancel-ratio",
                     "0.2",
                     "--replace-ratio",
                     "0.2",
                     "--accounts",
                     "A1,A2,A3,A4",
                     "--symbols",
                     "AAPL,MSFT=400,VOD.L=72",
                     "--json",
                     json_file.string(),
                     "--svg",
                     svg_file.string(),
                     "--no-progress"},
                    dir / "load.log");
  const auto status = waitExit(load, std::chrono::seconds(60));
  ASSERT_TRUE(status.has_value()) << "fixgate-load still running after 60 s\n" << load.logTail();
  load.stop();
  sim.stop();
  ASSERT_EQ(*status, 0) << load.log();

  const auto result = nlohmann::json::parse(readFile(json_file));
  const auto& requests = result["requests"];
  EXPECT_EQ(requests["unanswered"].get<int>(), 0);
  EXPECT_EQ(requests["send_failed"].get<int>(), 0);
  EXPECT_EQ(requests["answered"].get<int>(), requests["scheduled"].get<int>());
  EXPECT_EQ(requests["rejected"].get<int>(), 0) << "the simulator refused part of the load:\n" << load.log();
  EXPECT_EQ(requests["unmatched_reports"].get<int>(), 0);
  EXPECT_GT(requests["by_kind"]["cancel"]["sent"].get<int>(), 0);
  EXPECT_GT(requests["by_kind"]["replace"]["sent"].get<int>(), 0);
  EXPECT_NEAR(result["throughput_per_s"].get<double>(), kRate, kRate * 0.10);
  EXPECT_TRUE(result["ok"].get<bool>());

  const auto& latency = result["latency_us"];
  double previous = 0;
  for (const char* key : {"p50", "p90", "p99", "p99.9", "max"}) {
    ASSERT_TRUE(latency.contains(key)) << key;
    const double value = latency[key].get<double>();
    EXPECT_GT(value, 0) << key;
    EXPECT_LE(previous, value) << key << " below the percentile before it";
    previous = value;
  }
  EXPECT_EQ(latency["count"].get<int>(), result["measured"]["answered"].get<int>());
  EXPECT_TRUE(readFile(svg_file).starts_with("<svg")) << "no SVG plot written";
  std::error_code ignored;
  if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir, ignored);
}

TEST(FixgateLoad, ExitsTwoWhenNoSessionCanLogOn) {
  const auto dir = makeTempDir("fixgate-load-test");
  ChildProcess load("fixgate-load", FIXGATE_LOAD_BINARY,
                    {"--port", std::to_string(freeTcpPort()), "--rate", "10", "--duration", "1",
                     "--logon-timeout", "1", "--no-progress"},
                    dir / "load.log");
  const auto status = waitExit(load, std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value()) << load.logTail();
  EXPECT_EQ(*status, 2) << load.log();
  EXPECT_NE(load.log().find("logged on"), std::string::npos) << load.log();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

}  // namespace
}  // namespace fixgate::testing
