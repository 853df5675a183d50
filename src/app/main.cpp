// fixgate: wiring only. Loads configuration, builds the core and its edges, runs until SIGTERM/SIGINT.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <span>
#include <thread>
#include <vector>

#include "admin/command.h"
#include "admin/server.h"
#include "app/allocator.h"
#include "audit/shipper.h"
#include "clock/clock.h"
#include "config/gateway_config.h"
#include "config/limits_config.h"
#include "core/engine.h"
#include "fix/client_sessions.h"
#include "journal/journal.h"
#include "ops/disk_usage.h"
#include "ops/gateway_metrics.h"
#include "ops/http_server.h"
#include "ops/logging.h"
#include "records/codec.h"
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

// The admin channel's read-only lists, from the same snapshot the metrics show.
std::string describeForOperator(admin::Verb verb, const ops::GatewaySnapshot& s,
                                const config::GatewayConfig& cfg) {
  std::string text;
  const auto describeState = [](const core::ScopeState* state) {
    if (state == nullptr) return std::string("Active");
    return fmt::format("{} by {} ({})", core::toString(state->state), state->by,
                       state->reason.empty() ? "no reason given" : state->reason);
  };
  const auto stateOf = [&](core::Scope scope, std::string_view key) {
    return describeState(ops::findScopeState(s, scope, key));
  };
  switch (verb) {
    case admin::Verb::Sessions:
      for (std::size_t c = 0; c < s.client_sessions.size(); ++c) {
        text += fmt::format("session {} {}: {}; breaker {}; trading {}\n", s.client_sessions[c].name,
                            cfg.client_sessions[c].begin_string,
                            s.client_sessions[c].logged_on ? "logged on" : "not logged on",
                            s.session_breaker_latched[c] ? "LATCHED (fixgate-admin reset-breaker)" : "ok",
                            stateOf(core::Scope::Session, s.client_sessions[c].name));
      }
      break;
    case admin::Verb::Venues:
      for (std::size_t v = 0; v < s.venues.size(); ++v) {
        const std::size_t queued = s.status_queries_queued[v];
        text += fmt::format("venue {}: {}; breaker {}; {} open orders{}; trading {}\n", s.venues[v].name,
                            s.venues[v].logged_on ? "logged on" : "DOWN",
                            s.venue_breaker_open[v] ? "OPEN" : "closed", s.open_orders[v],
                            queued == 0 ? std::string()
                                        : fmt::format(", {} status queries waiting for the venue's "
                                                      "status_queries_per_second",
                                                      queued),
                            stateOf(core::Scope::Venue, s.venues[v].name));
      }
      break;
    case admin::Verb::Breakers:
      for (std::size_t v = 0; v < s.venues.size(); ++v) {
        text += fmt::format("venue breaker {}: {}\n", s.venues[v].name,
                            s.venue_breaker_open[v] ? "OPEN" : "closed");
      }
      for (std::size_t c = 0; c < s.client_sessions.size(); ++c) {
        text += fmt::format("session breaker {}: {}\n", s.client_sessions[c].name,
                            s.session_breaker_latched[c] ? "LATCHED" : "ok");
      }
      for (const auto& n : s.not_active) {
        if (n.scope == core::Scope::Symbol) {
          text += fmt::format("symbol {}: {}\n", n.key, describeState(&n.state));
        }
      }
      break;
    case admin::Verb::Limits:
      text = fmt::format("limits {} from {}; change the file, then: fixgate-admin reload-limits by=<you>\n",
                         s.limits_version, cfg.limits_file.string());
      break;
    default:
      break;
  }
  return text;
}

journal::FlushPolicy flushPolicy(const std::string& name) {
  if (name == "record") return journal::FlushPolicy::Record;
  if (name == "batch") return journal::FlushPolicy::Batch;
  return journal::FlushPolicy::Interval;  // the config loader admits only these three
}

// Opens data_dir/journal, reporting what recovery found. nullptr (after saying why and what to do) when the
// gateway must not start.
std::unique_ptr<journal::Journal> openJournal(const config::GatewayConfig& cfg, bool repair_tail) {
  journal::JournalSettings settings;
  settings.directory = cfg.data_dir / "journal";
  settings.segment_bytes = static_cast<std::size_t>(cfg.journal.segment_mib) * 1024 * 1024;
  settings.flush = flushPolicy(cfg.journal.flush);
  settings.flush_interval_ms = static_cast<std::uint32_t>(cfg.journal.flush_interval_ms);
  settings.repair_corrupt_tail = repair_tail;
  auto opened = journal::Journal::open(settings);
  if (!opened) {
    spdlog::critical("cannot open the journal in {}: {}", settings.directory.string(),
                     opened.error().message);
    if (opened.error().kind == journal::JournalErrorKind::Corrupt) {
      spdlog::critical(
          "nothing was replayed. If the damage is only at the tail (a machine crash), start once with "
          "--journal-repair-tail: the bad bytes are saved beside the segment and the journal continues after "
          "seq {}",
          opened.error().last_good_seq);
    }
    return nullptr;
  }
  const auto& report = (*opened)->openReport();
  spdlog::info("journal {}: {} records in {} segments (seq {}..{}), flush {}", settings.directory.string(),
               report.records, report.segments, report.first_seq, report.last_seq,
               journal::toString(settings.flush));
  if (report.tail_repair) {
    spdlog::warn(
        "journal tail repaired: {}; {} bytes from offset {} of {} saved to {}; continuing after seq {}",
        report.tail_repair->problem, report.tail_repair->bytes_saved, report.tail_repair->offset,
        report.tail_repair->segment.string(), report.tail_repair->saved_to.string(),
        report.tail_repair->last_good_seq);
  }
  if (report.discarded_incomplete_append) spdlog::warn("journal: {}", *report.discarded_incomplete_append);
  for (const auto& note : report.notes) spdlog::info("journal: {}", note);
  return std::move(*opened);
}

int run(const config::GatewayConfig& cfg, bool repair_journal_tail) {
  // Block the stop signals in every thread (QuickFIX's included); the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);  // reload config/limits.yaml
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  spdlog::info("memory allocator: {}", app::activeAllocator());
  std::filesystem::create_directories(cfg.data_dir);
  const auto prefix = idPrefix(cfg.instance_id);

  // Declared first so it outlives everything that records into it.
  const auto journal = openJournal(cfg, repair_journal_tail);
  if (!journal) return 4;
  const std::uint64_t journaled_before_start = journal->lastSeq();
  // Every FIX message in and out, from QuickFIX's threads. A failure here is reported once; the order path
  // sees the failed journal on its next step and halts trading.
  std::atomic<bool> message_record_failed{false};
  auto recorder = [&](bool incoming, std::string_view session, std::string_view raw) {
    thread_local std::string encoded;
    encoded.clear();
    records::encodeFixMessage(incoming ? records::Direction::In : records::Direction::Out, session, raw,
                              encoded);
    auto appended = journal->append(static_cast<std::uint16_t>(records::RecordType::FixMessage),
                                    clock::utcNowMicros(), std::as_bytes(std::span(encoded)));
    if (!appended && !message_record_failed.exchange(true)) {
      spdlog::critical("cannot journal FIX messages: {}", appended.error().message);
    }
  };

  // Every logon attempt on a client session and its outcome (from QuickFIX's connection threads).
  auto security_recorder = [&](const records::SecurityEventRecord& event) {
    std::string encoded;
    records::encodeSecurityEvent(event, encoded);
    auto appended = journal->append(static_cast<std::uint16_t>(records::RecordType::SecurityEvent),
                                    clock::utcNowMicros(), std::as_bytes(std::span(encoded)));
    if (!appended) spdlog::critical("cannot journal a logon attempt: {}", appended.error().message);
  };

  std::vector<std::string> session_names;
  for (const auto& s : cfg.client_sessions) session_names.push_back(s.name);
  std::vector<std::string> venue_names;
  for (const auto& v : cfg.venues) venue_names.push_back(v.name);
  ops::GatewayMetrics metrics(session_names, venue_names, FIXGATE_VERSION);

  std::unique_ptr<runtime::Runtime> rt;
  auto sink = [&rt](core::Event&& e) { rt->submit(std::move(e)); };
  auto deferred_sink = [&rt](core::Event&& e) { rt->post(std::move(e)); };
  fix::ClientSessions clients(
      cfg, prefix, sink, deferred_sink, recorder, security_recorder, &metrics.stages(),
      fix::RefusalObserver{[&metrics](const core::Action& refusal) { metrics.refusedAtTheEdge(refusal); },
                           [&metrics](core::SessionId session, char msg_type, int reason) {
                             metrics.messageRejected(session, msg_type, reason);
                           }});
  std::vector<std::unique_ptr<venues::VenueAdapter>> venue_adapters;
  for (std::size_t i = 0; i < cfg.venues.size(); ++i) {
    venue_adapters.push_back(std::make_unique<venues::Fix44Venue>(cfg, static_cast<core::VenueId>(i), sink,
                                                                  deferred_sink, recorder));
  }

  auto handle = [&](const core::Action& action) -> std::optional<core::Event> {
    return std::visit(
        [&](const auto& a) -> std::optional<core::Event> {
          using T = std::decay_t<decltype(a)>;
          if constexpr (std::is_same_v<T, core::ExecReport> || std::is_same_v<T, core::CancelReject> ||
                        std::is_same_v<T, core::MassCancelReport>) {
            clients.send(a);
          } else if constexpr (std::is_same_v<T, core::OperatorAlert>) {
            switch (core::severityOf(a.code)) {
              case core::AlertSeverity::Info:
                spdlog::info("[{}] {}", a.code, a.text);
                break;
              case core::AlertSeverity::Warning:
                spdlog::warn("[{}] {}", a.code, a.text);
                break;
              case core::AlertSeverity::Error:
                spdlog::error("[{}] {}", a.code, a.text);
                break;
            }
          } else if constexpr (std::is_same_v<T, core::StateChange>) {
            spdlog::warn("trading state {}", describe(a));
          } else if constexpr (std::is_same_v<T, core::LimitsApplied>) {
            spdlog::info("{}", describe(a));
          } else if constexpr (std::is_same_v<T, core::RiskDecision>) {
            // Recorded by the journal; no edge acts on it.
          } else {
            auto& venue = *venue_adapters.at(a.venue);
            if (const auto sent = venue.send(a)) {
              metrics.venueRequestSent(action);
            } else {
              const auto log_level =
                  sent.error() == venues::SendFailure::Refused ? spdlog::level::err : spdlog::level::warn;
              spdlog::log(log_level, "venue {}: request {} not sent: {}", venue.name(), a.venue_cl_ord_id,
                          venues::describe(sent.error()));
              if constexpr (std::is_same_v<T, core::VenueStatusQuery>) {
                spdlog::error(
                    "status query for order {} not sent: venue {} is down; the order's state at the venue "
                    "stays "
                    "unknown until the venue answers",
                    a.order_id, venue.name());
                return std::nullopt;
              } else if constexpr (std::is_same_v<T, core::VenueNewOrder>) {
                if (sent.error() == venues::SendFailure::NotLoggedOn) {
                  // The drop is not applied yet: the core applies it, then holds or rejects the order as
                  // one that arrived with the venue down.
                  return core::Event{clock::utcNowMicros(),
                                     core::VenueNewOrderUnsent{a.venue, a.venue_cl_ord_id}};
                }
                return core::Event{clock::utcNowMicros(),
                                   core::VenueRejected{a.venue, a.venue_cl_ord_id,
                                                       "not sent: the gateway's store for the venue session "
                                                       "failed and the session was dropped"}};
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
  // The replay decides with the configuration's settings until it meets a journaled ApplySettings. A journal
  // from before status queries were paced (or before settings were journaled) is replayed unpaced, as those
  // builds sent them; this run's own ApplySettings, journaled below before any venue connects, puts the
  // configured rates in force.
  core::ReferenceData replay_refdata = cfg.refdata;
  replay_refdata.status_queries_per_second.clear();
  rt = std::make_unique<runtime::Runtime>(
      core::Engine(std::move(replay_refdata), prefix, cfg.limits), handle, journal.get(),
      [&metrics](const core::Event& event, std::span<const core::Action> actions) {
        metrics.observe(event, actions);
      });
  // Crash-only recovery: rebuild open orders, risk usage and breaker states from the journal.
  const auto replayed =
      rt->replay(cfg.data_dir / "journal", journaled_before_start,
                 [](std::string_view content, std::string_view source, const core::ReferenceData& journaled)
                     -> std::expected<std::shared_ptr<const core::Limits>, std::string> {
                   auto limits = config::loadLimitsText(std::string(content), std::string(source), journaled);
                   if (!limits) return std::unexpected(config::formatAll(limits.error()));
                   return std::move(*limits);
                 });
  if (!replayed) {
    spdlog::critical(
        "cannot replay the journal: {}. Nothing was started; keep {} for investigation (do not delete it: it "
        "is the record of what was traded)",
        replayed.error(), (cfg.data_dir / "journal").string());
    return 4;
  }
  const auto now = clock::utcNowMicros();
  if (*replayed > 0) {
    // What the last run saw up or logged on is down until it logs on again.
    for (std::size_t v = 0; v < cfg.venues.size(); ++v) {
      rt->submit(core::Event{now, core::VenueDown{static_cast<core::VenueId>(v)}});
    }
    for (std::size_t c = 0; c < cfg.client_sessions.size(); ++c) {
      rt->submit(core::Event{now, core::ClientSessionDown{static_cast<core::SessionId>(c)}});
    }
  }
  // Journaled, so a later replay mints this run's ids and decides with this run's limits and settings. The
  // settings come first: the replay checks the limits' instrument and session names against them.
  rt->submit(core::Event{now, core::BeginRun{prefix}});
  rt->submit(core::Event{now, core::settingsOf(cfg.refdata)});
  rt->submit(core::Event{now, core::ApplyLimits{cfg.limits, "start"}});
  rt->startTradingDayIfDue();
  {
    std::string encoded;
    records::encodeRunStarted(
        {cfg.instance_id, static_cast<std::int64_t>(getpid()), cfg.config_file.string(), *replayed}, encoded);
    (void)journal->append(static_cast<std::uint16_t>(records::RecordType::RunStarted), now,
                          std::as_bytes(std::span(encoded)));
  }
  // The audit shipper follows the journal into PostgreSQL on its own thread; trading never waits for it.
  std::unique_ptr<audit::Shipper> shipper;
  std::string audit_db = cfg.audit.database;
  if (const char* env = std::getenv("FIXGATE_AUDIT_DB"); audit_db.empty() && env != nullptr) audit_db = env;
  if (audit_db.empty()) {
    spdlog::warn(
        "audit shipping is off: set audit.database in {} (or FIXGATE_AUDIT_DB) to a libpq connection string "
        "for fixgate_writer; the journal in {} keeps every record until then",
        cfg.config_file.string(), (cfg.data_dir / "journal").string());
  } else {
    audit::ShipperSettings settings;
    settings.conninfo = audit_db;
    settings.journal_directory = cfg.data_dir / "journal";
    settings.batch_max_records = static_cast<std::size_t>(cfg.audit.batch_records);
    settings.connections = static_cast<std::size_t>(cfg.audit.connections);
    shipper = std::make_unique<audit::Shipper>(
        settings, [&journal] { return journal->counters().durable_seq; }, audit::Names::from(cfg.refdata));
    shipper->start();
  }
  const auto open_orders = rt->inspect([](const core::Engine& e) { return e.openOrderCount(); });
  spdlog::info("replayed {} journaled events: {} open orders restored; limits {} loaded from {}", *replayed,
               open_orders, cfg.limits->version, cfg.limits_file.string());

  // Parse and validate the whole file first; only a valid snapshot reaches the core, at an event boundary.
  // The reference data in force: the configuration's, or a later reload-settings'.
  auto refdata_now = [&] { return rt->inspect([](const core::Engine& e) { return e.referenceData(); }); };
  auto reload_limits = [&](const std::string& by) -> std::string {
    auto limits = config::loadLimits(cfg.limits_file, refdata_now());
    if (!limits) {
      const auto running = rt->inspect([](const core::Engine& e) { return e.limits()->version; });
      const auto text = fmt::format(
          "error: limits reload requested by {} refused; limits {} stay in force. Fix "
          "and reload again:\n{}",
          by, running, config::formatAll(limits.error()));
      spdlog::error("{}", text);
      metrics.limitsRefused();
      return text;
    }
    std::vector<core::Action> done;
    rt->submit(core::Event{clock::utcNowMicros(), core::ApplyLimits{std::move(*limits), by}}, &done);
    std::string reply;
    for (const auto& a : done) reply += describe(a) + "\n";
    return reply;
  };

  // Instruments, routing and the venues' and sessions' policies, read again from gateway.yaml and its files,
  // validated as a whole (the limits file included, against the new instruments), then journaled and applied
  // at an event boundary. Venues and client sessions themselves, and every other key, need a restart.
  auto reload_settings = [&](const std::string& by) -> std::string {
    auto loaded = config::loadGatewayConfig(cfg.config_file);
    std::string refused;
    if (!loaded) {
      refused = config::formatAll(loaded.error());
    } else if (loaded->refdata.venue_names != cfg.refdata.venue_names ||
               loaded->refdata.session_names != cfg.refdata.session_names) {
      refused = fmt::format(
          "{}: venues ({}) and client sessions ({}) cannot be added, removed, renamed or reordered while "
          "the gateway runs; put them back as they are, or restart the gateway to change them",
          cfg.config_file.string(), fmt::join(cfg.refdata.venue_names, ", "),
          fmt::join(cfg.refdata.session_names, ", "));
    }
    if (!refused.empty()) {
      const auto text = fmt::format(
          "error: settings reload requested by {} refused; the settings in force stay. Fix and reload "
          "again:\n{}\n",
          by, refused);
      spdlog::error("{}", text);
      return text;
    }
    const auto before = core::settingsOf(refdata_now());
    auto after = core::settingsOf(loaded->refdata);
    const auto changes = core::settingsChanges(before, after);
    if (changes.empty()) {
      return fmt::format("settings unchanged ({} and its instruments file as in force); nothing applied\n",
                         cfg.config_file.string());
    }
    for (std::size_t v = 0; v < after.venues.size() && v < venue_adapters.size(); ++v) {
      venue_adapters[v]->holdWhileDisconnected(after.venues[v].ack_timeouts.hold_while_disconnected_us);
    }
    rt->submit(core::Event{clock::utcNowMicros(), std::move(after)});
    std::string reply = fmt::format("settings from {} applied by {}:\n", cfg.config_file.string(), by);
    for (const auto& line : changes) reply += "  " + line + "\n";
    reply +=
        "other keys of gateway.yaml (ports, TLS, sessions' and venues' connections, journal, audit, ops) "
        "take effect at the next restart\n";
    spdlog::warn("{}", reply);
    return reply;
  };

  // What the gauges and health checks show, read at each scrape (civetweb's threads, the admin thread).
  std::atomic<std::int64_t> behind_since_us{0};
  auto snapshot = [&] {
    ops::GatewaySnapshot s;
    const auto now = clock::utcNowMicros();
    rt->inspect([&](const core::Engine& e) {
      for (std::size_t v = 0; v < cfg.venues.size(); ++v) {
        const auto id = static_cast<core::VenueId>(v);
        s.venues.push_back({cfg.venues[v].name, e.venueUp(id)});
        s.open_orders.push_back(e.openOrderCount(id));
        s.status_queries_queued.push_back(e.queuedStatusQueries(id));
        s.venue_breaker_open.push_back(e.tradingStates().venueBreakerOpen(id));
      }
      for (std::size_t c = 0; c < cfg.client_sessions.size(); ++c) {
        s.session_breaker_latched.push_back(
            e.tradingStates().sessionBreakerLatched(static_cast<core::SessionId>(c)));
      }
      s.not_active = e.tradingStates().nonActive(now);
      s.limits_version = e.limits() != nullptr ? e.limits()->version : "";
      s.orders_in_memory = e.heldOrderCount();
      return 0;
    });
    for (std::size_t c = 0; c < cfg.client_sessions.size(); ++c) {
      s.client_sessions.push_back(
          {cfg.client_sessions[c].name, clients.loggedOn(static_cast<core::SessionId>(c))});
    }
    s.accepting_clients = clients.listening();
    s.runtime_poll_age_ms = rt->sinceLastPoll().count();
    s.journal_last_seq = journal->lastSeq();
    s.journal_healthy = !journal->failed();
    const auto disk = ops::diskUsage(cfg.data_dir, cfg.data_dir / "journal");
    s.journal_bytes = disk.journal_bytes;
    s.data_dir_available_bytes = disk.available_bytes;
    s.audit_enabled = shipper != nullptr;
    if (shipper) {
      const auto progress = shipper->progress();
      s.shipper_connected = progress.connected;
      s.shipped_seq = progress.shipped_seq;
      s.shipper_last_error = progress.last_error;
      if (progress.oldest_unshipped_us != 0) {
        s.shipper_lag_seconds = std::max(0.0, static_cast<double>(now - progress.oldest_unshipped_us) / 1e6);
        behind_since_us = 0;
      } else if (!progress.connected && s.journal_last_seq > progress.shipped_seq) {
        // Nothing mapped yet (PostgreSQL down since the shipper started): count from the first scrape that
        // saw it behind, so the lag alert still fires during a long outage.
        if (behind_since_us == 0) behind_since_us = now;
        s.shipper_lag_seconds = static_cast<double>(now - behind_since_us) / 1e6;
      } else {
        behind_since_us = 0;
      }
    }
    return s;
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
    if (command.verb == admin::Verb::ReloadSettings) return reload_settings(command.by);
    if (command.verb == admin::Verb::LogLevel) {
      const auto before = ops::currentLogLevel();
      if (auto set = ops::setLogLevel(command.level); !set) return "error: " + set.error();
      spdlog::warn("log level {} -> {} by {}", before, command.level, command.by);
      return fmt::format("log level {} (was {})\n", command.level, before);
    }
    if (command.verb == admin::Verb::ResetVenueSequence) {
      const auto venue = std::find_if(venue_adapters.begin(), venue_adapters.end(),
                                      [&](const auto& v) { return v->name() == command.venue; });
      if (venue == venue_adapters.end()) {
        std::string names;
        for (const auto& v : venue_adapters) names += (names.empty() ? "" : ", ") + v->name();
        return fmt::format("error: no venue named \"{}\" (venues: {})\n", command.venue, names);
      }
      auto done = (*venue)->resetSequenceNumbers(command.by, command.reason);
      return done ? *done : "error: " + done.error() + "\n";
    }
    if (command.verb == admin::Verb::Sessions || command.verb == admin::Verb::Venues ||
        command.verb == admin::Verb::Breakers || command.verb == admin::Verb::Limits) {
      return describeForOperator(command.verb, snapshot(), cfg);
    }
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
  // Every admin command, read or change, refused or done, goes into the journal with who gave it.
  auto record_command = [&](const admin::CommandRecord& c) {
    constexpr std::size_t kReplyKept = 2000;
    std::string encoded;
    records::encodeOperatorCommand(
        {c.operator_name, static_cast<std::int64_t>(c.peer.uid), static_cast<std::int64_t>(c.peer.pid),
         c.command, c.done ? "done" : "refused", c.reply.substr(0, kReplyKept)},
        encoded);
    auto appended = journal->append(static_cast<std::uint16_t>(records::RecordType::OperatorCommand),
                                    clock::utcNowMicros(), std::as_bytes(std::span(encoded)));
    if (!appended) spdlog::critical("cannot journal an admin command: {}", appended.error().message);
  };
  admin::AdminServer admin_server(cfg.data_dir / "admin.sock", admin_handler, {}, record_command);

  std::unique_ptr<ops::OpsHttpServer> ops_http;
  if (!cfg.ops.http_listen.empty()) {
    ops_http = std::make_unique<ops::OpsHttpServer>(
        cfg.ops.http_listen,
        ops::HttpRoutes{[&] { return metrics.scrape(snapshot()); },
                        [&] { return ops::assessHealth(snapshot()); },
                        [&] { return ops::assessLiveness(rt->sinceLastPoll().count()); }});
  }

  try {
    // The gateway's own listeners before any FIX connection: descriptors opened while QuickFIX ends a
    // connection are what its descriptor-reuse race needs (quickfix/send.h), and the start opens many.
    if (ops_http) ops_http->start();
    admin_server.start();
    for (auto& venue : venue_adapters) venue->start();
    clients.start();
  } catch (const std::exception& e) {
    spdlog::critical("cannot start: {}; is another fixgate using the port {} or {}?", e.what(),
                     cfg.listen_port, (cfg.data_dir / "admin.sock").string());
    if (ops_http) ops_http->stop();
    admin_server.stop();
    for (auto& venue : venue_adapters) venue->stop();
    rt->shutdown();
    return 3;
  }
  spdlog::info(
      "fixgate ready: accepting client sessions on port {} ({} sessions, {} venues, {} instruments); "
      "admin socket {}; metrics and health {}",
      cfg.listen_port, cfg.client_sessions.size(), cfg.venues.size(), cfg.refdata.instruments.size(),
      (cfg.data_dir / "admin.sock").string(),
      ops_http ? "on http://" + cfg.ops.http_listen + "/metrics" : std::string("off (ops.http_listen)"));

  int signal_number = 0;
  for (;;) {
    sigwait(&stop_signals, &signal_number);
    if (signal_number != SIGHUP) break;
    spdlog::info("SIGHUP: reloading limits from {}", cfg.limits_file.string());
    reload_limits("SIGHUP");
  }
  spdlog::info("received signal {}; stopping: admin channel and client sessions first, then venues",
               signal_number);
  if (ops_http) ops_http->stop();
  admin_server.stop();
  clients.stop();
  // QuickFIX waits for each logout in whole seconds: stop the venues side by side, not one after another.
  std::vector<std::thread> stoppers;
  for (auto& venue : venue_adapters) stoppers.emplace_back([&venue] { venue->stop(); });
  for (auto& t : stoppers) t.join();
  rt->shutdown();
  if (shipper) {
    (void)journal->commit();  // so the shipper may ship everything up to the last record
    const auto last = journal->lastSeq();
    if (!shipper->waitShipped(last, std::chrono::seconds(5))) {
      spdlog::warn("audit shipper stopped before seq {}; it resumes from PostgreSQL at the next start", last);
    }
    shipper->stop();
  }
  spdlog::info("fixgate stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fixgate: FIX trading gateway with a compliance layer"};
  std::string config_file = "config/gateway.yaml";
  bool check_only = false;
  bool repair_journal_tail = false;
  app.add_option("-c,--config", config_file, "gateway configuration file")->capture_default_str();
  app.add_flag("--check-config", check_only, "validate the configuration, print the result and exit");
  app.add_flag(
      "--journal-repair-tail", repair_journal_tail,
      "if the journal's tail is torn or corrupt (machine crash), save the bad bytes beside the segment "
      "and continue after the last good record; never repairs damage followed by valid records");
  CLI11_PARSE(app, argc, argv);

  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  auto cfg = config::loadGatewayConfig(config_file);
  if (!cfg) {
    fmt::print(stderr, "fixgate: configuration refused, nothing started. Fix these and start again:\n{}",
               config::formatAll(cfg.error()));
    return 2;
  }
  ops::setUpLogging(cfg->ops.log_level, cfg->ops.log_format);
  if (check_only) {
    fmt::print("{}: configuration is valid ({} client sessions, {} venues, {} instruments)\n", config_file,
               cfg->client_sessions.size(), cfg->venues.size(), cfg->refdata.instruments.size());
    return 0;
  }
  int status = 3;
  try {
    status = run(*cfg, repair_journal_tail);
  } catch (const std::exception& e) {
    spdlog::critical("fixgate failed to start: {}", e.what());
  }
  ops::flushLogs();
  return status;
}
