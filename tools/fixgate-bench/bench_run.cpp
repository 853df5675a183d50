#include "bench_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "child_process.h"
#include "gateway_files.h"
#include "interrupt.h"
#include "loopback.h"
#include "process_cpu.h"

namespace fixgate::bench {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr auto kStartTimeout = seconds(20);
// fixgate-load logs its sessions on before its warmup starts; the first memory sample waits this much
// longer than the warmup so that it falls just inside the measured period.
constexpr auto kLogonAllowance = milliseconds(500);
constexpr auto kMemorySampleInterval = seconds(1);
constexpr const char* kLoadPrefix = "LOAD";

// A step of the run that cannot go on; the message ends up in RunResult::error.
struct RunFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<std::string> loadCompIds(const BenchOptions& options) {
  std::vector<std::string> ids;
  for (int i = 1; i <= options.load.sessions; ++i) ids.push_back(fmt::format("{}{}", kLoadPrefix, i));
  return ids;
}

std::string failureText(const std::string& what, ChildProcess& process) {
  const auto status = process.exitStatus();
  return fmt::format("{}: {} (pid {}, {}); last lines of {}:\n{}", what, process.name(), process.pid(),
                     status ? fmt::format("exited with {}", *status) : std::string("running"),
                     process.logFile().string(), process.logTail());
}

void waitListening(ChildProcess& process, std::uint16_t port) {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (!isListening(port)) {
    if (interrupted()) throw RunFailure("interrupted");
    if (!process.running() || std::chrono::steady_clock::now() >= deadline)
      throw RunFailure(failureText(fmt::format("not listening on port {}", port), process));
    std::this_thread::sleep_for(milliseconds(20));
  }
}

std::string simulatorLogName(const std::filesystem::path& dir) {
  return (dir / "sim.log").string();
}

std::unique_ptr<ChildProcess> startSimulator(const BenchOptions& options, const std::filesystem::path& dir,
                                             std::uint16_t port) {
  std::vector<std::string> args{"--port",           std::to_string(port),   "--venue",
                                kVenueName,         "--client-comp-id",     kGatewayCompId,
                                "--data-dir",       (dir / "sim").string(), "--fill-model",
                                options.fill_model, "--status-interval-s",  "0"};
  for (const std::string& id : loadCompIds(options)) {
    args.push_back("--client-comp-id");
    args.push_back(id);
  }
  auto sim = std::make_unique<ChildProcess>("fixgate-exchange-sim", options.sim_binary, args,
                                            SpawnOptions{.log_file = simulatorLogName(dir)});
  waitListening(*sim, port);
  return sim;
}

std::unique_ptr<ChildProcess> startRelay(const BenchOptions& options, const std::filesystem::path& dir,
                                         std::uint16_t port, std::uint16_t sim_port) {
  // fork: one child per connection, as each load session is one; nodelay: no Nagle delay on either side,
  // as the load, the gateway and the simulator all set TCP_NODELAY.
  std::vector<std::string> args{fmt::format("TCP-LISTEN:{},bind=127.0.0.1,reuseaddr,fork,nodelay", port),
                                fmt::format("TCP:127.0.0.1:{},nodelay", sim_port)};
  std::filesystem::path socat = options.socat;
  if (socat.is_relative() && socat.parent_path().empty()) {
    for (const char* dir_name : {"/usr/bin", "/bin", "/usr/local/bin"}) {
      if (std::filesystem::exists(std::filesystem::path(dir_name) / socat)) {
        socat = std::filesystem::path(dir_name) / socat;
        break;
      }
    }
  }
  auto relay =
      std::make_unique<ChildProcess>("socat", socat, args, SpawnOptions{.log_file = dir / "socat.log"});
  waitListening(*relay, port);
  return relay;
}

// Runs `fixgate --check-config`; the output when it refuses the file, "" when it accepts it.
std::string checkConfig(const BenchOptions& options, const std::filesystem::path& config,
                        const std::filesystem::path& log) {
  std::filesystem::remove(log);
  ChildProcess check("fixgate --check-config", options.gateway_binary,
                     {"--check-config", "--config", config.string()},
                     SpawnOptions{.log_file = log, .unset_env = {"FIXGATE_AUDIT_DB"}});
  const auto status = check.waitExit(seconds(30), interrupted);
  if (!status) throw RunFailure(failureText("--check-config did not finish within 30 s", check));
  return *status == 0 ? "" : check.logTail(40);
}

struct GatewayStart {
  std::unique_ptr<ChildProcess> process;
  std::uint16_t metrics_port = 0;  // 0: the gateway does not know ops.http_listen
};

GatewayStart startGateway(const BenchOptions& options, const std::filesystem::path& dir, std::uint16_t port,
                          std::uint16_t sim_port, std::string& stages_note) {
  GatewayFiles files{
      .dir = dir, .client_port = port, .venue_port = sim_port, .metrics_port = freeLoopbackPort()};
  auto config = writeGatewayFiles(options, loadCompIds(options), files);
  if (const std::string refused = checkConfig(options, config, dir / "check-config.log"); !refused.empty()) {
    // A gateway without the metrics endpoint refuses the unknown ops section; run it without.
    files.metrics_port = 0;
    config = writeGatewayFiles(options, loadCompIds(options), files);
    if (const std::string still = checkConfig(options, config, dir / "check-config.log"); !still.empty())
      throw RunFailure("fixgate refuses the generated configuration " + config.string() + ":\n" + still);
    stages_note = "this gateway does not accept ops.http_listen";
  }
  GatewayStart start;
  start.metrics_port = files.metrics_port;
  start.process = std::make_unique<ChildProcess>(
      "fixgate", options.gateway_binary, std::vector<std::string>{"--config", config.string()},
      SpawnOptions{.log_file = dir / "fixgate.log", .unset_env = {"FIXGATE_AUDIT_DB"}});
  for (const std::string& line :
       {std::string("fixgate ready"), fmt::format("venue {} logged on", kVenueName)}) {
    if (!start.process->waitForOutput(line, kStartTimeout, interrupted)) {
      if (interrupted()) throw RunFailure("interrupted");
      throw RunFailure(
          failureText(fmt::format("no '{}' within {} s", line, kStartTimeout.count()), *start.process));
    }
  }
  return start;
}

std::vector<std::string> loadArgs(const BenchOptions& options, Setup setup, std::uint16_t port,
                                  const std::filesystem::path& json) {
  const LoadSpec& load = options.load;
  std::string symbols;
  for (const std::string& symbol : load.symbols) symbols += (symbols.empty() ? "" : ",") + symbol;
  std::string accounts;
  for (const std::string& account : accountNames(load.accounts))
    accounts += (accounts.empty() ? "" : ",") + account;
  // One option and its value a line.
  // clang-format off
  return {"--port",            std::to_string(port),
          "--target-comp-id",  setup == Setup::Gateway ? kGatewayCompId : kVenueName,
          "--sessions",        std::to_string(load.sessions),
          "--sender-prefix",   kLoadPrefix,
          "--rate",            fmt::format("{}", load.rate),
          "--duration",        fmt::format("{}", load.duration_s),
          "--warmup",          fmt::format("{}", load.warmup_s),
          "--cancel-ratio",    fmt::format("{}", load.cancel_ratio),
          "--replace-ratio",   fmt::format("{}", load.replace_ratio),
          "--max-open-orders", std::to_string(load.max_open_orders),
          "--accounts",        accounts,
          "--symbols",         symbols,
          "--label",           toString(setup),
          "--json",            json.string()};
  // clang-format on
}

nlohmann::json readJson(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

double cpuPerRequestUs(double before_s, double after_s, const nlohmann::json& load) {
  if (before_s < 0 || after_s < 0 || load.is_null()) return -1;
  const auto sent = load["requests"]["sent"].get<double>();
  return sent > 0 ? (after_s - before_s) * 1e6 / sent : -1;
}

// A process whose memory is sampled while the load runs.
struct MemoryWatch {
  pid_t pid;
  MemoryOverRun* memory;
};

// Waits for the load to exit (nullopt when `budget` passes first or on Ctrl-C) and meanwhile samples the
// watched processes' memory: once `measure_after` after the load started, then once a second.
std::optional<int> waitForLoadSamplingMemory(ChildProcess& load, milliseconds budget,
                                             milliseconds measure_after,
                                             const std::vector<MemoryWatch>& watched) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  const auto deadline = started + budget;
  auto next_sample = started + measure_after;
  bool start_sampled = false;
  while (true) {
    const auto wait =
        std::chrono::duration_cast<milliseconds>(std::min(next_sample, deadline) - Clock::now());
    if (const auto status = load.waitExit(wait, interrupted)) return status;
    if (interrupted() || Clock::now() >= deadline) return std::nullopt;
    for (const MemoryWatch& watch : watched) {
      if (start_sampled)
        watch.memory->sampleDuring(watch.pid);
      else
        watch.memory->sampleStart(watch.pid);
    }
    start_sampled = true;
    next_sample += kMemorySampleInterval;
  }
}

milliseconds warmupDuration(const LoadSpec& load) {
  return milliseconds(std::llround(load.warmup_s * 1000));
}

}  // namespace

RunResult runOnce(const BenchOptions& options, Setup setup, int round, const std::filesystem::path& dir) {
  RunResult result{.round = round, .setup = setup};
  std::filesystem::create_directories(dir);
  // Declared in start order; destroyed (stopped) in reverse: the hop before the simulator behind it.
  std::unique_ptr<ChildProcess> sim, relay, gateway, load;
  try {
    const std::uint16_t sim_port = freeLoopbackPort();
    sim = startSimulator(options, dir, sim_port);
    std::uint16_t target_port = sim_port;
    std::uint16_t metrics_port = 0;
    if (setup == Setup::Relay) {
      target_port = freeLoopbackPort();
      relay = startRelay(options, dir, target_port, sim_port);
    } else if (setup == Setup::Gateway) {
      target_port = freeLoopbackPort();
      GatewayStart start = startGateway(options, dir, target_port, sim_port, result.stages_note);
      gateway = std::move(start.process);
      metrics_port = start.metrics_port;
    }
    ChildProcess* hop = gateway ? gateway.get() : relay.get();
    auto hopCpu = [&] {
      return hop == nullptr ? -1.0
             : relay        ? processTreeCpuSeconds(hop->pid())
                            : processCpuSeconds(hop->pid());
    };

    const double sim_before = processCpuSeconds(sim->pid()), hop_before = hopCpu();
    const auto json_file = dir / "load.json";
    load = std::make_unique<ChildProcess>(
        "fixgate-load", options.load_binary, loadArgs(options, setup, target_port, json_file),
        SpawnOptions{.log_file = dir / "load.log", .stderr_to_terminal = true});
    const auto load_budget =
        seconds(60) + milliseconds(std::llround((options.load.warmup_s + options.load.duration_s) * 1000));
    std::vector<MemoryWatch> watched{{sim->pid(), &result.sim_memory}};
    if (gateway) watched.push_back({gateway->pid(), &result.gateway_memory});
    const auto load_status = waitForLoadSamplingMemory(
        *load, load_budget, warmupDuration(options.load) + kLogonAllowance, watched);
    if (!load_status) {
      throw RunFailure(interrupted() ? "interrupted"
                                     : failureText(fmt::format("fixgate-load still running after {} s",
                                                               load_budget.count() / 1000),
                                                   *load));
    }
    // Sessions have logged out; what the simulator and the hop did for the load is done.
    std::this_thread::sleep_for(milliseconds(200));
    const double sim_after = processCpuSeconds(sim->pid()), hop_after = hopCpu();
    for (const MemoryWatch& watch : watched) watch.memory->sampleEnd(watch.pid);
    result.load = readJson(json_file);
    result.sim_cpu_us = cpuPerRequestUs(sim_before, sim_after, result.load);
    result.hop_cpu_us = cpuPerRequestUs(hop_before, hop_after, result.load);
    if (metrics_port != 0) {
      if (const auto page = httpGet(metrics_port, "/metrics", seconds(3))) {
        auto stages = parseStageTimings(*page);
        if (stages.empty())
          result.stages_note = fmt::format("no {} histogram on /metrics", kStageMetric);
        else
          result.stages = std::move(stages);
      } else {
        result.stages_note = fmt::format("nothing answered GET http://127.0.0.1:{}/metrics", metrics_port);
      }
    }
    if (result.load.is_null()) throw RunFailure(failureText("no result JSON from fixgate-load", *load));
    if (*load_status != 0)
      throw RunFailure(failureText(fmt::format("fixgate-load exited with {}", *load_status), *load));
    for (ChildProcess* process : {sim.get(), hop}) {
      if (process != nullptr && !process->running())
        throw RunFailure(failureText("exited during the run", *process));
    }
    result.ok = true;
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  // Stopped by PID in order: the load (if still there), the gateway or relay, then the simulator.
  for (auto* process : {load.get(), gateway.get(), relay.get(), sim.get()}) {
    if (process != nullptr) process->stop(seconds(10));
  }
  return result;
}

}  // namespace fixgate::bench
