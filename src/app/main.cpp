// fixgate: wiring only. Loads configuration, builds the core and its edges, runs until SIGTERM/SIGINT.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <memory>
#include <vector>

#include "clock/clock.h"
#include "config/gateway_config.h"
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

int run(const config::GatewayConfig& cfg) {
  // Block the stop signals in every thread (QuickFIX's included); the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::filesystem::create_directories(cfg.data_dir);
  const auto prefix = idPrefix(cfg.instance_id);

  std::unique_ptr<runtime::Runtime> rt;
  auto sink = [&rt](core::Event&& e) { rt->submit(std::move(e)); };
  auto deferred_sink = [&rt](core::Event&& e) { rt->post(std::move(e)); };
  fix::ClientSessions clients(cfg, prefix, sink, deferred_sink);
  std::vector<std::unique_ptr<venues::VenueAdapter>> venue_adapters;
  for (std::size_t i = 0; i < cfg.venues.size(); ++i) {
    venue_adapters.push_back(std::make_unique<venues::Fix44Venue>(cfg, static_cast<core::VenueId>(i), sink, deferred_sink));
  }

  auto handle = [&](const core::Action& action) -> std::optional<core::Event> {
    return std::visit(
        [&](const auto& a) -> std::optional<core::Event> {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, core::ExecReport> || std::is_same_v<T, core::CancelReject> ||
                        std::is_same_v<T, core::MassCancelReport>) {
            clients.send(a);
          } else if constexpr (std::is_same_v<T, core::OperatorAlert>) {
            spdlog::error("[{}] {}", a.code, a.text);
          } else {
            auto& venue = *venue_adapters.at(a.venue);
            if (!venue.send(a)) {
              spdlog::warn("venue {} refused a send for {}: session not logged on", venue.name(), a.venue_cl_ord_id);
              if constexpr (std::is_same_v<T, core::VenueNewOrder>) {
                return core::Event{clock::utcNowMicros(),
                                   core::VenueRejected{a.venue, a.venue_cl_ord_id,
                                                       "venue session went down before the order could be sent"}};
              } else {
                return core::Event{clock::utcNowMicros(),
                                   core::VenueCancelRejected{a.venue, a.venue_cl_ord_id,
                                                             "venue session is down; request not sent, retry later"}};
              }
            }
          }
          return std::nullopt;
        },
        action);
  };
  rt = std::make_unique<runtime::Runtime>(core::Engine(cfg.refdata, prefix), handle);

  for (auto& venue : venue_adapters) venue->start();
  try {
    clients.start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start the client acceptor on port {}: {}; is another process using the port?",
                     cfg.listen_port, e.what());
    for (auto& venue : venue_adapters) venue->stop();
    rt->shutdown();
    return 3;
  }
  spdlog::info("fixgate ready: accepting client sessions on port {} ({} sessions, {} venues, {} instruments)",
               cfg.listen_port, cfg.client_sessions.size(), cfg.venues.size(), cfg.refdata.instruments.size());

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("received signal {}; stopping: client sessions first, then venues", signal_number);
  clients.stop();
  for (auto& venue : venue_adapters) venue->stop();
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
