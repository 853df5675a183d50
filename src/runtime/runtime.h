// Serialises every event into the core (single writer), journals it with the actions it produced, and only
// then hands each action to its edge (write-ahead: nothing takes effect outside that is not recorded).
// QuickFIX calls in on its own threads; one mutex makes the core's apply() strictly sequential, and actions
// are dispatched before the next event is applied, so reports leave in decision order.
//
// Acknowledgement timeouts: the posting thread also looks at the engine's next deadline every
// kDeadlinePoll and applies a Tick event when it is due, so deadlines fire without any other traffic. It
// starts each trading day the same way (StartTradingDay), within kDeadlinePoll of the configured time.
//
// If the journal cannot be written, the gateway stops trading rather than trade unrecorded: the requests
// to venues of that event are answered as refused ("not sent: the journal cannot be written"), and a global
// halt (by "journal") refuses every later order until an operator fixes the disk and restarts.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <expected>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/actions.h"
#include "core/engine.h"
#include "core/events.h"
#include "journal/journal.h"
#include "records/codec.h"

namespace fixgate::runtime {

// Carries out one action. May return a follow-up event (e.g. the venue connection refused a send), which is
// applied right after the current event, under the same lock.
using ActionHandler = std::function<std::optional<core::Event>(const core::Action&)>;

// Sees each applied event with the actions it produced, under the lock, after journaling and before the
// actions are carried out (metrics). Must be quick and must not call back into the runtime.
using EventObserver = std::function<void(const core::Event&, std::span<const core::Action>)>;

// The answer the core gets when a venue request (VenueNewOrder, VenueCancel, VenueReplace) could not be sent:
// the order or the request is refused with `text`. nullopt for any other action.
std::optional<core::Event> refusedVenueRequest(const core::Action& action, std::string text,
                                               core::Timestamp at);

class Runtime {
 public:
  // `journal` may be null (no recording: unit tests and tools only); it must outlive the runtime.
  Runtime(core::Engine engine, ActionHandler handler, journal::Journal* journal = nullptr,
          EventObserver observer = nullptr);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Applies the event now, on the caller's thread. When `operator_actions` is given, the state changes,
  // alerts, limit swaps and venue cancels the event caused are copied there (for the admin channel's reply).
  void submit(core::Event&& event, std::vector<core::Action>* operator_actions = nullptr);

  // Applies the event soon, on the runtime's own thread. For callers that may hold a lock the dispatch path
  // also takes: QuickFIX calls onLogout with the session's mutex held, and dispatching sends through that
  // same session, so applying there directly could deadlock against another thread's send.
  void post(core::Event&& event);

  // Turns journaled limits YAML back into limits, checking the names it refers to against `refdata`: the
  // reference data of the run that journaled them (its ApplySettings, met earlier in the replay), so limits
  // naming an instrument removed from the instruments file since still replay as they were applied.
  using JournaledLimitsParser = std::function<std::expected<std::shared_ptr<const core::Limits>, std::string>(
      std::string_view content, std::string_view source, const core::ReferenceData& refdata)>;

  // Rebuilds the engine from every event in the journal directory, before any session starts: actions are
  // recomputed and dropped (they took effect in the run that journaled them). Returns how many events were
  // applied, or what stopped the replay (corrupt record, undecodable payload, limits that no longer parse, a
  // venue or session that is no longer at the position an earlier run journaled it at).
  std::expected<std::uint64_t, std::string> replay(const std::filesystem::path& journal_dir,
                                                   std::uint64_t up_to_seq,
                                                   const JournaledLimitsParser& parse_limits);
  // Starts the trading day in force now (StartTradingDay, at the engine's refdata.trading_day_start_s) when
  // the engine has not started it yet. Call once at start, after the replay and before any session opens, so
  // a day that began while the gateway was down is started before any order; from then on the runtime's own
  // thread calls it every kDeadlinePoll (not before: a day started ahead of the replay would be undone by
  // it), and submit() before any event stamped at or after the next day's start, so none of the new day's
  // orders counts against the old day.
  void startTradingDayIfDue();

  // Applies what was posted, then stops the posting thread. Call after the edges have stopped.
  void shutdown();

  // How long ago the runtime's own thread last went round its loop (it does every kDeadlinePoll): a
  // liveness signal, since that loop takes the engine lock. Grows when the engine is stuck.
  [[nodiscard]] std::chrono::milliseconds sinceLastPoll() const;

  // Read access to the engine under the lock, for status queries and tests.
  template <typename F>
  auto inspect(F&& f) {
    std::lock_guard lock(mutex_);
    return f(static_cast<const core::Engine&>(engine_));
  }

 private:
  void postedLoop();
  // Applies a Tick when the engine's earliest acknowledgement deadline has passed.
  void tickIfDue();
  // startTradingDayIfDue as of `now`: the poller's clock, or the stamp of an event submitted after the start.
  void startTradingDayAt(core::Timestamp now);
  // How often the posting thread looks at the engine's deadlines: the resolution of ack timeouts.
  static constexpr std::chrono::milliseconds kDeadlinePoll{10};
  // Journals `event` and actions_[first_action...]; false (and the halt raised) when the journal failed.
  bool record(const core::Event& event, std::size_t first_action);
  void haltOnJournalFailure(const journal::JournalError& error, core::Timestamp at);

  std::mutex mutex_;
  core::Engine engine_;
  ActionHandler handler_;
  EventObserver observer_;
  std::vector<core::Action> actions_;  // reused: no allocation per event once warm
  journal::Journal* journal_ = nullptr;
  std::string encoded_;                        // reused encoding buffer
  std::vector<std::size_t> record_ends_;       // where each encoded record ends in encoded_
  std::vector<journal::RecordInput> records_;  // reused
  bool journal_halt_raised_ = false;

  std::mutex posted_mutex_;
  std::condition_variable posted_cv_;
  std::deque<core::Event> posted_;
  bool stopping_ = false;
  std::atomic<std::int64_t> last_poll_ns_{0};  // steady clock
  // When startTradingDayIfDue next has work; 0 until the gateway first calls it.
  std::atomic<core::Timestamp> next_trading_day_us_{0};
  std::mutex trading_day_mutex_;  // one thread starts a day; taken only once next_trading_day_us_ has passed
  std::thread posted_thread_;
};

}  // namespace fixgate::runtime
