// The core: a deterministic state machine, apply(event) -> actions. It owns every live order, its FIX order
// state and its routing. It reads no clock, does no I/O and starts no thread; callers serialise apply().
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <expected>
#include <memory>
#include <utility>

#include "core/actions.h"
#include "core/events.h"
#include "core/fingerprint_set.h"
#include "core/limits.h"
#include "core/order.h"
#include "core/pre_trade.h"
#include "core/reference_data.h"
#include "core/risk_state.h"
#include "core/trading_states.h"

namespace fixgate::core {

class Engine {
 public:
  // id_prefix must make ids unique across restarts (the app uses instance id + start time). Without limits
  // (nullptr) every new order is refused: risk checks fail closed.
  Engine(ReferenceData refdata, std::string id_prefix, std::shared_ptr<const Limits> limits);

  // Decides on one event; appends what must happen to `out` (which it does not clear).
  void apply(const Event& event, std::vector<Action>& out);

  [[nodiscard]] const ReferenceData& referenceData() const { return refdata_; }
  [[nodiscard]] const Order* findByClOrdId(SessionId session, std::string_view cl_ord_id) const;
  [[nodiscard]] const Order* findByVenueClOrdId(std::string_view venue_cl_ord_id) const;
  [[nodiscard]] std::size_t openOrderCount() const;
  [[nodiscard]] std::size_t openOrderCount(VenueId venue) const;
  // Orders held in memory: the open ones and the final ones within their retention.
  [[nodiscard]] std::size_t heldOrderCount() const { return orders_.size(); }
  // Status queries waiting for the venue's status_queries_per_second window (one for an order settled
  // meanwhile is dropped, unsent, when its turn comes).
  [[nodiscard]] std::size_t queuedStatusQueries(VenueId venue) const {
    return venue < status_pacing_.size() ? status_pacing_[venue].backlog.size() : 0;
  }
  // Orders released after their retention (their ClOrdIDs are remembered as fingerprints).
  [[nodiscard]] std::uint64_t releasedOrderCount() const { return released_orders_; }
  [[nodiscard]] bool venueUp(VenueId venue) const { return venue < venue_up_.size() && venue_up_[venue]; }
  [[nodiscard]] const Limits* limits() const { return limits_.get(); }
  [[nodiscard]] const RiskState& risk() const { return risk_; }
  [[nodiscard]] const TradingStates& tradingStates() const { return states_; }
  // The trading day started last (StartTradingDay), YYYY-MM-DD; empty before the first.
  [[nodiscard]] const std::string& tradingDay() const { return trading_day_; }
  // The earliest acknowledgement deadline still pending, if any: the runtime sends a Tick when it is due.
  // Drops deadlines already settled, hence not const.
  [[nodiscard]] std::optional<Timestamp> nextDeadline();

 private:
  struct Ctx {
    Timestamp at;
    std::vector<Action>& out;
  };

  void onNew(const NewOrder& cmd, Ctx ctx);
  void onCancel(const CancelOrder& cmd, Ctx ctx);
  void onReplace(const ReplaceOrder& cmd, Ctx ctx);
  void onStatus(const StatusRequest& cmd, Ctx ctx);
  void onMassCancel(const MassCancel& cmd, Ctx ctx);
  void onVenueAccepted(const VenueAccepted& ev, Ctx ctx);
  void onVenueFill(const VenueFill& ev, Ctx ctx);
  void onVenueCanceled(const VenueCanceled& ev, Ctx ctx);
  void onVenueReplaced(const VenueReplaced& ev, Ctx ctx);
  void onVenueRejected(const VenueRejected& ev, Ctx ctx);
  void onVenueNewOrderUnsent(const VenueNewOrderUnsent& ev, Ctx ctx);
  void onVenueCancelRejected(const VenueCancelRejected& ev, Ctx ctx);
  void onVenueExpired(const VenueExpired& ev, Ctx ctx);
  void setVenueUp(VenueId venue, bool up, Ctx ctx);
  void setSessionUp(SessionId session, bool up, Ctx ctx);
  // After a venue (re)connects: asks it for the status of every order whose request was in flight, and sends
  // the cancels deferred while it was down.
  void reconcileWithVenue(VenueId venue, Ctx ctx);
  void onSetTradingState(const SetTradingState& cmd, Ctx ctx);
  void onResetSessionBreaker(const ResetSessionBreaker& cmd, Ctx ctx);
  void onApplyLimits(const ApplyLimits& cmd, Ctx ctx);
  void onApplySettings(const ApplySettings& cmd);
  void onStartTradingDay(const StartTradingDay& cmd, Ctx ctx);
  void onVenueOrderStatus(const VenueOrderStatus& ev, Ctx ctx);
  void applyMissingFills(Order& order, const VenueOrderStatus& ev, Ctx ctx);

  // Acknowledgement deadlines (design principle 10): a venue request is a state machine with a deadline;
  // when it passes unanswered the order's venue state becomes unknown, and a late answer is reconciled.
  // Status: the answer to the latest OrderStatusRequest, awaited as long as an order acknowledgement; when it
  // does not come the query is sent again, kMaxStatusRetries times, then an operator alert.
  enum class AwaitedAnswer : std::uint8_t { NewOrder, Cancel, Replace, Status };
  static constexpr std::uint8_t kMaxStatusRetries = 3;
  struct Deadline {
    Timestamp at = 0;
    std::uint32_t order = 0;
    AwaitedAnswer awaited = AwaitedAnswer::NewOrder;
    bool operator>(const Deadline& other) const { return at > other.at; }
  };
  [[nodiscard]] std::int64_t ackTimeoutUs(VenueId venue, AwaitedAnswer awaited) const;
  void armDeadline(Order& order, AwaitedAnswer awaited, Timestamp sent_at);
  [[nodiscard]] bool stillAwaited(const Deadline& deadline) const;
  void fireDueDeadlines(Ctx ctx);
  void onAckTimeout(Order& order, AwaitedAnswer awaited, Ctx ctx);
  // A timed-out cancel or replace the venue's status answer shows it never applied: the client is told.
  void settleLostRequest(Order& order, bool replace, Ctx ctx);
  // Asks the venue for the order's status under a fresh query id (the order keeps the latest) and arms the
  // deadline for its answer; `retry` when re-sent because the previous answer never came.
  void queryVenueStatus(Order& order, Ctx ctx, bool retry = false);
  void onStatusTimeout(Order& order, Ctx ctx);
  // Status queries after a reconnect go out at the venue's status_queries_per_second at most: no more than
  // that many in any one-second window, by the events' time. What does not fit waits in the venue's backlog
  // and goes when the oldest send leaves the window (a Tick), so pacing journals about one Tick a second.
  struct StatusPacing {
    std::deque<std::uint32_t> backlog;  // order indices, in arrival order
    std::deque<Timestamp> sent;         // when each paced query of the last second went out, oldest first
  };
  // Queries the order's status now if the venue's window allows, else queues it behind the backlog.
  void queryVenueStatusPaced(Order& order, Ctx ctx);
  // How many paced queries went to the venue in the second up to `now` (forgetting older ones).
  std::size_t statusQueriesInWindow(VenueId venue, Timestamp now);
  // Sends what the windows allow of every venue's backlog.
  void drainStatusBacklogs(Ctx ctx);
  [[nodiscard]] std::optional<Timestamp> statusBacklogDue(VenueId venue) const;
  // The latest status answer shows the venue never received a new order: why it must not be sent again
  // (empty when it may be), and the replay itself, with PossResend=Y and the same venue ClOrdID, so the
  // venue can refuse a copy of an order it does have and can never hold two orders for one client order.
  static constexpr std::uint8_t kMaxReplays = 1;
  [[nodiscard]] std::string replayRefusal(const Order& order, Ctx ctx);
  void replayNewOrder(Order& order, Ctx ctx);
  void rejectUnreceivedOrder(Order& order, std::string_view why_not_replayed, Ctx ctx);
  // Whether the trading states refuse `order` as a new order now (emitting any state that expired).
  [[nodiscard]] std::optional<Reject> tradingStateRefusal(const Order& order, Ctx ctx);
  // A new order ends rejected: its risk usage is released and the client told why.
  void rejectOrder(Order& order, Reject reject, Ctx ctx);
  void sendNewToVenue(Order& order, Ctx ctx);
  // Orders accepted while their venue is down and the venue holds them (hold_while_disconnected_us): kept
  // unsent, sent when the venue reconnects, rejected when the hold ends first.
  void holdOrder(Order& order, std::int64_t hold_us, Ctx ctx);
  void releaseHeldOrder(Order& order, Ctx ctx);
  void expireHeldOrder(Order& order, Ctx ctx);

  // Entitlements, trading states and the pre-trade chain for new terms (a replace passes its old share).
  // Runs the pre-trade controls and records the verdict as a RiskDecision action.
  std::optional<Reject> checkRisk(SessionId session, std::string_view cl_ord_id, VenueId venue,
                                  const OrderTerms& terms, std::optional<WorkingContribution> replaced,
                                  Price& valuation, Ctx ctx);
  std::optional<Reject> evaluateRisk(SessionId session, VenueId venue, const OrderTerms& terms,
                                     std::optional<WorkingContribution> replaced, Price& valuation, Ctx ctx);
  void resolveAccount(SessionId session, OrderTerms& terms) const;
  [[nodiscard]] static WorkingContribution workingOf(const Order& order);
  // Applies a change to an order while keeping its account's working usage exact.
  template <typename F>
  void changeOrder(Order& order, F&& change);
  void setOpen(const Order& order, bool open);
  // Releases the orders final for longer than the retention at the event's time: memory follows open orders.
  void releaseFinalOrders(Ctx ctx);
  void release(Order& order, Ctx ctx);
  void addClientId(Order& order, std::string_view cl_ord_id);
  void addVenueId(Order& order, std::string_view venue_cl_ord_id);
  // The ClOrdID names an order of the session, held or released.
  [[nodiscard]] bool clOrdIdUsed(SessionId session, std::string_view cl_ord_id) const;
  // The id is one this engine minted for a venue request (any run): one not held belongs to a released
  // order. Decided from the id's form (prefix, 'V', counter), so released venue ids cost no memory.
  [[nodiscard]] bool mintedVenueId(std::string_view venue_cl_ord_id) const;
  // The order with this index, nullptr once released.
  [[nodiscard]] const Order* orderAt(std::uint32_t index) const;
  [[nodiscard]] Order* orderAt(std::uint32_t index);
  // The open orders that `wanted` selects, in arrival order: a snapshot, since handling one may make it
  // final (orders are only released at the start of an event, so the pointers stay valid through it).
  template <typename P>
  [[nodiscard]] std::vector<Order*> openOrdersWhere(P&& wanted);
  [[nodiscard]] std::int64_t retentionSeconds() const {
    return refdata_.final_order_retention_us / 1'000'000;
  }
  void noteRequest(SessionId session, bool rejected, Ctx ctx);
  void emit(std::optional<StateChange> change, Ctx ctx);

  Order* orderByClOrdId(SessionId session, std::string_view cl_ord_id);
  // The checks a cancel and a replace share: the order exists, the new ClOrdID is fresh, the order is not
  // final and has nothing pending. The refusal carries the order when it was found.
  using Amendable = std::expected<Order*, std::pair<const Order*, Reject>>;
  Amendable amendableOrder(SessionId session, std::string_view cl_ord_id, std::string_view orig_cl_ord_id,
                           std::string_view request);
  Order* orderForVenueEvent(VenueId venue, std::string_view venue_cl_ord_id, std::string_view what, Ctx ctx);
  void sendCancelToVenue(Order& order, std::string client_cl_ord_id, Ctx ctx, std::string text = {});
  ExecReport report(const Order& order, ExecKind kind, Timestamp at);
  // A client's resend (PossDupFlag=Y) of a request whose ClOrdID fixgate already took for one of its orders
  // (`request`: "order", "cancel request", "replace request"): answered with that order's status, nothing to
  // the venue. False when it is no such resend, and the request is handled as sent.
  bool answerResend(std::optional<bool> poss_dup, SessionId session, const std::string& cl_ord_id,
                    const std::string& orig_cl_ord_id, std::string_view request, Ctx ctx);
  // Books a fill of `qty` at `px` into the order and its account's risk usage; returns the client's report.
  ExecReport applyFill(Order& order, Qty qty, Price px, Timestamp at);
  std::string nextId(char kind);

  ReferenceData refdata_;
  std::string id_prefix_;
  std::shared_ptr<const Limits> limits_;
  RiskState risk_;
  TradingStates states_{refdata_};
  DuplicateGuard duplicates_;
  std::uint64_t id_counter_ = 0;
  std::vector<bool> venue_up_;
  std::vector<bool> session_up_;
  Timestamp now_ = 0;  // the time of the event being applied
  // Orders by Order::index (node-based: an Order never moves); the final ones only until their retention
  // ends.
  std::unordered_map<std::uint32_t, Order> orders_;
  std::uint32_t next_index_ = 0;
  std::set<std::uint32_t> open_orders_;     // indices of the orders not in a final state, in arrival order
  std::vector<std::size_t> open_by_venue_;  // the same, counted per venue
  std::deque<std::pair<Timestamp, std::uint32_t>> final_orders_;  // when each held order became final
  std::vector<StringMap<Order*>> by_client_cl_ord_id_;  // per session: every ClOrdID of a held order
  FingerprintSet released_cl_ord_ids_;     // every ClOrdID of a released order, salted with its session
  StringMap<Order*> by_venue_cl_ord_id_;   // every venue-side ClOrdID of a held order
  std::vector<std::string> run_prefixes_;  // the id prefix of every run so far (BeginRun)
  std::uint64_t released_orders_ = 0;
  std::string trading_day_;  // YYYY-MM-DD, from the last StartTradingDay
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;  // earliest first
  std::vector<StatusPacing> status_pacing_;                                         // by VenueId
  std::size_t status_backlog_ = 0;  // queued status queries over all venues
};

}  // namespace fixgate::core
