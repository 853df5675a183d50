#include "runtime/runtime.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "clock/clock.h"
#include "core/trading_day.h"
#include "journal/journal_reader.h"

namespace fixgate::runtime {

std::optional<core::Event> refusedVenueRequest(const core::Action& action, std::string text,
                                               core::Timestamp at) {
  if (const auto* order = std::get_if<core::VenueNewOrder>(&action)) {
    return core::Event{at, core::VenueRejected{order->venue, order->venue_cl_ord_id, std::move(text)}};
  }
  if (const auto* cancel = std::get_if<core::VenueCancel>(&action)) {
    return core::Event{at,
                       core::VenueCancelRejected{cancel->venue, cancel->venue_cl_ord_id, std::move(text)}};
  }
  if (const auto* replace = std::get_if<core::VenueReplace>(&action)) {
    return core::Event{at,
                       core::VenueCancelRejected{replace->venue, replace->venue_cl_ord_id, std::move(text)}};
  }
  return std::nullopt;
}

Runtime::Runtime(core::Engine engine, ActionHandler handler, journal::Journal* journal,
                 EventObserver observer)
    : engine_(std::move(engine)),
      handler_(std::move(handler)),
      observer_(std::move(observer)),
      journal_(journal) {
  last_poll_ns_ = clock::steadyNanos();
  actions_.reserve(64);
  encoded_.reserve(4096);
  record_ends_.reserve(64);
  records_.reserve(64);
  posted_thread_ = std::thread([this] { postedLoop(); });
}

Runtime::~Runtime() {
  shutdown();
}

void Runtime::submit(core::Event&& event, std::vector<core::Action>* operator_actions) {
  // An event stamped after the next trading day began belongs to that day: start it first rather than leave
  // it to the poller, which would count up to kDeadlinePoll of the new day's orders against the old one.
  const core::Timestamp next_day = next_trading_day_us_.load(std::memory_order_relaxed);
  if (next_day != 0 && event.at >= next_day && !std::holds_alternative<core::StartTradingDay>(event.body)) {
    startTradingDayAt(event.at);
  }
  std::lock_guard lock(mutex_);
  engine_.apply(event, actions_);
  std::size_t recorded_up_to = record(event, 0) ? actions_.size() : 0;
  if (observer_) observer_(event, actions_);
  // Follow-ups append to actions_ as they are applied; index-based so growth is safe.
  for (std::size_t i = 0; i < actions_.size(); ++i) {
    if (operator_actions != nullptr && (std::holds_alternative<core::StateChange>(actions_[i]) ||
                                        std::holds_alternative<core::OperatorAlert>(actions_[i]) ||
                                        std::holds_alternative<core::LimitsApplied>(actions_[i]) ||
                                        std::holds_alternative<core::VenueCancel>(actions_[i]))) {
      operator_actions->push_back(actions_[i]);
    }
    std::optional<core::Event> follow_up;
    if (i < recorded_up_to) {
      follow_up = handler_(actions_[i]);
    } else {
      // Not recorded: a venue request must not leave; answer it as refused. Client reports and logs go out,
      // so the client learns the outcome.
      follow_up = refusedVenueRequest(
          actions_[i],
          "not sent: the gateway's journal cannot be written; orders are refused until it is fixed",
          event.at);
      if (!follow_up) follow_up = handler_(actions_[i]);
    }
    if (follow_up) {
      const std::size_t first = actions_.size();
      engine_.apply(*follow_up, actions_);
      if (record(*follow_up, first) && recorded_up_to == first) recorded_up_to = actions_.size();
      if (observer_) observer_(*follow_up, std::span(actions_).subspan(first));
    }
  }
  actions_.clear();
  if (journal_ != nullptr && journal_->failed() && !journal_halt_raised_) {
    haltOnJournalFailure(*journal_->failure(), event.at);
  }
}

bool Runtime::record(const core::Event& event, std::size_t first_action) {
  if (journal_ == nullptr) return true;
  if (journal_->failed()) return false;
  encoded_.clear();
  record_ends_.clear();
  records::encodeEvent(event, encoded_);
  record_ends_.push_back(encoded_.size());
  for (std::size_t i = first_action; i < actions_.size(); ++i) {
    records::encodeAction(actions_[i], encoded_);
    record_ends_.push_back(encoded_.size());
  }
  // Spans are taken only now: encoded_ may have moved while it grew.
  records_.clear();
  const auto* base = reinterpret_cast<const std::byte*>(encoded_.data());
  std::size_t begin = 0;
  for (std::size_t r = 0; r < record_ends_.size(); ++r) {
    const auto type = r == 0 ? records::RecordType::Event : records::RecordType::Action;
    records_.push_back({static_cast<std::uint16_t>(type), event.at,
                        std::span<const std::byte>(base + begin, record_ends_[r] - begin)});
    begin = record_ends_[r];
  }
  if (auto appended = journal_->appendBatch(records_); !appended) return false;
  if (auto committed = journal_->commit(); !committed) return false;
  return true;
}

void Runtime::haltOnJournalFailure(const journal::JournalError& error, core::Timestamp at) {
  journal_halt_raised_ = true;
  spdlog::critical(
      "journal cannot be written: {}. Trading is halted: every new order is refused until the disk is fixed "
      "and the gateway restarted (fixgate replays the journal on start)",
      error.message);
  // Applied but not journaled (the journal is what failed); its actions are only logs and client reports.
  core::Event halt{at, core::SetTradingState{core::Scope::Global, "", core::TradingState::Halted, false,
                                             "journal", "the gateway's journal cannot be written"}};
  const std::size_t first = actions_.size();
  engine_.apply(halt, actions_);
  for (std::size_t i = first; i < actions_.size(); ++i) {
    if (!refusedVenueRequest(actions_[i], "", at)) (void)handler_(actions_[i]);
  }
  actions_.resize(first);
}

std::expected<std::uint64_t, std::string> Runtime::replay(const std::filesystem::path& journal_dir,
                                                          std::uint64_t up_to_seq,
                                                          const JournaledLimitsParser& parse_limits) {
  std::lock_guard lock(mutex_);
  if (up_to_seq == 0) return 0;
  // The engine's reference data is the configuration's until the replay meets an ApplySettings, then that
  // run's (a start journals its settings before its limits).
  records::LimitsParser parse_against_replayed;
  if (parse_limits) {
    parse_against_replayed = [&](std::string_view content, std::string_view source) {
      return parse_limits(content, source, engine_.referenceData());
    };
  }
  auto reader = journal::JournalReader::open(journal_dir, 1);
  if (!reader) return std::unexpected(reader.error().message);
  std::uint64_t events = 0;
  std::vector<core::Action> discarded;
  while (reader->nextSeq() <= up_to_seq) {
    auto next = reader->next();
    if (!next) return std::unexpected(next.error().message);
    if (!next->has_value()) {
      return std::unexpected(fmt::format("journal ends at seq {} but was opened up to seq {}",
                                         reader->nextSeq() - 1, up_to_seq));
    }
    const auto& view = **next;
    if (view.type != static_cast<std::uint16_t>(records::RecordType::Event)) continue;
    const std::string_view payload(reinterpret_cast<const char*>(view.payload.data()), view.payload.size());
    auto event = records::decodeEvent(payload, parse_against_replayed);
    if (!event) return std::unexpected(fmt::format("journal record seq {}: {}", view.seq, event.error()));
    if (const auto* settings = std::get_if<core::ApplySettings>(&event->body)) {
      if (auto mismatch = core::indexMismatch(*settings, engine_.referenceData())) {
        return std::unexpected(fmt::format("journal record seq {}: {}", view.seq, *mismatch));
      }
    }
    engine_.apply(*event, discarded);
    discarded.clear();
    ++events;
  }
  return events;
}

void Runtime::post(core::Event&& event) {
  {
    std::lock_guard lock(posted_mutex_);
    posted_.push_back(std::move(event));
  }
  posted_cv_.notify_one();
}

void Runtime::shutdown() {
  {
    std::lock_guard lock(posted_mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  posted_cv_.notify_one();
  if (posted_thread_.joinable()) posted_thread_.join();
}

void Runtime::postedLoop() {
  std::unique_lock lock(posted_mutex_);
  for (;;) {
    posted_cv_.wait_for(lock, kDeadlinePoll, [this] { return stopping_ || !posted_.empty(); });
    while (!posted_.empty()) {
      auto event = std::move(posted_.front());
      posted_.pop_front();
      lock.unlock();
      submit(std::move(event));
      lock.lock();
    }
    if (stopping_) return;
    lock.unlock();
    tickIfDue();
    if (next_trading_day_us_.load(std::memory_order_relaxed) != 0) startTradingDayIfDue();
    last_poll_ns_.store(clock::steadyNanos(), std::memory_order_relaxed);
    lock.lock();
  }
}

std::chrono::milliseconds Runtime::sinceLastPoll() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::nanoseconds(clock::steadyNanos() - last_poll_ns_.load(std::memory_order_relaxed)));
}

void Runtime::tickIfDue() {
  const core::Timestamp now = clock::utcNowMicros();
  std::optional<core::Timestamp> due;
  {
    std::lock_guard engine_lock(mutex_);
    due = engine_.nextDeadline();
  }
  // Only a due deadline makes a Tick: a quiet gateway journals nothing.
  if (due && *due <= now) submit(core::Event{now, core::Tick{*due}});
}

void Runtime::startTradingDayIfDue() {
  startTradingDayAt(clock::utcNowMicros());
}

void Runtime::startTradingDayAt(core::Timestamp now) {
  if (now < next_trading_day_us_.load(std::memory_order_relaxed)) return;
  std::lock_guard day_lock(trading_day_mutex_);
  // Another thread may have started it while this one waited.
  if (now < next_trading_day_us_.load(std::memory_order_relaxed)) return;
  std::int64_t start_s = 0;
  bool due = false;
  std::string day;
  {
    std::lock_guard engine_lock(mutex_);
    start_s = engine_.referenceData().trading_day_start_s;
    day = core::tradingDayOf(now, start_s);
    due = engine_.tradingDay() < day;
  }
  if (due) submit(core::Event{now, core::StartTradingDay{std::move(day)}});
  next_trading_day_us_.store(core::nextTradingDayStart(now, start_s), std::memory_order_relaxed);
}

}  // namespace fixgate::runtime
