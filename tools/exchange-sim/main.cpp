// fixgate-exchange-sim: one process, one venue, one listening port.
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <ctime>
#include <filesystem>
#include <memory>
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

// Blocks SIGINT/SIGTERM in every thread (QuickFIX's included) so only the main loop's sigtimedwait sees them.
sigset_t blockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

// Returns the signal that asked us to stop; prints a status line every interval meanwhile.
int waitForShutdown(const sigset_t& signals, int statusIntervalS, const Stats& stats,
                    const SimApplication& app, const Dispatcher& dispatcher) {
  for (;;) {
    int sig = 0;
    if (statusIntervalS > 0) {
      timespec timeout{statusIntervalS, 0};
      sig = sigtimedwait(&signals, nullptr, &timeout);
    } else {
      sig = sigwaitinfo(&signals, nullptr);
    }
    if (sig > 0) return sig;
    if (errno == EAGAIN) {
      spdlog::info("status: orders={} executions={} rejects={} resting={} sessions={} dropped={}",
                   stats.ordersReceived.load(), stats.executions.load(), stats.rejects.load(),
                   app.restingOrders(), stats.sessionsLoggedOn.load(), dispatcher.dropped());
    }
  }
}

std::string describeReferencePrices(const SimConfig& cfg) {
  if (cfg.referencePrices.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& [symbol, price] : cfg.referencePrices) parts.push_back(symbol + "=" + formatPrice(price));
  return fmt::format("{}", fmt::join(parts, ","));
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
  Dispatcher dispatcher(cfg.faults, [](FIX::Message& m, const FIX::SessionID& id) {
    return FIX::Session::sendToTarget(m, id);
  });
  SimApplication app(cfg, makeRunTag(), dispatcher, stats);
  std::unique_ptr<FIX::SessionSettings> settings;
  std::unique_ptr<FIX::FileStoreFactory> storeFactory;
  std::unique_ptr<FIX::FileLogFactory> logFactory;
  std::unique_ptr<FIX::ThreadedSocketAcceptor> acceptor;
  try {
    settings = std::make_unique<FIX::SessionSettings>(buildSessionSettings(cfg, *dictionary));
    storeFactory = std::make_unique<FIX::FileStoreFactory>(*settings);
    logFactory = std::make_unique<FIX::FileLogFactory>(*settings);
    acceptor = std::make_unique<FIX::ThreadedSocketAcceptor>(app, *storeFactory, *settings, *logFactory);
    acceptor->start();
  } catch (const FIX::ConfigError& e) {
    // Also what QuickFIX throws for a dictionary it cannot load.
    spdlog::error("cannot start venue {} on port {}: {}", cfg.venue, cfg.port, e.what());
    return 1;
  } catch (const FIX::RuntimeError& e) {
    spdlog::error("cannot listen on port {} (is it already in use?): {}", cfg.port, e.what());
    return 1;
  } catch (const std::exception& e) {
    spdlog::error("cannot start venue {} on port {}: {}", cfg.venue, cfg.port, e.what());
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

  int sig = waitForShutdown(signals, cfg.statusIntervalS, stats, app, dispatcher);
  spdlog::info("{} received; shutting down venue {}", sig == SIGINT ? "SIGINT" : "SIGTERM", cfg.venue);
  dispatcher.stop();
  acceptor->stop();
  spdlog::info("stopped: orders={} executions={} rejects={}", stats.ordersReceived.load(),
               stats.executions.load(), stats.rejects.load());
  return 0;
}
