// fixgate-chaos: a bounded chaos run. Round after round (until --minutes have passed, at most --max-rounds),
// a seeded PRNG picks a random combination of the exchange simulator's fault knobs for SIM-A (and, with
// --sim-b, for SIM-B too), a fresh gateway with its simulators is started, a stream of orders and cancels is
// driven through it, and once settled (bounded) the three invariants of fault_invariants.h are checked.
// One progress line per round, a summary at the end; exit 1 when any invariant was violated.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "fault_invariants.h"
#include "gateway_under_test.h"

namespace {

using namespace fixgate::testing;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kAckTimeoutMs = 300;
constexpr std::size_t kViolationsListed = 5;

struct FaultPick {
  std::vector<std::string> args;   // simulator arguments
  std::vector<std::string> kinds;  // fault kinds, for the counts
  std::string describe;            // short, for the progress line
  std::string wait_line;           // a line the simulator logs once the fault has fired; empty: none
};

// A random combination of fault knobs: each with some probability, at least one.
FaultPick pickFaults(std::mt19937_64& rng, const std::string& venue) {
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  auto between = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  FaultPick pick;
  std::vector<std::string> parts;
  static const char* const kModels[] = {"rest", "partial", "immediate"};
  const std::string model = kModels[between(0, 2)];
  pick.args = {"--fill-model", model, "--fault-seed", std::to_string(between(1, 1000000))};
  for (int attempt = 0; attempt < 16 && pick.kinds.empty(); ++attempt) {
    if (chance(0.35)) {
      const int ms = between(100, 1000);
      pick.args.insert(pick.args.end(), {"--ack-delay-ms", std::to_string(ms)});
      pick.kinds.push_back("ack-delay");
      parts.push_back(fmt::format("ack-delay={}ms", ms));
    }
    if (chance(0.35)) {
      const double rate = between(5, 40) / 100.0;
      pick.args.insert(pick.args.end(), {"--drop-acks", fmt::format("{:.2f}", rate)});
      pick.kinds.push_back("drop-acks");
      parts.push_back(fmt::format("drop-acks={:.2f}", rate));
    }
    if (chance(0.35)) {
      const double rate = between(10, 60) / 100.0;
      pick.args.insert(pick.args.end(), {"--duplicate-execs", fmt::format("{:.2f}", rate)});
      pick.kinds.push_back("duplicate-execs");
      parts.push_back(fmt::format("duplicate-execs={:.2f}", rate));
    }
    if (chance(0.3)) {
      const int n = between(10, 50);
      pick.args.insert(pick.args.end(), {"--disconnect-after", std::to_string(n)});
      pick.kinds.push_back("disconnect-after");
      parts.push_back(fmt::format("disconnect-after={}", n));
    }
    if (chance(0.3)) {
      const int s = between(2, 4);
      const bool keep = chance(0.5);
      pick.args.insert(pick.args.end(), {"--restart-after-s", std::to_string(s)});
      if (keep) pick.args.push_back("--keep-book");
      pick.kinds.push_back(keep ? "restart-keep-book" : "restart-lose-book");
      parts.push_back(fmt::format("restart-after={}s{}", s, keep ? "+keep-book" : ""));
      pick.wait_line = "accepting again on port";
    }
  }
  if (pick.kinds.empty()) {  // 16 attempts without a knob: practically never; still inject one
    pick.args.insert(pick.args.end(), {"--drop-acks", "0.20"});
    pick.kinds.push_back("drop-acks");
    parts.push_back("drop-acks=0.20");
  }
  pick.describe = fmt::format("{}[{} {}]", venue, model, fmt::join(parts, " "));
  return pick;
}

std::string minutesSeconds(double seconds) {
  const auto total = static_cast<long>(seconds);
  return fmt::format("{}m{:02}s", total / 60, total % 60);
}

struct RoundResult {
  bool started = false;
  std::string error;  // start or send failure: counted as a violation
  fault::InvariantReport report;
};

RoundResult runRound(const std::vector<VenueSpec>& venues, const std::map<std::string, FaultPick>& faults,
                     const fault::StreamConfig& config, bool keep_failed_dirs, std::string& dir) {
  RoundResult result;
  GatewayOptions options;
  options.venues = venues;
  auto gateway = std::make_unique<GatewayUnderTest>(options);
  dir = gateway->dir().string();
  bool failed = false;
  try {
    if (const auto started = gateway->start(); !started) {
      result.error = std::string("the gateway did not start: ") + started.message();
      failed = true;
    } else {
      result.started = true;
      auto client = gateway->connectClient("FIX.4.4", "C44A");
      std::vector<fault::PlannedOrder> orders = fault::planStream(config);
      result.error = fault::driveStream(*client, orders, config);
      failed = !result.error.empty();
      if (!failed) {
        // A restart may still be due when the stream ends: let it fire before the end is judged.
        for (const auto& [venue, pick] : faults) {
          if (!pick.wait_line.empty() &&
              !gateway->venue(venue).waitForOutput(pick.wait_line, config.settle_timeout))
            std::cerr << fmt::format("  note: {} never logged '{}'\n", venue, pick.wait_line);
        }
        fault::waitUntilSettled(*client, orders, config);
        result.report = fault::checkInvariants(client->received(), orders, gateway->dir());
        failed = !result.report.ok();
      }
      client.reset();
    }
  } catch (const std::exception& e) {
    result.error = std::string("exception: ") + e.what();
    failed = true;
  }
  if (failed && keep_failed_dirs) setenv("FIXGATE_KEEP_TEST_DIRS", "1", 1);
  gateway.reset();  // stops the gateway and the simulators by PID
  if (failed && keep_failed_dirs) unsetenv("FIXGATE_KEEP_TEST_DIRS");
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "fixgate-chaos: a bounded chaos run. Each round starts a fresh gateway with simulated venues, turns a "
      "random combination of the simulator's fault knobs, drives a stream of orders and cancels, and checks "
      "that every order ends known, reached the venue once, and that the client's fills equal the venue's. "
      "Exit 1 when any invariant was violated."};
  double minutes = 10;
  int max_rounds = 1000;
  std::uint64_t seed = 0;
  int orders = 60;
  bool sim_b = false;
  bool keep = false;
  std::string json_file;
  app.add_option("--minutes", minutes,
                 "Run rounds until this many minutes have passed (a round started "
                 "before then finishes)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 24 * 60.0));
  app.add_option("--max-rounds", max_rounds, "At most this many rounds")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000000));
  auto* seed_option = app.add_option("--seed", seed, "Seed of the fault choices (default: from the time)");
  app.add_option("--orders", orders, "Orders per round")->capture_default_str()->check(CLI::Range(1, 99));
  app.add_flag("--sim-b", sim_b, "Also inject faults at SIM-B and route every 5th order (VOD.L) there");
  app.add_flag("--keep-failed", keep, "Keep the temp dir (logs, FIX message logs) of a violating round");
  app.add_option("--json", json_file, "Also write the summary as JSON to this file");
  CLI11_PARSE(app, argc, argv);
  if (seed_option->count() == 0) {
    seed = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  }

  fault::StreamConfig config;
  config.orders = orders;
  config.sim_b_every = sim_b ? 5 : 0;
  std::mt19937_64 rng(seed);
  const auto budget = std::chrono::duration<double>(minutes * 60.0);
  const auto run_start = Clock::now();
  std::cout << fmt::format("fixgate-chaos: seed {}, {} minutes, at most {} rounds, {} orders per round{}\n",
                           seed, minutes, max_rounds, orders, sim_b ? ", faults at SIM-A and SIM-B" : "")
            << std::flush;

  const std::vector<std::string> timeouts = {fmt::format("ack_timeout_new_ms: {}", kAckTimeoutMs),
                                             fmt::format("ack_timeout_cancel_ms: {}", kAckTimeoutMs),
                                             fmt::format("ack_timeout_replace_ms: {}", kAckTimeoutMs)};
  int rounds = 0;
  int failed_rounds = 0;
  long total_orders = 0;
  long total_fills = 0;
  long total_unknown = 0;
  std::map<std::string, int> faults_by_kind;
  std::vector<std::string> violations;  // "round N: ..."
  std::size_t violation_count = 0;
  nlohmann::json round_records = nlohmann::json::array();

  while (rounds < max_rounds && Clock::now() - run_start < budget) {
    ++rounds;
    const auto round_start = Clock::now();
    std::map<std::string, FaultPick> faults;
    faults["SIM-A"] = pickFaults(rng, "SIM-A");
    std::vector<VenueSpec> venues = {VenueSpec{"SIM-A", faults["SIM-A"].args, "", timeouts}};
    if (sim_b) {
      faults["SIM-B"] = pickFaults(rng, "SIM-B");
      venues.push_back(VenueSpec{"SIM-B", faults["SIM-B"].args, "", timeouts});
    } else {
      venues.push_back(VenueSpec{"SIM-B", {"--fill-model", "partial", "--partial-ratio", "0.5"}, "", {}});
    }
    std::vector<std::string> described;
    for (const auto& [venue, pick] : faults) {
      described.push_back(pick.describe);
      for (const std::string& kind : pick.kinds) ++faults_by_kind[kind];
    }

    std::string dir;
    const RoundResult result = runRound(venues, faults, config, keep, dir);
    std::vector<std::string> found = result.report.violations();
    if (!result.error.empty()) found.insert(found.begin(), "round-error: " + result.error);
    if (!found.empty()) ++failed_rounds;
    violation_count += found.size();
    for (const std::string& v : found) {
      if (violations.size() < kViolationsListed) {
        violations.push_back(fmt::format("round {} ({}): {}", rounds, fmt::join(described, " "), v));
      }
    }
    total_orders += result.report.orders;
    total_fills += result.report.client_filled;
    total_unknown += result.report.unknown_reports;

    const double round_s = std::chrono::duration<double>(Clock::now() - round_start).count();
    const double elapsed_s = std::chrono::duration<double>(Clock::now() - run_start).count();
    std::cout << fmt::format(
                     "round {}/{}: faults={} orders={} fills={} unknown={} violations={}, {:.1f} s, "
                     "elapsed {}{}\n",
                     rounds, max_rounds, fmt::join(described, " "), result.report.orders,
                     result.report.client_filled, result.report.unknown_reports, found.size(), round_s,
                     minutesSeconds(elapsed_s), found.empty() ? "" : (keep ? " (kept " + dir + ")" : ""))
              << std::flush;
    round_records.push_back({{"round", rounds},
                             {"faults", described},
                             {"orders", result.report.orders},
                             {"fills", result.report.client_filled},
                             {"unknown", result.report.unknown_reports},
                             {"violations", found},
                             {"seconds", round_s}});
  }

  const double elapsed_s = std::chrono::duration<double>(Clock::now() - run_start).count();
  std::string by_kind;
  for (const auto& [kind, n] : faults_by_kind) by_kind += fmt::format(" {}={}", kind, n);
  std::cout << fmt::format(
      "summary: seed {}; {} rounds in {}; {} orders, fills {}, unknown reports {}\n"
      "faults injected:{}\n"
      "violations: {} in {} round(s)\n",
      seed, rounds, minutesSeconds(elapsed_s), total_orders, total_fills, total_unknown, by_kind,
      violation_count, failed_rounds);
  for (const std::string& v : violations) {
    std::cout << "  " << v.substr(0, v.find('\n')) << "\n";
  }
  if (violation_count > violations.size()) {
    std::cout << fmt::format("  ... and {} more\n", violation_count - violations.size());
  }
  std::cout << (violation_count == 0 ? "PASS" : "FAIL") << std::endl;

  if (!json_file.empty()) {
    const nlohmann::json summary = {{"seed", seed},
                                    {"rounds", rounds},
                                    {"elapsed_s", elapsed_s},
                                    {"orders", total_orders},
                                    {"fills", total_fills},
                                    {"unknown_reports", total_unknown},
                                    {"faults_by_kind", faults_by_kind},
                                    {"violations", violation_count},
                                    {"failed_rounds", failed_rounds},
                                    {"first_violations", violations},
                                    {"round_details", round_records}};
    std::ofstream out(json_file);
    out << summary.dump(2) << "\n";
    if (!out) {
      std::cerr << "could not write " << json_file << "\n";
      return 2;
    }
  }
  return violation_count == 0 ? 0 : 1;
}
