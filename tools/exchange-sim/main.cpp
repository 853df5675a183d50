// fixgate-exchange-sim: one process, one venue, one listening port.
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include "cli.h"
#include "dispatcher.h"
#include "fix_outbound.h"
#include "quickfix/quickfix.h"
#include "settings.h"
#include "sim_application.h"

namespace {

using namespace fixgate::sim;
using Clock = std::chrono::steady_clock;

// How long a restarting venue stays away before accepting again.
constexpr auto kRestartPause = std::chrono::seconds(1);

// Blocks SIGINT/SIGTERM in every thread (QuickFIX's included) so only the main loop's sigtimedwait sees them.
sigset_t blockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Prints a status line every interval; an interval of 0 prints none.
class StatusLine {
 public:
  StatusLine(int intervalS, const Stats& stats, const SimApplication& app, const Dispatcher& dispatcher)
      : interval_(intervalS), stats_(stats), app_(app), dispatcher_(dispatcher) {
    if (interval_.count() > 0) due_ = Clock::now() + interval_;
  }

  [[nodiscard]] std::optional<Clock::time_point> due() const { return due_; }

  void printIfDue(Clock::time_point now) {
    if (!due_ || now < *due_) return;
    spdlog::info("status: orders={} executions={} rejects={} resting={} sessions={} dropped={}",
                 stats_.ordersReceived.load(), stats_.executions.load(), stats_.rejects.load(),
                 app_.restingOrders(), stats_.sessionsLoggedOn.load(), dispatcher_.dropped());
    due_ = now + interval_;
  }

 private:
  std::chrono::seconds interval_;
  const Stats& stats_;
  const SimApplication& app_;
  const Dispatcher& dispatcher_;
  std::optional<Clock::time_point> due_;
};

std::optional<Clock::time_point> earliest(std::optional<Clock::time_point> a,
                                          std::optional<Clock::time_point> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

timespec toTimespec(Clock::duration d) {
  auto ns = std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
  return timespec{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
}

// The signal that asked us to stop, or nullopt once `until` has passed; prints status lines meanwhile.
std::optional<int> waitForSignal(const sigset_t& signals, std::optional<Clock::time_point> until,
                                 StatusLine& status) {
  for (;;) {
    auto now = Clock::now();
    if (until && now >= *until) return std::nullopt;
    status.printIfDue(now);
    auto wake = earliest(until, status.due());
    int sig = 0;
    if (wake) {
      timespec timeout = toTimespec(*wake - now);
      sig = sigtimedwait(&signals, nullptr, &timeout);
    } else {
      sig = sigwaitinfo(&signals, nullptr);
    }
    if (sig > 0) return sig;  // otherwise a timeout (EAGAIN) or an interruption (EINTR): look again
  }
}

std::string describeReferencePrices(const SimConfig& cfg) {
  if (cfg.referencePrices.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& [symbol, price] : cfg.referencePrices) parts.push_back(symbol + "=" + formatPrice(price));
  return fmt::format("{}", fmt::join(parts, ","));
}

// What every acceptor, the first and each restarted one, is built from.
struct QuickFixSetup {
  std::unique_ptr<FIX::SessionSettings> settings;
  std::unique_ptr<FIX::FileStoreFactory> storeFactory;
  std::unique_ptr<FIX::FileLogFactory> logFactory;
};

std::expected<QuickFixSetup, std::string> prepareQuickFix(
    const SimConfig& cfg, const std::optional<std::filesystem::path>& dictionary) {
  try {
    // A simulator process is a new trading day: its sessions start at sequence number 1. Within the
    // process, restarts (--restart-after-s) keep the store, so sequence numbers continue as a venue's do.
    std::error_code ec;
    std::filesystem::remove_all(cfg.dataDir / "store", ec);
    if (ec) {
      return std::unexpected(fmt::format("cannot reset the session store {}: {}",
                                         (cfg.dataDir / "store").string(), ec.message()));
    }
    QuickFixSetup setup;
    setup.settings = std::make_unique<FIX::SessionSettings>(buildSessionSettings(cfg, dictionary));
    setup.storeFactory = std::make_unique<FIX::FileStoreFactory>(*setup.settings);
    setup.logFactory = std::make_unique<FIX::FileLogFactory>(*setup.settings);
    return setup;
  } catch (const std::exception& e) {
    return std::unexpected(
        fmt::format("cannot start venue {} on port {}: {}", cfg.venue, cfg.port, e.what()));
  }
}

std::expected<std::unique_ptr<FIX::Acceptor>, std::string> startAcceptor(const SimConfig& cfg,
                                                                         SimApplication& app,
                                                                         QuickFixSetup& setup) {
  try {
    std::unique_ptr<FIX::Acceptor> acceptor;
    if (cfg.tlsCertificate.empty()) {
      acceptor = std::make_unique<FIX::ThreadedSocketAcceptor>(app, *setup.storeFactory, *setup.settings,
                                                               *setup.logFactory);
    } else {
      acceptor = std::make_unique<FIX::ThreadedSSLSocketAcceptor>(app, *setup.storeFactory, *setup.settings,
                                                                  *setup.logFactory);
    }
    acceptor->start();
    return acceptor;
  } catch (const FIX::ConfigError& e) {
    // Also what QuickFIX throws for a dictionary it cannot load.
    return std::unexpected(
        fmt::format("cannot start venue {} on port {}: {}", cfg.venue, cfg.port, e.what()));
  } catch (const FIX::RuntimeError& e) {
    return std::unexpected(
        fmt::format("cannot listen on port {} (is it already in use?): {}", cfg.port, e.what()));
  } catch (const std::exception& e) {
    return std::unexpected(
        fmt::format("cannot start venue {} on port {}: {}", cfg.venue, cfg.port, e.what()));
  }
}

// When the next --restart-after-s restart is due, or nullopt if no more are.
std::optional<Clock::time_point> nextRestart(const RestartPlan& plan, int restartsDone) {
  if (plan.afterS <= 0 || restartsDone >= plan.count) return std::nullopt;
  return Clock::now() + std::chrono::seconds(plan.afterS);
}

// The crash half of a restart: every connection closes, nothing queued survives, and the book is kept or
// forgotten as configured.
void stopForRestart(const SimConfig& cfg, std::unique_ptr<FIX::Acceptor>& acceptor, Dispatcher& dispatcher,
                    SimApplication& app, int restart) {
  const RestartPlan& plan = cfg.faults.restart;
  spdlog::info("fault: restart {}/{}: stopping the acceptor on port {}; every session drops", restart,
               plan.count, cfg.port);
  dispatcher.pause();    // no send may touch the sessions destroyed below
  acceptor->stop(true);  // forced: a crashing venue does not wait for Logout answers
  acceptor.reset();      // its sessions must be gone before a new acceptor registers the same SessionIDs
  dispatcher.discardQueued();
  if (plan.keepBook) {
    spdlog::info("fault: restart {}/{}: book kept ({} orders resting)", restart, plan.count,
                 app.restingOrders());
  } else {
    app.wipeBook(makeRunTag());
    spdlog::info("fault: restart {}/{}: book wiped; every order is now unknown", restart, plan.count);
  }
}

int shutDown(int sig, const SimConfig& cfg, const Stats& stats, Dispatcher& dispatcher,
             FIX::Acceptor* acceptor) {
  spdlog::info("{} received; shutting down venue {}", sig == SIGINT ? "SIGINT" : "SIGTERM", cfg.venue);
  dispatcher.stop();
  if (acceptor) acceptor->stop();
  spdlog::info("stopped: orders={} executions={} rejects={}", stats.ordersReceived.load(),
               stats.executions.load(), stats.rejects.load());
  return 0;
}

bool disconnectSession(const FIX::SessionID& id) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (!session) return false;
  session->disconnect();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parseCommandLine(argc, argv);
  if (!parsed) return parsed.error();
  const SimConfig cfg = std::move(*parsed);
  sigset_t signals = blockShutdownSignals();

  auto dictionary = resolveDictionary(cfg.dictionaryArg);
  if (!dictionary) {
    spdlog::error("{}", dictionary.error());
    return 1;
  }
  std::error_code ec;
  std::filesystem::create_directories(cfg.dataDir, ec);
  if (ec) {
    spdlog::error("cannot create data directory {}: {}", cfg.dataDir.string(), ec.message());
    return 1;
  }

  Stats stats;
  Dispatcher dispatcher(
      cfg.faults, [](FIX::Message& m, const FIX::SessionID& id) { return FIX::Session::sendToTarget(m, id); },
      disconnectSession);
  SimApplication app(cfg, makeRunTag(), dispatcher, stats);
  auto setup = prepareQuickFix(cfg, *dictionary);
  if (!setup) {
    spdlog::error("{}", setup.error());
    return 1;
  }
  auto acceptor = startAcceptor(cfg, app, *setup);
  if (!acceptor) {
    spdlog::error("{}", acceptor.error());
    return 1;
  }

  spdlog::info(
      "exchange simulator up: port={} venue={} clients={} fill-model={} partial-ratio={} reference-prices={} "
      "halted={} dictionary={} data-dir={} faults={}",
      cfg.port, cfg.venue, fmt::join(cfg.clientCompIds, ","), toString(cfg.fill.model), cfg.fill.partialRatio,
      describeReferencePrices(cfg),
      cfg.rejectSymbols.empty() ? "none" : fmt::format("{}", fmt::join(cfg.rejectSymbols, ",")),
      *dictionary ? (*dictionary)->string() : "none (UseDataDictionary=N)", cfg.dataDir.string(),
      describe(cfg.faults));

  StatusLine status(cfg.statusIntervalS, stats, app, dispatcher);
  for (int restarts = 0;;) {
    if (auto sig = waitForSignal(signals, nextRestart(cfg.faults.restart, restarts), status)) {
      return shutDown(*sig, cfg, stats, dispatcher, acceptor->get());
    }
    ++restarts;
    stopForRestart(cfg, *acceptor, dispatcher, app, restarts);
    if (auto sig = waitForSignal(signals, Clock::now() + kRestartPause, status)) {
      return shutDown(*sig, cfg, stats, dispatcher, nullptr);
    }
    acceptor = startAcceptor(cfg, app, *setup);
    if (!acceptor) {
      spdlog::error("fault: restart {}/{} failed: {}", restarts, cfg.faults.restart.count, acceptor.error());
      dispatcher.stop();
      return 1;
    }
    dispatcher.resume();
    spdlog::info("fault: restart {}/{}: accepting again on port {}", restarts, cfg.faults.restart.count,
                 cfg.port);
  }
}
