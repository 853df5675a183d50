#include "cli.h"

#include <algorithm>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

namespace fixgate::sim {
namespace {

std::pair<std::string, Price> parseReferencePrice(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw CLI::ValidationError("--reference-price", fmt::format("expected SYMBOL=PRICE, got '{}'", arg));
  }
  auto price = parsePrice(std::string_view(arg).substr(eq + 1));
  if (!price || price->units <= 0) {
    throw CLI::ValidationError("--reference-price",
                               fmt::format("'{}' is not a positive price", arg.substr(eq + 1)));
  }
  return {arg.substr(0, eq), *price};
}

}  // namespace

std::expected<SimConfig, int> parseCommandLine(int argc, char** argv) {
  SimConfig cfg;
  CLI::App app{"fixgate-exchange-sim: a FIX 4.4 acceptor that simulates one venue (order book + matching)",
               "fixgate-exchange-sim"};
  app.get_formatter()->column_width(36);

  app.add_option("--port", cfg.port, "TCP port to accept FIX connections on")
      ->required()
      ->check(CLI::Range(1, 65535));
  app.add_option("--venue", cfg.venue, "Venue name, used as our SenderCompID")->capture_default_str();
  std::vector<std::string> clients;
  app.add_option("--client-comp-id", clients, "CompID allowed to log on (repeatable; default FIXGATE)");
  app.add_option("--dictionary", cfg.dictionaryArg,
                 "FIX 4.4 data dictionary; 'none' disables validation (default: fix_spec/venue/FIX44.xml)");
  std::string dataDir;
  app.add_option(
      "--data-dir", dataDir,
      "Directory for the FIX message store and logs (default: /tmp/fixgate-exchange-sim/VENUE-PORT)");
  auto* tlsCert = app.add_option("--tls-cert", cfg.tlsCertificate,
                                 "Accept over TLS 1.2/1.3 with this certificate (PEM; needs --tls-key)")
                      ->check(CLI::ExistingFile);
  auto* tlsKey = app.add_option("--tls-key", cfg.tlsKey, "The private key of --tls-cert (PEM)")
                     ->check(CLI::ExistingFile);
  tlsCert->needs(tlsKey);
  tlsKey->needs(tlsCert);
  app.add_option("--tls-ca", cfg.tlsCa, "Mutual TLS: require client certificates issued by this CA (PEM)")
      ->check(CLI::ExistingFile)
      ->needs(tlsCert);
  std::string fillModel = "rest";
  app.add_option("--fill-model", fillModel,
                 "What happens to an incoming limit order's unmatched remainder: rest | immediate | partial")
      ->check(CLI::IsMember({"rest", "immediate", "partial"}))
      ->capture_default_str();
  app.add_option("--partial-ratio", cfg.fill.partialRatio,
                 "Share of the remainder filled at once under --fill-model partial (0 < r <= 1)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  std::vector<std::string> referencePrices;
  app.add_option("--reference-price", referencePrices,
                 "SYMBOL=PRICE that market orders fill at under immediate/partial (repeatable)");
  std::vector<std::string> rejectSymbols;
  app.add_option("--reject-symbol", rejectSymbols,
                 "Reject new orders for this symbol as halted (repeatable)");
  app.add_option("--heartbeat-interval", cfg.heartbeatInterval,
                 "Require clients to log on with this HeartBtInt; 0 accepts any")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--status-interval-s", cfg.statusIntervalS, "Seconds between status lines; 0 turns them off")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  int ackDelayMs = 0;
  app.add_option("--ack-delay-ms", ackDelayMs, "Fault: hold acknowledgements (ExecType 0/5/4) this long")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  FaultPlan& faults = cfg.faults;
  app.add_option("--drop-acks", faults.dropAckRate,
                 "Fault: probability (0..1) that an acknowledgement is not sent; the order stays in the book")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  std::vector<std::string> dropAckSymbols;
  app.add_option("--drop-acks-for-symbol", dropAckSymbols,
                 "Fault: never send acknowledgements for orders in this symbol (repeatable)");
  std::vector<std::string> loseNewSymbols;
  app.add_option("--lose-new-for-symbol", loseNewSymbols,
                 "Fault: ignore NewOrderSingles in this symbol as if lost on the wire, unless they carry "
                 "PossResend=Y (repeatable)");
  app.add_option(
         "--duplicate-execs", faults.duplicateExecRate,
         "Fault: probability (0..1) that a fill (ExecType F) is sent again, same ExecID, PossResend=Y")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  app.add_option("--fault-seed", faults.seed,
                 "Seed for --drop-acks and --duplicate-execs; same seed, same faults")
      ->capture_default_str();
  app.add_option("--disconnect-after", faults.disconnectAfter,
                 "Fault: after N application messages to a session since its logon, disconnect it instead of "
                 "sending the next one; 0 off")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  auto* stopReadingAfter =
      app.add_option(
             "--stop-reading-after", faults.stopReadingAfter,
             "Fault: the connection that brings the Nth application message (over all sessions since "
             "start) stops reading its socket for --stop-reading-ms, once; its receive buffer is then "
             "4 KiB so the sender's writes block soon; 0 off")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str();
  int stopReadingMs = 10000;
  app.add_option("--stop-reading-ms", stopReadingMs, "Fault: how long --stop-reading-after stops reading")
      ->check(CLI::Range(1, 120000))
      ->needs(stopReadingAfter)
      ->capture_default_str();
  auto* restartAfter =
      app.add_option(
             "--restart-after-s", faults.restart.afterS,
             "Fault: every N seconds stop accepting (all sessions drop), pause 1 s, accept again; 0 off")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str();
  app.add_option("--restart-count", faults.restart.count, "Fault: restart at most this many times")
      ->check(CLI::PositiveNumber)
      ->needs(restartAfter)
      ->capture_default_str();
  app.add_flag("--keep-book", faults.restart.keepBook,
               "Fault: orders survive a restart (default: the book is wiped and they become unknown)")
      ->needs(restartAfter);

  try {
    app.parse(argc, argv);
    if (cfg.fill.partialRatio <= 0.0) throw CLI::ValidationError("--partial-ratio", "must be greater than 0");
    if (cfg.venue.empty()) throw CLI::ValidationError("--venue", "must not be empty");
    for (const auto& arg : referencePrices) {
      auto [symbol, price] = parseReferencePrice(arg);
      cfg.referencePrices.insert_or_assign(std::move(symbol), price);
    }
  } catch (const CLI::ParseError& e) {
    return std::unexpected(app.exit(e));
  }

  if (!clients.empty()) {
    std::ranges::sort(clients);
    clients.erase(std::ranges::unique(clients).begin(), clients.end());
    cfg.clientCompIds = clients;
  }
  cfg.fill.model = *parseFillModel(fillModel);
  cfg.rejectSymbols.insert(rejectSymbols.begin(), rejectSymbols.end());
  cfg.dataDir = dataDir.empty() ? std::filesystem::path("/tmp/fixgate-exchange-sim") /
                                      fmt::format("{}-{}", cfg.venue, cfg.port)
                                : std::filesystem::path(dataDir);
  cfg.faults.ackDelay = std::chrono::milliseconds(ackDelayMs);
  cfg.faults.stopReadingFor = std::chrono::milliseconds(stopReadingMs);
  cfg.faults.dropAckSymbols.insert(dropAckSymbols.begin(), dropAckSymbols.end());
  cfg.faults.loseNewSymbols.insert(loseNewSymbols.begin(), loseNewSymbols.end());
  return cfg;
}

}  // namespace fixgate::sim
