// fixgate: wiring only. Loads configuration, builds the core and its edges, runs until SIGTERM/SIGINT.
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <csignal>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "admin/command.h"
#include "admin/server.h"
#include "clock/clock.h"
#include "config/gateway_config.h"
#include "config/limits_config.h"
#include "core/engine.h"
#include "fix/client_sessions.h"
#include "runtime/runtime.h"
#include "venues/fix44_venue.h"

namespace {

using namespace fixgate;

// Ids minted by this run: the instance id plus the start time in base 36, unique across restarts.
std::string idPrefix(const std::string& instance_id) {
  auto seconds = static_cast<unsigned long long>(clock::utcNowMicros() / 1'000'000);
  std::string digits;
  do {
    digits.insert(digits.begin(), "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[seconds % 36]);
    seconds /= 36;
  } while (seconds != 0);
  return fmt::format("{}-{}-", instance_id, digits);
}

std::string describe(const core::Action& action) {
  return std::visit(
      [](const auto& a) -> std::string {
        using T = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<T, core::StateChange>) {
          return fmt::format("{} {}: {} -> {} by {} ({})", core::toString(a.scope),
                             a.key.empty() ? "-" : a.key, core::toString(a.from), core::toString(a.to), a.by,
                             a.reason);
        } else if constexpr (std::is_same_v<T, core::LimitsApplied>) {
          return fmt::format("limits {} applied by {} from {} (was {})", a.new_version, a.by, a.source,
                             a.old_version);
        } else if constexpr (std::is_same_v<T, core::OperatorAlert>) {
          return fmt::format("[{}] {}", a.code, a.text);
        } else if constexpr (std::is_same_v<T, core::VenueCancel>) {
          return fmt::format("cancel {} sent to venue #{}", a.orig_venue_cl_ord_id, a.venue);
        } else {
          return "";
        }
      },
      action);
}

int run(const config::GatewayConfig& cfg) {
  // Block the stop signals in every thread (QuickFIX's included); the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // reload config/limits.yaml
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::filesystem::create_directories(cfg.data_dir);
  const auto prefix = idPrefix(cfg.instance_id);

  std::unique_ptr<runtime::Runtime> rt;
  auto sink = [&rt](core::Event&& e) { rt->submit(std::move(e)); };
  auto deferred_sink = [&rt](core::Event&& e) { rt->post(std::move(e)); };
  fix::ClientSessions clients(cfg, prefix, sink, deferred_sink);
  std::vector<std::unique_ptr<venues::VenueAdapter>> venue_adapters;
  for (std::size_t i = 0; i < cfg.venues.size(); ++i) {
    venue_adapters.push_back(
        std::make_unique<venues::Fix44Venue>(cfg, static_cast<core::VenueId>(i), sink, deferred_sink));
  }

  auto handle = [&](const core::Action& action) -> std::optional<core::Event> {
    return std::visit(
        [&](const auto& a) -> std::optional<core::Event> {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, core::ExecReport> || std::is_same_v<T, core::CancelReject> ||
                        std::is_same_v<T, core::MassCancelReport>) {
            clients.send(a);
          } else if constexpr (std::is_same_v<T, core::OperatorAlert>) {
            if (a.code == "CreditWarning") {
              spdlog::warn("[{}] {}", a.code, a.text);
            } else {
              spdlog::error("[{}] {}", a.code, a.text);
            }
          } else if constexpr (std::is_same_v<T, core::StateChange>) {
            spdlog::warn("trading state {}", describe(a));
          } else if constexpr (std::is_same_v<T, core::LimitsApplied>) {
            spdlog::info("{}", describe(a));
          } else {
            auto& venue = *venue_adapters.at(a.venue);
            if (!venue.send(a)) {
              spdlog::warn("venue {} refused a send for {}: session not logged on", venue.name(),
                           a.venue_cl_ord_id);
              if constexpr (std::is_same_v<T, core::VenueNewOrder>) {
                return core::Event{
                    clock::utcNowMicros(),
                    core::VenueRejected{a.venue, a.venue_cl_ord_id,
                                        "venue session went down before the order could be sent"}};
              } else {
                return core::Event{
                    clock::utcNowMicros(),
                    core::VenueCancelRejected{a.venue, a.venue_cl_ord_id,
                                              "venue session is down; request not sent, retry later"}};
              }
            }
          }
          return std::nullopt;
        },
        action);
  };
  rt = std::make_unique<runtime::Runtime>(core::Engine(cfg.refdata, prefix, cfg.limits), handle);
  spdlog::info("limits {} loaded from {}", cfg.limits->version, cfg.limits_file.string());

  // Parse and validate the whole file first; only a valid snapshot reaches the core, at an event boundary.
  auto reload_limits = [&](const std::string& by) -> std::string {
    auto limits = config::loadLimits(cfg.limits_file, cfg.refdata);
    if (!limits) {
      const auto running = rt->inspect([](const core::Engine& e) { return e.limits()->version; });
      const auto text = fmt::format(
          "error: limits reload requested by {} refused; limits {} stay in force. Fix "
          "and reload again:\n{}",
          by, running, config::formatAll(limits.error()));
      spdlog::error("{}", text);
      return text;
    }
    std::vector<core::Action> done;
    rt->submit(core::Event{clock::utcNowMicros(), core::ApplyLimits{std::move(*limits), by}}, &done);
    std::string reply;
    for (const auto& a : done) reply += describe(a) + "\n";
    return reply;
  };

  auto admin_handler = [&](const admin::AdminCommand& command) -> std::string {
    if (command.verb == admin::Verb::Status) {
      return rt->inspect([&](const core::Engine& e) {
        std::string text =
            fmt::format("limits {}\nopen orders {}\n", e.limits()->version, e.openOrderCount());
        for (std::size_t v = 0; v < cfg.venues.size(); ++v) {
          text += fmt::format("venue {} {}\n", cfg.venues[v].name,
                              e.venueUp(static_cast<core::VenueId>(v)) ? "logged on" : "down");
        }
        const auto states = e.tradingStates().describeNonActive(clock::utcNowMicros());
        if (states.empty()) text += "all scopes Active\n";
        for (const auto& line : states) text += line + "\n";
        return text;
      });
    }
    if (command.verb == admin::Verb::ReloadLimits) return reload_limits(command.by);
    auto event = admin::toEvent(command);
    if (!event) return "error: command has no effect";
    std::vector<core::Action> done;
    rt->submit(core::Event{clock::utcNowMicros(), std::move(*event)}, &done);
    std::string reply;
    int cancels = 0;
    for (const auto& a : done) {
      if (std::holds_alternative<core::VenueCancel>(a)) {
        ++cancels;
      } else {
        reply += (std::holds_alternative<core::OperatorAlert>(a) ? "error: " : "") + describe(a) + "\n";
      }
    }
    if (cancels > 0) reply += fmt::format("{} open order(s) being canceled at the venues\n", cancels);
    return reply.empty() ? std::string("no change\n") : reply;
  };
  admin::AdminServer admin_server(cfg.data_dir / "admin.sock", admin_handler);

  for (auto& venue : venue_adapters) venue->start();
  try {
    admin_server.start();
    clients.start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}; is another fixgate using the port {} or {}?", e.what(),
                     cfg.listen_port, (cfg.data_dir / "admin.sock").string());
    admin_server.stop();
    for (auto& venue : venue_adapters) venue->stop();
    rt->shutdown();
    return 3;
  }
  spdlog::info(
      "fixgate ready: accepting client sessions on port {} ({} sessions, {} venues, {} instruments); "
      "admin socket {}",
      cfg.listen_port, cfg.client_sessions.size(), cfg.venues.size(), cfg.refdata.instruments.size(),
      (cfg.data_dir / "admin.sock").string());

  int signal_number = 0;
  for (;;) {
    sigwait(&stop_signals, &signal_number);
    if (signal_number != SIGHUP) break;
    spdlog::info("SIGHUP: reloading limits from {}", cfg.limits_file.string());
    reload_limits("SIGHUP");
  }
  spdlog::info("received signal {}; stopping: admin channel and client sessions first, then venues",
               signal_number);
  admin_server.stop();
  clients.stop();
  // QuickFIX waits for each logout in whole seconds: stop the venues side by side, not one after another.
  std::vector<std::thread> stoppers;
  for (auto& venue : venue_adapters) stoppers.emplace_back([&venue] { venue->stop(); });
  for (auto& t : stoppers) t.join();
  rt->shutdown();
  spdlog::info("fixgate stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fixgate: FIX trading gateway with a compliance layer"};
  std::string config_file = "config/gateway.yaml";
  bool check_only = false;
  app.add_option("-c,--config", config_file, "gateway configuration file")->capture_default_str();
  app.add_flag("--check-config", check_only, "validate the configuration, print the result and exit");
  CLI11_PARSE(app, argc, argv);

  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  auto cfg = config::loadGatewayConfig(config_file);
  if (!cfg) {
    fmt::print(stderr, "fixgate: configuration refused, nothing started. Fix these and start again:\n{}",
               config::formatAll(cfg.error()));
    return 2;
  }
  if (check_only) {
    fmt::print("{}: configuration is valid ({} client sessions, {} venues, {} instruments)\n", config_file,
               cfg->client_sessions.size(), cfg->venues.size(), cfg->refdata.instruments.size());
    return 0;
  }
  try {
    return run(*cfg);
  } catch (const std::exception& e) {
    spdlog::critical("fixgate failed to start: {}", e.what());
    return 3;
  }
}
