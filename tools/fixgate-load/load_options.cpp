#include "load_options.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <string_view>

namespace fixgate::load {
namespace {

constexpr const char* kDescription =
    "fixgate-load: an open-loop FIX 4.4 load generator.\n"
    "\n"
    "Logs on one FIX.4.4 initiator session per SenderCompID, then sends requests at a fixed total rate,\n"
    "round-robin over the sessions: NewOrderSingle (D) limit orders, and cancels (F) and replaces (G) of\n"
    "earlier orders that are acknowledged and have nothing pending. Orders use every given account and\n"
    "symbol; buys are priced below and sells above the symbol's reference price, in steps of 0.10, so they\n"
    "never cross and rest at the venue (cancels and replaces always find them).\n"
    "\n"
    "Open loop: request i is due at start + i/rate, whatever came back before; a late sender sends what is\n"
    "due at once. Latency = arrival of the request's first answer - its DUE time (not its actual send "
    "time),\n"
    "so any stall of the sender, the connection or the target shows up (no coordinated omission). Answers:\n"
    "ExecutionReport 0 or 8 for a new order, 4 for a cancel, 5 for a replace, or OrderCancelReject (9),\n"
    "matched by ClOrdID. Requests due during --warmup are sent and matched but not measured.\n"
    "\n"
    "Prints a progress line on stderr every second, then latency percentiles (p50 p90 p99 p99.9 max) per\n"
    "request kind and in total, throughput and its own CPU time. Exit code: 0 when every request was\n"
    "answered within --drain-timeout after the last one was due, 1 otherwise, 2 when a session did not\n"
    "log on.";

// "AAPL" or "AAPL=185.5".
SymbolSpec parseSymbol(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == std::string::npos) return {text, 100.0};
  SymbolSpec spec{text.substr(0, eq), 0.0};
  const std::string_view price = std::string_view(text).substr(eq + 1);
  const auto [end, error] = std::from_chars(price.data(), price.data() + price.size(), spec.reference_price);
  if (error != std::errc() || end != price.data() + price.size() || spec.reference_price < 1.0 ||
      spec.symbol.empty()) {
    throw CLI::ValidationError("--symbols",
                               fmt::format("expected SYMBOL or SYMBOL=PRICE (price >= 1), got '{}'", text));
  }
  return spec;
}

}  // namespace

std::expected<LoadOptions, int> parseLoadOptions(int argc, char** argv) {
  LoadOptions options;
  CLI::App app{kDescription, "fixgate-load"};
  app.get_formatter()->column_width(40);

  app.add_option("--host", options.host, "Host of the FIX acceptor (gateway, relay or simulator)")
      ->capture_default_str();
  app.add_option("--port", options.port, "Its port")->required()->check(CLI::Range(1, 65535));
  app.add_option("--target-comp-id", options.target_comp_id,
                 "TargetCompID of every session (the acceptor's CompID: FIXGATE, or the simulator's --venue)")
      ->capture_default_str();
  int sessions = 1;
  std::string sender_prefix = "LOAD";
  auto* sessions_option =
      app.add_option("--sessions", sessions, "Number of sessions, SenderCompIDs PREFIX1..PREFIXn")
          ->check(CLI::Range(1, 64))
          ->capture_default_str();
  app.add_option("--sender-prefix", sender_prefix, "SenderCompID prefix for --sessions")
      ->capture_default_str();
  app.add_option("--sender-comp-ids", options.sender_comp_ids,
                 "Explicit SenderCompIDs, comma-separated (instead of --sessions/--sender-prefix)")
      ->delimiter(',')
      ->excludes(sessions_option);
  app.add_option("--heartbeat-interval", options.heartbeat_interval_s,
                 "HeartBtInt sent on Logon; must match the acceptor's")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();

  app.add_option("--rate", options.rate, "Target rate, requests per second over all sessions")
      ->check(CLI::Range(1.0, 200000.0))
      ->capture_default_str();
  app.add_option("--duration", options.duration_s, "Measured seconds (after the warmup)")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  app.add_option("--warmup", options.warmup_s, "Seconds sent at the same rate before measuring")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--drain-timeout", options.drain_timeout_s,
                 "Seconds to wait for outstanding answers after the last request was due")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--logon-timeout", options.logon_timeout_s, "Seconds every session has to log on")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();

  app.add_option("--cancel-ratio", options.cancel_ratio, "Share of requests that are cancels (F)")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  app.add_option("--replace-ratio", options.replace_ratio, "Share of requests that are replaces (G)")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  app.add_option("--max-open-orders", options.max_open_orders,
                 "Keep at most this many orders open over all sessions: at the bound the next request is a "
                 "cancel of an open order, as a strategy keeping a bounded book does (0: no bound; orders "
                 "the mix does not cancel rest at the venue until the run ends)")
      ->capture_default_str();
  std::string accounts = "ACC1,ACC2,ACC3,ACC4,ACC5,ACC6,ACC7,ACC8";
  app.add_option("--accounts", accounts,
                 "Accounts (1), comma-separated; the target must accept every one of them")
      ->capture_default_str();
  std::string symbols = "AAPL,MSFT,IBM";
  app.add_option("--symbols", symbols,
                 "Symbols (55) as SYMBOL or SYMBOL=REFPRICE (default 100), comma-separated; the target must "
                 "accept every one of them")
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the request mix (same seed, same requests)")
      ->capture_default_str();

  app.add_option("--json", options.json_file, "Write the results as JSON to this file");
  app.add_option("--svg", options.svg_file, "Draw the latency percentile curve as SVG into this file");
  app.add_option("--label", options.label, "Name of this run in the output (e.g. direct, relay, fixgate)");
  bool quiet = false;
  app.add_flag("--no-progress", quiet, "No progress line on stderr");

  try {
    app.parse(argc, argv);
    if (options.cancel_ratio + options.replace_ratio > 0.9)
      throw CLI::ValidationError("--cancel-ratio/--replace-ratio",
                                 "together at most 0.9: new orders feed them");
    if (options.sender_comp_ids.empty()) {
      for (int i = 1; i <= sessions; ++i)
        options.sender_comp_ids.push_back(fmt::format("{}{}", sender_prefix, i));
    }
    for (const auto& account : CLI::detail::split(accounts, ',')) {
      if (!account.empty()) options.accounts.push_back(account);
    }
    for (const auto& symbol : CLI::detail::split(symbols, ',')) {
      if (!symbol.empty()) options.symbols.push_back(parseSymbol(symbol));
    }
    if (options.accounts.empty()) throw CLI::ValidationError("--accounts", "needs at least one account");
    if (options.symbols.empty()) throw CLI::ValidationError("--symbols", "needs at least one symbol");
  } catch (const CLI::ParseError& e) {
    return std::unexpected(app.exit(e));
  }
  options.progress = !quiet;
  return options;
}

}  // namespace fixgate::load
