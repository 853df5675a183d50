#include "core/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <utility>

#include "core/routing.h"
#include "core/validation.h"

namespace fixgate::core {
namespace {

constexpr std::string_view kNoOrderId = "NONE";

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

ExecReport rejectedNewOrder(const NewOrder& cmd, Reject reject, Timestamp at) {
  ExecReport r;
  r.session = cmd.session;
  r.kind = ExecKind::Rejected;
  r.status = OrdStatus::Rejected;
  r.order_id = kNoOrderId;
  r.cl_ord_id = cmd.cl_ord_id;
  r.account = cmd.terms.account;
  r.symbol = cmd.terms.symbol;
  r.side = cmd.terms.side;
  r.ord_type = cmd.terms.ord_type;
  r.time_in_force = cmd.terms.time_in_force;
  r.order_qty = cmd.terms.quantity;
  r.price = cmd.terms.price;
  r.stop_price = cmd.terms.stop_price;
  r.reject = reject.code;
  r.text = std::move(reject.text);
  r.transact_time = at;
  return r;
}

CancelReject cancelReject(SessionId session, bool for_replace, std::string cl_ord_id,
                          std::string orig_cl_ord_id, const Order* order, Reject reject, Timestamp at) {
  CancelReject r;
  r.session = session;
  r.for_replace = for_replace;
  r.cl_ord_id = std::move(cl_ord_id);
  r.orig_cl_ord_id = std::move(orig_cl_ord_id);
  r.order_id = order ? order->order_id : std::string(kNoOrderId);
  r.status = order ? order->visibleStatus() : OrdStatus::Rejected;
  r.reject = reject.code;
  r.text = std::move(reject.text);
  r.transact_time = at;
  return r;
}

}  // namespace

Engine::Engine(ReferenceData refdata, std::string id_prefix, std::shared_ptr<const Limits> limits)
    : refdata_(std::move(refdata)),
      id_prefix_(std::move(id_prefix)),
      limits_(std::move(limits)),
      venue_up_(refdata_.venue_names.size(), false),
      session_up_(refdata_.session_names.size(), false),
      by_client_cl_ord_id_(refdata_.session_names.size()),
      released_cl_ord_ids_(refdata_.expected_cl_ord_ids_per_day),
      run_prefixes_{id_prefix_},
      status_pacing_(refdata_.venue_names.size()) {}

void Engine::apply(const Event& event, std::vector<Action>& out) {
  const Ctx ctx{event.at, out};
  now_ = event.at;
  if (!final_orders_.empty()) releaseFinalOrders(ctx);
  // Before the event: an answer that arrives after its deadline is reconciled against the timed-out state.
  if (!deadlines_.empty() && deadlines_.top().at <= event.at) fireDueDeadlines(ctx);
  std::visit(Overloaded{
                 [&](const NewOrder& e) { onNew(e, ctx); },
                 [&](const CancelOrder& e) { onCancel(e, ctx); },
                 [&](const ReplaceOrder& e) { onReplace(e, ctx); },
                 [&](const StatusRequest& e) { onStatus(e, ctx); },
                 [&](const MassCancel& e) { onMassCancel(e, ctx); },
                 [&](const ClientSessionUp& e) { setSessionUp(e.session, true, ctx); },
                 [&](const ClientSessionDown& e) { setSessionUp(e.session, false, ctx); },
                 [&](const VenueUp& e) { setVenueUp(e.venue, true, ctx); },
                 [&](const VenueDown& e) { setVenueUp(e.venue, false, ctx); },
                 [&](const VenueAccepted& e) { onVenueAccepted(e, ctx); },
                 [&](const VenueFill& e) { onVenueFill(e, ctx); },
                 [&](const VenueCanceled& e) { onVenueCanceled(e, ctx); },
                 [&](const VenueReplaced& e) { onVenueReplaced(e, ctx); },
                 [&](const VenueRejected& e) { onVenueRejected(e, ctx); },
                 [&](const VenueCancelRejected& e) { onVenueCancelRejected(e, ctx); },
                 [&](const VenueExpired& e) { onVenueExpired(e, ctx); },
                 [&](const SetTradingState& e) { onSetTradingState(e, ctx); },
                 [&](const ResetSessionBreaker& e) { onResetSessionBreaker(e, ctx); },
                 [&](const ApplyLimits& e) { onApplyLimits(e, ctx); },
                 [&](const BeginRun& e) {
                   id_prefix_ = e.id_prefix;
                   run_prefixes_.push_back(id_prefix_);
                 },
                 [&](const VenueOrderStatus& e) { onVenueOrderStatus(e, ctx); },
                 [&](const Tick&) {},  // its deadlines fired above
                 [&](const StartTradingDay& e) { onStartTradingDay(e, ctx); },
                 [&](const ApplySettings& e) { onApplySettings(e); },
                 [&](const VenueNewOrderUnsent& e) { onVenueNewOrderUnsent(e, ctx); },
             },
             event.body);
  // After the event: a venue that just dropped has no backlog left to send into its dead session.
  if (status_backlog_ > 0) drainStatusBacklogs(ctx);
}

const Order* Engine::findByClOrdId(SessionId session, std::string_view cl_ord_id) const {
  if (session >= by_client_cl_ord_id_.size()) return nullptr;
  const auto& ids = by_client_cl_ord_id_[session];
  const auto it = ids.find(cl_ord_id);
  return it == ids.end() ? nullptr : it->second;
}

Order* Engine::orderByClOrdId(SessionId session, std::string_view cl_ord_id) {
  return const_cast<Order*>(std::as_const(*this).findByClOrdId(session, cl_ord_id));
}

const Order* Engine::findByVenueClOrdId(std::string_view venue_cl_ord_id) const {
  const auto it = by_venue_cl_ord_id_.find(venue_cl_ord_id);
  return it == by_venue_cl_ord_id_.end() ? nullptr : it->second;
}

std::size_t Engine::openOrderCount() const {
  std::size_t n = 0;
  for (const auto count : open_by_venue_) n += count;
  return n;
}

std::size_t Engine::openOrderCount(VenueId venue) const {
  return venue < open_by_venue_.size() ? open_by_venue_[venue] : 0;
}

void Engine::setOpen(const Order& order, bool open) {
  if (order.venue >= open_by_venue_.size()) open_by_venue_.resize(order.venue + 1u, 0);
  if (open) {
    ++open_by_venue_[order.venue];
    open_orders_.insert(order.index);
  } else {
    --open_by_venue_[order.venue];
    open_orders_.erase(order.index);
    // With no retention every order is kept: nothing to queue for release.
    if (refdata_.final_order_retention_us > 0) final_orders_.emplace_back(now_, order.index);
  }
}

const Order* Engine::orderAt(std::uint32_t index) const {
  const auto it = orders_.find(index);
  return it == orders_.end() ? nullptr : &it->second;
}

Order* Engine::orderAt(std::uint32_t index) {
  return const_cast<Order*>(std::as_const(*this).orderAt(index));
}

template <typename P>
std::vector<Order*> Engine::openOrdersWhere(P&& wanted) {
  std::vector<Order*> selected;
  for (const auto index : open_orders_) {
    Order& order = orders_.at(index);
    if (wanted(order)) selected.push_back(&order);
  }
  return selected;
}

void Engine::addClientId(Order& order, std::string_view cl_ord_id) {
  order.client_cl_ord_ids.emplace_back(cl_ord_id);
  by_client_cl_ord_id_[order.session].emplace(order.client_cl_ord_ids.back(), &order);
}

void Engine::addVenueId(Order& order, std::string_view venue_cl_ord_id) {
  order.venue_cl_ord_ids.emplace_back(venue_cl_ord_id);
  by_venue_cl_ord_id_.emplace(order.venue_cl_ord_ids.back(), &order);
}

bool Engine::clOrdIdUsed(SessionId session, std::string_view cl_ord_id) const {
  return findByClOrdId(session, cl_ord_id) != nullptr || released_cl_ord_ids_.contains(cl_ord_id, session);
}

bool Engine::mintedVenueId(std::string_view id) const {
  for (const auto& prefix : run_prefixes_) {
    if (!id.starts_with(prefix) || id.size() <= prefix.size() + 1 || id[prefix.size()] != 'V') continue;
    const std::string_view digits = id.substr(prefix.size() + 1);
    std::uint64_t counter = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), counter);
    if (error == std::errc{} && end == digits.data() + digits.size() && counter <= id_counter_) return true;
  }
  return false;
}

void Engine::releaseFinalOrders(Ctx ctx) {
  while (!final_orders_.empty() &&
         final_orders_.front().first + refdata_.final_order_retention_us <= ctx.at) {
    const std::uint32_t index = final_orders_.front().second;
    final_orders_.pop_front();
    Order* order = orderAt(index);
    if (order != nullptr && isFinal(order->status)) release(*order, ctx);
  }
}

void Engine::onStartTradingDay(const StartTradingDay& cmd, Ctx ctx) {
  if (cmd.trade_date <= trading_day_) return;  // started already (or an older day): nothing to do again
  const std::string previous = std::exchange(trading_day_, cmd.trade_date);
  if (previous.empty()) {
    // The first day this journal records: whatever usage it holds (from a journal written before days were
    // started) stays, which errs towards refusing rather than towards allowing.
    ctx.out.emplace_back(
        OperatorAlert{alert_code::kTradingDayStarted,
                      fmt::format("trading day {} started; no earlier day in the journal, so nothing was "
                                  "reset",
                                  trading_day_)});
    return;
  }
  const std::size_t accounts = risk_.startDay();
  const std::size_t forgotten = released_cl_ord_ids_.size();
  released_cl_ord_ids_.clear();
  ctx.out.emplace_back(OperatorAlert{
      alert_code::kTradingDayStarted,
      fmt::format("trading day {} started after {}: fills, realized P&L and credit warnings reset for {} "
                  "account(s); positions and {} open order(s) carry over; {} ClOrdID(s) of orders released "
                  "earlier may be used again",
                  trading_day_, previous, accounts, openOrderCount(), forgotten)});
}

void Engine::release(Order& order, Ctx ctx) {
  auto& by_client = by_client_cl_ord_id_[order.session];
  for (const auto& id : order.client_cl_ord_ids) {
    by_client.erase(id);
    if (released_cl_ord_ids_.insert(id, order.session) == FingerprintSet::Inserted::AddedAfterGrowing &&
        refdata_.expected_cl_ord_ids_per_day > 0 &&
        released_cl_ord_ids_.size() > refdata_.expected_cl_ord_ids_per_day) {
      ctx.out.emplace_back(OperatorAlert{
          alert_code::kClOrdIdTableGrown,
          fmt::format(
              "{} ClOrdIDs of released orders are remembered today, more than "
              "gateway.expected_cl_ord_ids_per_day ({}): the table grew to {} slots ({:.1f} MiB), pausing "
              "the order path while it did; raise the setting to the day's volume",
              released_cl_ord_ids_.size(), refdata_.expected_cl_ord_ids_per_day, released_cl_ord_ids_.slots(),
              static_cast<double>(released_cl_ord_ids_.bytes()) / (1 << 20))});
    }
  }
  for (const auto& id : order.venue_cl_ord_ids) by_venue_cl_ord_id_.erase(id);
  ++released_orders_;
  orders_.erase(order.index);
}

std::string Engine::nextId(char kind) {
  // Several ids an order (OrderID, venue ClOrdIDs, an ExecID a report): built directly, a fifth of what
  // fmt::format costs here.
  char digits[20];
  const auto digits_end = std::to_chars(std::begin(digits), std::end(digits), ++id_counter_).ptr;
  std::string id;
  id.reserve(id_prefix_.size() + 1 + static_cast<std::size_t>(digits_end - digits));
  id.append(id_prefix_).push_back(kind);
  id.append(digits, digits_end);
  return id;
}

void Engine::setVenueUp(VenueId venue, bool up, Ctx ctx) {
  if (venue >= venue_up_.size()) return;
  const bool was_up = venue_up_[venue];
  venue_up_[venue] = up;
  if (was_up && !up) {
    if (limits_) emit(states_.onVenueFailure(venue, "disconnect", limits_->breakers, ctx.at), ctx);
    // Queries not sent yet stay unsent: the reconnect asks about every open order again.
    auto& backlog = status_pacing_[venue].backlog;
    for (const std::uint32_t index : backlog) {
      if (Order* order = orderAt(index)) order->status_queued = false;
    }
    status_backlog_ -= backlog.size();
    backlog.clear();
  }
  if (!was_up && up) reconcileWithVenue(venue, ctx);
}

void Engine::reconcileWithVenue(VenueId venue, Ctx ctx) {
  for (Order* open : openOrdersWhere([&](const Order& o) { return o.venue == venue; })) {
    Order& order = *open;
    if (isFinal(order.status)) continue;
    if (order.held) {
      releaseHeldOrder(order, ctx);
      continue;
    }
    // Whatever was sent before the connection dropped may or may not have arrived, and a venue that restarted
    // may have lost its book: the venue's status answer settles each open order, an in-flight request
    // exactly as after an acknowledgement timeout.
    if (order.status == OrdStatus::PendingNew) order.new_ack_timed_out = true;
    if (order.pending_cancel) order.pending_cancel->timed_out = true;
    if (order.pending_replace) order.pending_replace->timed_out = true;
    order.status_queried = true;
    queryVenueStatusPaced(order, ctx);
    if (!order.cancel_when_venue_up.empty() && !order.pending_cancel) {
      sendCancelToVenue(order, std::string{}, ctx, std::move(order.cancel_when_venue_up));
    }
    order.cancel_when_venue_up.clear();
  }
  const std::size_t queued = status_pacing_[venue].backlog.size();
  if (queued == 0) return;
  const std::uint32_t rate = refdata_.statusQueriesPerSecond(venue);
  ctx.out.emplace_back(OperatorAlert{
      alert_code::kStatusQueriesPaced,
      fmt::format("venue {} reconnected with more open orders than its status_queries_per_second ({}) "
                  "allows at once: {} status queries wait and go out over about {} s. Until each is "
                  "answered fixgate keeps the order as it last knew it (unknown where a request was in "
                  "flight); raise the rate only if the venue's throttle allows",
                  refdata_.venue_names[venue], rate, queued, (queued + rate - 1) / rate)});
}

void Engine::setSessionUp(SessionId session, bool up, Ctx ctx) {
  if (session >= session_up_.size()) return;
  const bool was_up = session_up_[session];
  session_up_[session] = up;
  if (!was_up || up || !refdata_.cancelsOnDisconnect(session)) return;
  const std::string text = fmt::format("canceled by fixgate: cancel-on-disconnect, session {} disconnected",
                                       refdata_.session_names[session]);
  int canceling = 0;
  int deferred = 0;
  for (Order* open : openOrdersWhere([&](const Order& o) { return o.session == session; })) {
    Order& order = *open;
    if (isFinal(order.status) || order.pending_cancel) continue;
    if (venueUp(order.venue) || order.held) {
      sendCancelToVenue(order, std::string{}, ctx, text);
      ++canceling;
    } else {
      order.cancel_when_venue_up = text;  // sent when the venue reconnects
      ++deferred;
    }
  }
  if (canceling + deferred > 0) {
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kCancelOnDisconnect,
        fmt::format("session {} disconnected: canceling its {} open order(s){}",
                    refdata_.session_names[session], canceling + deferred,
                    deferred > 0 ? fmt::format(" ({} when their venue reconnects)", deferred) : "")});
  }
}

void Engine::emit(std::optional<StateChange> change, Ctx ctx) {
  if (change) ctx.out.emplace_back(std::move(*change));
}

WorkingContribution Engine::workingOf(const Order& order) {
  const Qty leaves = order.leavesQty();
  WorkingContribution c{order.terms.side, leaves, notionalOf(order.valuation_px, leaves)};
  if (order.pending_replace && !isFinal(order.status)) {
    // Until the venue answers, the order may end up with either terms: reserve the larger of each.
    const Qty pending_leaves = std::max<Qty>(order.pending_terms.quantity - order.cum_qty, 0);
    c.qty = std::max(c.qty, pending_leaves);
    c.notional = std::max(c.notional, notionalOf(order.pending_valuation_px, pending_leaves));
  }
  return c;
}

template <typename F>
void Engine::changeOrder(Order& order, F&& change) {
  const bool was_open = !isFinal(order.status);
  if (was_open) risk_.removeWorking(order.terms.account, order.terms.symbol, order.reserved);
  change();
  const bool is_open = !isFinal(order.status);
  if (is_open) {
    order.reserved = workingOf(order);
    risk_.addWorking(order.terms.account, order.terms.symbol, order.reserved);
  }
  if (was_open != is_open) setOpen(order, is_open);
}

void Engine::noteRequest(SessionId session, bool rejected, Ctx ctx) {
  if (limits_) emit(states_.onSessionRequest(session, rejected, limits_->breakers, ctx.at), ctx);
}

void Engine::resolveAccount(SessionId session, OrderTerms& terms) const {
  if (!terms.account.empty() || !limits_) return;
  const auto it = limits_->sessions.find(refdata_.session_names[session]);
  if (it != limits_->sessions.end()) terms.account = it->second.default_account;
}

std::optional<Reject> Engine::checkRisk(SessionId session, std::string_view cl_ord_id, VenueId venue,
                                        const OrderTerms& terms, std::optional<WorkingContribution> replaced,
                                        Price& valuation, Ctx ctx) {
  auto reject = evaluateRisk(session, venue, terms, replaced, valuation, ctx);
  RiskDecision decision{session,
                        replaced.has_value(),
                        std::string(cl_ord_id),
                        terms.account,
                        terms.symbol,
                        reject ? std::optional(reject->code) : std::nullopt,
                        reject ? reject->text : std::string(),
                        limits_ ? std::shared_ptr<const std::string>(limits_, &limits_->version) : nullptr,
                        ctx.at,
                        limits_ ? referencePrice(*limits_, risk_, terms.symbol) : std::nullopt};
  ctx.out.emplace_back(std::move(decision));
  return reject;
}

std::optional<Reject> Engine::evaluateRisk(SessionId session, VenueId venue, const OrderTerms& terms,
                                           std::optional<WorkingContribution> replaced, Price& valuation,
                                           Ctx ctx) {
  if (!limits_) {
    return makeReject(RejectCode::NoLimitsLoaded,
                      "no risk limits are loaded; the gateway refuses every order");
  }
  PreTradeInput in{session, refdata_.session_names[session],   venue,    refdata_.venue_names[venue],
                   &terms,  refdata_.instrument(terms.symbol), replaced, ctx.at};
  resolveOrder(*limits_, risk_, in);  // looks the order's keys up once for every stage below
  if (auto reject = checkEntitlements(*limits_, in)) return reject;
  auto state_reject =
      states_.checkNewOrder(session, terms.account, terms.symbol, venue, reducesPosition(risk_, in), ctx.at);
  if (states_.hasExpired()) {  // no allocation on the usual path
    for (auto& change : states_.takeExpired()) emit(std::move(change), ctx);
  }
  if (state_reject) return state_reject;
  auto result = runPreTradeChecks(*limits_, risk_, in);
  if (result.reject) return result.reject;
  if (!duplicates_.admit(DuplicateGuard::keyOf(terms), ctx.at, limits_->duplicate_window_ms)) {
    return makeReject(
        RejectCode::DuplicateOrder,
        fmt::format("same account {}, symbol {}, side, quantity {} and price as an order less than {} "
                    "ms ago; if intended, resend after the window",
                    terms.account, terms.symbol, terms.quantity, limits_->duplicate_window_ms));
  }
  valuation = result.reference;
  if (result.credit_warning) {
    risk_.account(terms.account).credit_warned = true;
    ctx.out.emplace_back(OperatorAlert{alert_code::kCreditWarning, std::move(*result.credit_warning)});
  }
  return std::nullopt;
}

ExecReport Engine::report(const Order& order, ExecKind kind, Timestamp at) {
  ExecReport r;
  r.session = order.session;
  r.kind = kind;
  r.status = order.visibleStatus();
  r.order_id = order.order_id;
  r.exec_id = nextId('E');
  r.cl_ord_id = order.cl_ord_id;
  r.account = order.terms.account;
  r.symbol = order.terms.symbol;
  r.side = order.terms.side;
  r.ord_type = order.terms.ord_type;
  r.time_in_force = order.terms.time_in_force;
  r.order_qty = order.terms.quantity;
  r.price = order.terms.price;
  r.stop_price = order.terms.stop_price;
  r.leaves_qty = order.leavesQty();
  r.cum_qty = order.cum_qty;
  r.avg_px = order.avgPx();
  r.transact_time = at;
  return r;
}

bool Engine::answerResend(std::optional<bool> poss_dup, SessionId session, const std::string& cl_ord_id,
                          const std::string& orig_cl_ord_id, std::string_view request, Ctx ctx) {
  // The gateway asked for the resend, its incoming sequence number having fallen behind (a machine crash).
  // A reject under that ClOrdID would read as the order's end (a new order) or as a cancel or replace that
  // failed, and a client that believed it could act again: double exposure.
  if (!poss_dup.value_or(false)) return false;
  const Order* order = findByClOrdId(session, cl_ord_id);
  if (order == nullptr) return false;
  // A cancel or replace is that request again only if it names the same order.
  if (!orig_cl_ord_id.empty() && findByClOrdId(session, orig_cl_ord_id) != order) return false;
  auto r = report(*order, ExecKind::Status, ctx.at);
  r.cl_ord_id = cl_ord_id;
  r.orig_cl_ord_id = orig_cl_ord_id;
  r.text = fmt::format(
      "resend (PossDupFlag=Y) of {} '{}', which fixgate already has: the order's current status; not sent "
      "again",
      request, cl_ord_id);
  ctx.out.emplace_back(std::move(r));
  return true;
}

void Engine::onNew(const NewOrder& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;  // the edge only sends configured sessions
  if (answerResend(cmd.poss_dup, cmd.session, cmd.cl_ord_id, {}, "order", ctx)) return;
  if (clOrdIdUsed(cmd.session, cmd.cl_ord_id)) {
    ctx.out.emplace_back(rejectedNewOrder(
        cmd,
        makeReject(RejectCode::DuplicateClOrdId,
                   fmt::format("ClOrdID '{}' was already used on this session; send a new, unique ClOrdID",
                               cmd.cl_ord_id)),
        ctx.at));
    std::get<ExecReport>(ctx.out.back()).exec_id = nextId('E');
    noteRequest(cmd.session, true, ctx);
    return;
  }
  auto refuse = [&](Reject reject) {
    NewOrder resolved = cmd;
    resolveAccount(cmd.session, resolved.terms);
    auto r = rejectedNewOrder(resolved, std::move(reject), ctx.at);
    r.exec_id = nextId('E');
    ctx.out.emplace_back(std::move(r));
    noteRequest(cmd.session, true, ctx);
  };
  if (auto reject = validateTerms(cmd.terms, refdata_)) return refuse(std::move(*reject));
  auto venue = chooseVenue(refdata_, cmd.terms);
  if (!venue) return refuse(std::move(venue.error()));
  const std::int64_t hold_us = venueUp(*venue) ? 0 : refdata_.ackTimeouts(*venue).hold_while_disconnected_us;
  if (!venueUp(*venue) && hold_us <= 0) return refuse(venueDisconnected(refdata_, *venue));
  OrderTerms terms = cmd.terms;
  resolveAccount(cmd.session, terms);
  Price valuation;
  if (auto reject = checkRisk(cmd.session, cmd.cl_ord_id, *venue, terms, std::nullopt, valuation, ctx)) {
    return refuse(std::move(*reject));
  }

  const std::uint32_t index = next_index_++;
  Order& order = orders_.try_emplace(index).first->second;
  order.index = index;
  order.order_id = nextId('O');
  order.session = cmd.session;
  order.venue = *venue;
  setOpen(order, true);  // PendingNew: open from here until a final state (changeOrder counts that)
  order.cl_ord_id = cmd.cl_ord_id;
  order.terms = std::move(terms);
  order.valuation_px = valuation;
  order.venue_cl_ord_id = nextId('V');
  addClientId(order, order.cl_ord_id);
  addVenueId(order, order.venue_cl_ord_id);

  order.reserved = workingOf(order);
  risk_.addWorking(order.terms.account, order.terms.symbol, order.reserved);
  if (hold_us > 0) {
    holdOrder(order, hold_us, ctx);
  } else {
    sendNewToVenue(order, ctx);
  }
  noteRequest(cmd.session, false, ctx);
  emit(states_.onOrderSent(cmd.session, DuplicateGuard::keyOf(order.terms), limits_->breakers, ctx.at), ctx);
}

Engine::Amendable Engine::amendableOrder(SessionId session, std::string_view cl_ord_id,
                                         std::string_view orig_cl_ord_id, std::string_view request) {
  Order* order = orderByClOrdId(session, orig_cl_ord_id);
  // Released: final for longer than the retention, only its ClOrdIDs are still known.
  const bool released = order == nullptr && released_cl_ord_ids_.contains(orig_cl_ord_id, session);
  if (order == nullptr && !released) {
    return std::unexpected(std::pair{
        order, makeReject(RejectCode::UnknownOrder,
                          fmt::format("no order with ClOrdID '{}' on this session; check OrigClOrdID (41)",
                                      orig_cl_ord_id))});
  }
  if (clOrdIdUsed(session, cl_ord_id)) {
    return std::unexpected(std::pair{
        order, makeReject(RejectCode::DuplicateClOrdId,
                          fmt::format("ClOrdID '{}' was already used on this session; send the {} with a new "
                                      "ClOrdID",
                                      cl_ord_id, request))});
  }
  if (released || isFinal(order->status)) {
    const std::string state =
        released ? fmt::format("final since more than {} s (its history is in the audit records)",
                               retentionSeconds())
                 : fmt::format("already {}", toString(order->status));
    return std::unexpected(std::pair{
        order, makeReject(RejectCode::OrderAlreadyFinal,
                          fmt::format("too late to {}: order '{}' is {}", request, orig_cl_ord_id, state))});
  }
  if (order->hasPending()) {
    return std::unexpected(std::pair{
        order, makeReject(RejectCode::OrderPendingChange,
                          fmt::format("order '{}' already has a pending {}; wait for its answer",
                                      orig_cl_ord_id, order->pending_cancel ? "cancel" : "replace"))});
  }
  return order;
}

void Engine::onCancel(const CancelOrder& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;
  if (answerResend(cmd.poss_dup, cmd.session, cmd.cl_ord_id, cmd.orig_cl_ord_id, "cancel request", ctx))
    return;
  auto amendable = amendableOrder(cmd.session, cmd.cl_ord_id, cmd.orig_cl_ord_id, "cancel");
  if (!amendable) {
    auto& [order, reject] = amendable.error();
    ctx.out.emplace_back(cancelReject(cmd.session, false, cmd.cl_ord_id, cmd.orig_cl_ord_id, order,
                                      std::move(reject), ctx.at));
    noteRequest(cmd.session, true, ctx);
    return;
  }
  Order* order = *amendable;
  addClientId(*order, cmd.cl_ord_id);
  sendCancelToVenue(*order, cmd.cl_ord_id, ctx);
  noteRequest(cmd.session, false, ctx);
}

void Engine::sendNewToVenue(Order& order, Ctx ctx) {
  states_.onVenueOrderSent(order.venue, ctx.at);
  ctx.out.emplace_back(
      VenueNewOrder{order.venue, order.venue_cl_ord_id, order.terms, ctx.at, order.order_id, false});
  armDeadline(order, AwaitedAnswer::NewOrder, ctx.at);
}

void Engine::holdOrder(Order& order, std::int64_t hold_us, Ctx ctx) {
  order.held = true;
  order.new_ack_deadline = ctx.at + hold_us;  // the end of the hold
  deadlines_.push(Deadline{order.new_ack_deadline, order.index, AwaitedAnswer::NewOrder});
  auto r = report(order, ExecKind::Status, ctx.at);
  r.text = fmt::format(
      "held: venue {} is not connected; fixgate sends the order when it reconnects, or rejects it if that "
      "takes more than {} ms. Cancel it to withdraw it",
      refdata_.venue_names[order.venue], hold_us / 1000);
  ctx.out.emplace_back(std::move(r));
}

void Engine::releaseHeldOrder(Order& order, Ctx ctx) {
  order.held = false;
  order.new_ack_deadline = 0;  // the hold's end is no acknowledgement deadline
  if (auto refused = tradingStateRefusal(order, ctx)) {
    refused->text = fmt::format("held order not sent when venue {} reconnected: {}",
                                refdata_.venue_names[order.venue], refused->text);
    rejectOrder(order, std::move(*refused), ctx);
    return;
  }
  sendNewToVenue(order, ctx);
}

void Engine::expireHeldOrder(Order& order, Ctx ctx) {
  order.held = false;
  rejectOrder(order,
              makeReject(RejectCode::VenueDisconnected,
                         fmt::format("venue {} did not reconnect within {} ms of the order, which was never "
                                     "sent; send it again when the venue is back",
                                     refdata_.venue_names[order.venue],
                                     refdata_.ackTimeouts(order.venue).hold_while_disconnected_us / 1000)),
              ctx);
}

void Engine::rejectOrder(Order& order, Reject reject, Ctx ctx) {
  changeOrder(order, [&] { order.status = OrdStatus::Rejected; });
  order.pending_cancel.reset();
  order.pending_replace.reset();
  auto r = report(order, ExecKind::Rejected, ctx.at);
  r.reject = reject.code;
  r.text = std::move(reject.text);
  ctx.out.emplace_back(std::move(r));
}

void Engine::sendCancelToVenue(Order& order, std::string client_cl_ord_id, Ctx ctx, std::string text) {
  order.pending_cancel = PendingRequest{std::move(client_cl_ord_id), nextId('V'), std::move(text)};
  addVenueId(order, order.pending_cancel->venue_cl_ord_id);
  if (order.held) {  // never sent: nothing to cancel at the venue
    order.held = false;
    if (order.pending_cancel->text.empty()) {
      order.pending_cancel->text = fmt::format("canceled before it was sent: venue {} was not connected",
                                               refdata_.venue_names[order.venue]);
    }
    onVenueCanceled(VenueCanceled{order.venue, order.pending_cancel->venue_cl_ord_id, {}}, ctx);
    return;
  }
  ctx.out.emplace_back(VenueCancel{order.venue, order.pending_cancel->venue_cl_ord_id, order.venue_cl_ord_id,
                                   order.venue_order_id, order.terms.symbol, order.terms.side,
                                   order.terms.quantity, ctx.at, order.order_id});
  armDeadline(order, AwaitedAnswer::Cancel, ctx.at);
}

void Engine::onReplace(const ReplaceOrder& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;
  if (answerResend(cmd.poss_dup, cmd.session, cmd.cl_ord_id, cmd.orig_cl_ord_id, "replace request", ctx))
    return;
  auto refuse = [&](const Order* order, Reject reject) {
    ctx.out.emplace_back(
        cancelReject(cmd.session, true, cmd.cl_ord_id, cmd.orig_cl_ord_id, order, std::move(reject), ctx.at));
    noteRequest(cmd.session, true, ctx);
  };
  auto amendable = amendableOrder(cmd.session, cmd.cl_ord_id, cmd.orig_cl_ord_id, "replace");
  if (!amendable) return refuse(amendable.error().first, std::move(amendable.error().second));
  Order* order = *amendable;
  if (order->held) {
    return refuse(order, makeReject(RejectCode::OrderPendingChange,
                                    fmt::format("order '{}' is held until venue {} reconnects and cannot be "
                                                "replaced before it is sent; cancel it, or wait for its "
                                                "acknowledgement",
                                                cmd.orig_cl_ord_id, refdata_.venue_names[order->venue])));
  }
  if (cmd.terms.side != order->terms.side) {
    return refuse(order,
                  makeReject(RejectCode::ReplaceChangesSide,
                             fmt::format("a replace cannot change Side from {} to {}; cancel the order and "
                                         "send a new one",
                                         toString(order->terms.side), toString(cmd.terms.side))));
  }
  if (cmd.terms.symbol != order->terms.symbol) {
    return refuse(order,
                  makeReject(RejectCode::ReplaceChangesSymbol,
                             fmt::format("a replace cannot change Symbol from '{}' to '{}'; cancel the order "
                                         "and send a new one",
                                         order->terms.symbol, cmd.terms.symbol)));
  }
  if (auto reject = validateTerms(cmd.terms, refdata_)) return refuse(order, std::move(*reject));
  if (cmd.terms.quantity <= order->cum_qty) {
    return refuse(order,
                  makeReject(RejectCode::ReplaceQtyBelowFilled,
                             fmt::format("new OrderQty {} is not above the {} already filled; cancel the "
                                         "order instead",
                                         cmd.terms.quantity, order->cum_qty)));
  }

  OrderTerms terms = cmd.terms;
  // The account and the routing stay with the order: a replace never moves it to another account or venue.
  if (terms.account.empty()) terms.account = order->terms.account;
  if (terms.account != order->terms.account) {
    return refuse(order,
                  makeReject(RejectCode::UnsupportedValue,
                             fmt::format("a replace cannot change Account from {} to {}; cancel the order "
                                         "and send a new one",
                                         order->terms.account, terms.account)));
  }
  terms.ex_destination = order->terms.ex_destination;
  Price valuation;
  if (auto reject =
          checkRisk(cmd.session, cmd.cl_ord_id, order->venue, terms, order->reserved, valuation, ctx)) {
    return refuse(order, std::move(*reject));
  }

  addClientId(*order, cmd.cl_ord_id);
  changeOrder(*order, [&] {  // reserves the larger of the old and new terms until the venue answers
    order->pending_replace = PendingRequest{cmd.cl_ord_id, nextId('V'), {}};
    order->pending_terms = std::move(terms);
    order->pending_valuation_px = valuation;
  });
  addVenueId(*order, order->pending_replace->venue_cl_ord_id);
  ctx.out.emplace_back(VenueReplace{order->venue, order->pending_replace->venue_cl_ord_id,
                                    order->venue_cl_ord_id, order->venue_order_id, order->pending_terms,
                                    ctx.at, order->order_id});
  armDeadline(*order, AwaitedAnswer::Replace, ctx.at);
  noteRequest(cmd.session, false, ctx);
}

void Engine::onStatus(const StatusRequest& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;
  const Order* order = findByClOrdId(cmd.session, cmd.cl_ord_id);
  if (order == nullptr) {
    NewOrder unknown{cmd.session, cmd.cl_ord_id, {}};
    unknown.terms.symbol = cmd.symbol;
    unknown.terms.side = cmd.side;
    const bool released = released_cl_ord_ids_.contains(cmd.cl_ord_id, cmd.session);
    auto r = rejectedNewOrder(
        unknown,
        makeReject(RejectCode::UnknownOrder,
                   released ? fmt::format("order with ClOrdID '{}' is final since more than {} s and fixgate "
                                          "no longer holds it; its history is in the audit records",
                                          cmd.cl_ord_id, retentionSeconds())
                            : fmt::format("no order with ClOrdID '{}' on this session", cmd.cl_ord_id)),
        ctx.at);
    r.kind = ExecKind::Status;
    ctx.out.emplace_back(std::move(r));
    return;
  }
  auto r = report(*order, ExecKind::Status, ctx.at);
  r.cl_ord_id = cmd.cl_ord_id;
  ctx.out.emplace_back(std::move(r));
}

void Engine::onMassCancel(const MassCancel& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;
  MassCancelReport report{cmd.session, cmd.cl_ord_id, nextId('M'), cmd.raw_scope, cmd.symbol, 0, {},
                          {},          ctx.at};
  if (cmd.scope == MassCancelScope::Unsupported) {
    auto reject =
        makeReject(RejectCode::MassCancelUnsupportedScope,
                   fmt::format("MassCancelRequestType (530) '{}' is not supported; use 1 (by symbol) or "
                               "7 (all orders)",
                               cmd.raw_scope));
    report.reject = reject.code;
    report.text = std::move(reject.text);
    ctx.out.emplace_back(std::move(report));
    return;
  }
  // The report goes first so the client can expect exactly TotalAffectedOrders cancels after it.
  const std::size_t report_slot = ctx.out.size();
  ctx.out.emplace_back(std::move(report));
  int affected = 0;
  for (Order* open : openOrdersWhere([&](const Order& o) { return o.session == cmd.session; })) {
    Order& order = *open;
    if (isFinal(order.status) || order.pending_cancel) continue;
    if (cmd.scope == MassCancelScope::BySymbol && order.terms.symbol != cmd.symbol) continue;
    sendCancelToVenue(order, std::string{}, ctx);  // empty: report with whatever ClOrdID is in force then
    ++affected;
  }
  auto& sent = std::get<MassCancelReport>(ctx.out[report_slot]);
  sent.affected_orders = affected;
  sent.text = fmt::format("{} order(s) being canceled", affected);
}

Order* Engine::orderForVenueEvent(VenueId venue, std::string_view venue_cl_ord_id, std::string_view what,
                                  Ctx ctx) {
  const auto it = by_venue_cl_ord_id_.find(venue_cl_ord_id);
  if (it == by_venue_cl_ord_id_.end() || it->second->venue != venue) {
    const std::string_view venue_name = venue < refdata_.venue_names.size()
                                            ? std::string_view(refdata_.venue_names[venue])
                                            : std::string_view("?");
    if (it == by_venue_cl_ord_id_.end() && mintedVenueId(venue_cl_ord_id)) {
      ctx.out.emplace_back(OperatorAlert{
          alert_code::kVenueMessageForReleasedOrder,
          fmt::format("venue {} sent {} for ClOrdID '{}' of an order final since more than {} s, which "
                      "fixgate no longer holds; not applied: reconcile it with the venue (the audit "
                      "records have the order's history)",
                      venue_name, what, venue_cl_ord_id, retentionSeconds())});
      return nullptr;
    }
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kUnknownVenueOrder,
        fmt::format(
            "venue {} sent {} for ClOrdID '{}' which the gateway never sent there; ignored, check the "
            "venue session",
            venue_name, what, venue_cl_ord_id)});
    return nullptr;
  }
  return it->second;
}

void Engine::onVenueAccepted(const VenueAccepted& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "an acknowledgement", ctx);
  if (order == nullptr) return;
  if (order->venue_order_id.empty()) order->venue_order_id = ev.venue_order_id;
  if (order->status != OrdStatus::PendingNew) return;  // a repeated ack changes nothing
  emit(states_.onVenueSuccess(ev.venue, ctx.at), ctx);
  order->status = OrdStatus::New;
  ctx.out.emplace_back(report(*order, ExecKind::New, ctx.at));
}

void Engine::onVenueFill(const VenueFill& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a fill", ctx);
  if (order == nullptr) return;
  const auto& venue_name = refdata_.venue_names[ev.venue];
  if (!ev.venue_exec_id.empty() &&
      std::ranges::find(order->venue_exec_ids, ev.venue_exec_id) != order->venue_exec_ids.end()) {
    ctx.out.emplace_back(
        OperatorAlert{alert_code::kDuplicateExecution,
                      fmt::format("venue {} repeated execution {} of order {}; ignored (applied once)",
                                  venue_name, ev.venue_exec_id, order->order_id)});
    return;
  }
  if (isFinal(order->status)) {
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kFillAfterFinal,
        fmt::format(
            "venue {} reported a fill of {} @ {} (exec {}) on order {} which is already {}; not applied, "
            "reconcile with the venue",
            venue_name, ev.last_qty, formatPrice(ev.last_px), ev.venue_exec_id, order->order_id,
            toString(order->status))});
    return;
  }
  if (ev.last_qty <= 0 || ev.last_qty > order->leavesQty() || ev.last_px.units <= 0) {
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kInvalidFill,
        fmt::format(
            "venue {} reported a fill of {} @ {} (exec {}) on order {} with {} open; overfill or invalid "
            "fill not applied, reconcile with the venue",
            venue_name, ev.last_qty, formatPrice(ev.last_px), ev.venue_exec_id, order->order_id,
            order->leavesQty())});
    return;
  }
  if (order->venue_order_id.empty()) order->venue_order_id = ev.venue_order_id;
  if (!ev.venue_exec_id.empty()) order->venue_exec_ids.push_back(ev.venue_exec_id);
  auto r = applyFill(*order, ev.last_qty, ev.last_px, ctx.at);
  risk_.setLastPrice(order->terms.symbol, ev.last_px);
  if (limits_) emit(states_.onTrade(order->terms.symbol, ev.last_px, limits_->breakers, ctx.at), ctx);
  ctx.out.emplace_back(std::move(r));
}

ExecReport Engine::applyFill(Order& order, Qty qty, Price px, Timestamp at) {
  changeOrder(order, [&] {
    order.cum_qty += qty;
    order.fill_notional += static_cast<__int128>(px.units) * qty;
    order.status = order.cum_qty == order.terms.quantity ? OrdStatus::Filled : OrdStatus::PartiallyFilled;
  });
  risk_.addFill(order.terms.account, order.terms.symbol, order.terms.side, qty, px);
  auto r = report(order, ExecKind::Trade, at);
  r.last_qty = qty;
  r.last_px = px;
  return r;
}

void Engine::onVenueCanceled(const VenueCanceled& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a cancel", ctx);
  if (order == nullptr) return;
  if (isFinal(order->status)) return;  // already final: a late or repeated cancel changes nothing
  const auto requested = std::move(order->pending_cancel);
  changeOrder(*order, [&] { order->status = OrdStatus::Canceled; });
  order->pending_cancel.reset();
  order->pending_replace.reset();  // a replace still in flight is moot once the order is canceled
  auto r = report(*order, ExecKind::Canceled, ctx.at);
  if (requested) {
    if (!requested->client_cl_ord_id.empty()) r.cl_ord_id = requested->client_cl_ord_id;
    r.orig_cl_ord_id = order->cl_ord_id;
    r.text = requested->text;
  } else {
    r.text = fmt::format("canceled by venue {}{}{}", refdata_.venue_names[ev.venue],
                         ev.text.empty() ? "" : ": ", ev.text);
  }
  ctx.out.emplace_back(std::move(r));
}

void Engine::onVenueReplaced(const VenueReplaced& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a replace", ctx);
  if (order == nullptr) return;
  if (!order->pending_replace || order->pending_replace->venue_cl_ord_id != ev.venue_cl_ord_id ||
      isFinal(order->status)) {
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kUnexpectedReplace,
        fmt::format(
            "venue {} confirmed a replace ({}) of order {} which is {} with no such replace pending; not "
            "applied, reconcile with the venue",
            refdata_.venue_names[ev.venue], ev.venue_cl_ord_id, order->order_id, toString(order->status))});
    if (isFinal(order->status)) order->pending_replace.reset();
    return;
  }
  const std::string old_cl_ord_id = order->cl_ord_id;
  changeOrder(*order, [&] {
    order->cl_ord_id = std::move(order->pending_replace->client_cl_ord_id);
    order->terms = std::move(order->pending_terms);
    order->valuation_px = order->pending_valuation_px;
    order->venue_cl_ord_id = std::move(order->pending_replace->venue_cl_ord_id);
    order->status = order->cum_qty == 0                       ? OrdStatus::New
                    : order->cum_qty >= order->terms.quantity ? OrdStatus::Filled
                                                              : OrdStatus::PartiallyFilled;
    order->pending_replace.reset();
  });
  if (!ev.venue_order_id.empty()) order->venue_order_id = ev.venue_order_id;
  auto r = report(*order, ExecKind::Replaced, ctx.at);
  r.orig_cl_ord_id = old_cl_ord_id;
  ctx.out.emplace_back(std::move(r));
}

void Engine::onVenueNewOrderUnsent(const VenueNewOrderUnsent& ev, Ctx ctx) {
  setVenueUp(ev.venue, false, ctx);  // the drop, applied now: its VenueDown will find the venue down
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "an unsent order", ctx);
  if (order == nullptr) return;
  const bool first_send = order->status == OrdStatus::PendingNew && !order->held &&
                          order->venue_cl_ord_id == ev.venue_cl_ord_id && order->replays == 0 &&
                          !order->new_ack_timed_out;
  if (!first_send) {
    // A replay or a request already reconciled: the venue may hold an earlier copy, so the reject path
    // (which asks it for a replay's status) decides.
    onVenueRejected(
        VenueRejected{ev.venue, ev.venue_cl_ord_id, "venue session went down before the order could be sent"},
        ctx);
    return;
  }
  // Neither written nor kept in the session's store (quickfix::SendResult::NotLoggedOn): the venue cannot get
  // this copy by resend either, so sending it at the reconnect with the same ClOrdID cannot duplicate it.
  order->new_ack_deadline = 0;  // and no acknowledgement is awaited
  const std::int64_t hold_us = refdata_.ackTimeouts(ev.venue).hold_while_disconnected_us;
  if (hold_us > 0) {
    holdOrder(*order, hold_us, ctx);
    return;
  }
  rejectOrder(*order, venueDisconnected(refdata_, ev.venue), ctx);
}

void Engine::onVenueRejected(const VenueRejected& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a reject", ctx);
  if (order == nullptr) return;
  if (order->status != OrdStatus::PendingNew) {
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kUnexpectedReject,
        fmt::format("venue {} rejected order {} which it had already accepted ({}); not applied, reconcile",
                    refdata_.venue_names[ev.venue], order->order_id, toString(order->status))});
    return;
  }
  if (order->replays > 0 && !order->status_queried) {
    // A venue may refuse a PossResend copy of an order it does hold (duplicate ClOrdID) instead of answering
    // with its status: the first copy may be live there, so its status decides, not this reject.
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kReplayRefused,
        fmt::format("venue {} refused the replay of order {} ({}); it may hold the first copy: asking it for "
                    "the order's status",
                    refdata_.venue_names[ev.venue], order->order_id,
                    ev.text.empty() ? "no reason given" : ev.text)});
    order->new_ack_timed_out = true;
    order->status_queried = true;
    queryVenueStatus(*order, ctx);
    return;
  }
  if (limits_) emit(states_.onVenueFailure(ev.venue, "order rejected", limits_->breakers, ctx.at), ctx);
  rejectOrder(*order,
              makeReject(RejectCode::VenueRejected,
                         fmt::format("venue {} rejected the order: {}", refdata_.venue_names[ev.venue],
                                     ev.text.empty() ? "no reason given" : ev.text)),
              ctx);
}

void Engine::onVenueCancelRejected(const VenueCancelRejected& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a cancel/replace reject", ctx);
  if (order == nullptr) return;
  const bool for_cancel =
      order->pending_cancel && order->pending_cancel->venue_cl_ord_id == ev.venue_cl_ord_id;
  const bool for_replace =
      order->pending_replace && order->pending_replace->venue_cl_ord_id == ev.venue_cl_ord_id;
  if (!for_cancel && !for_replace) return;  // an answer to a request already settled
  auto& slot = for_replace ? order->pending_replace : order->pending_cancel;
  std::string client_cl_ord_id =
      slot->client_cl_ord_id.empty() ? order->cl_ord_id : std::move(slot->client_cl_ord_id);
  changeOrder(*order, [&] { slot.reset(); });  // a refused replace releases its reservation
  ctx.out.emplace_back(cancelReject(
      order->session, for_replace, std::move(client_cl_ord_id), order->cl_ord_id, order,
      makeReject(
          RejectCode::VenueRejected,
          fmt::format("venue {} refused the {}: {}", refdata_.venue_names[ev.venue],
                      for_replace ? "replace" : "cancel", ev.text.empty() ? "no reason given" : ev.text)),
      ctx.at));
}

void Engine::onVenueExpired(const VenueExpired& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "an expiry", ctx);
  if (order == nullptr || isFinal(order->status)) return;
  changeOrder(*order, [&] { order->status = OrdStatus::Expired; });
  order->pending_cancel.reset();
  order->pending_replace.reset();
  ctx.out.emplace_back(report(*order, ExecKind::Expired, ctx.at));
}

void Engine::onSetTradingState(const SetTradingState& cmd, Ctx ctx) {
  const bool known = [&] {
    switch (cmd.scope) {
      case Scope::Global:
        return cmd.key.empty();
      case Scope::Session:
        return refdata_.sessionByName(cmd.key).has_value();
      case Scope::Venue:
        return refdata_.venueByName(cmd.key).has_value();
      case Scope::Symbol:
        return refdata_.instrument(cmd.key) != nullptr;
      case Scope::Account:
        return !cmd.key.empty();
    }
    return false;
  }();
  if (!known || cmd.by.empty()) {
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kInvalidOperatorCommand,
        fmt::format("trading state change for {} '{}' by '{}' refused: {}", toString(cmd.scope), cmd.key,
                    cmd.by,
                    cmd.by.empty() ? "a named operator is required" : "no such scope key is configured")});
    return;
  }
  emit(states_.set(cmd.scope, cmd.key, cmd.state, cmd.by, cmd.reason, ctx.at), ctx);
  if (!cmd.cancel_open_orders) return;
  // Kill switch: cancel every open order in scope at its venue; each cancel reports to the order's own
  // session.
  const auto in_scope = [&](const Order& o) {
    switch (cmd.scope) {
      case Scope::Global:
        return true;
      case Scope::Session:
        return refdata_.session_names[o.session] == cmd.key;
      case Scope::Venue:
        return refdata_.venue_names[o.venue] == cmd.key;
      case Scope::Symbol:
        return o.terms.symbol == cmd.key;
      case Scope::Account:
        return o.terms.account == cmd.key;
    }
    return false;
  };
  const std::string text = fmt::format("canceled by kill switch on {} {} by {}: {}", toString(cmd.scope),
                                       cmd.key, cmd.by, cmd.reason.empty() ? "no reason given" : cmd.reason);
  for (Order* open : openOrdersWhere(in_scope)) {
    Order& order = *open;
    if (isFinal(order.status) || order.pending_cancel) continue;
    sendCancelToVenue(order, std::string{}, ctx, text);
  }
}

void Engine::onResetSessionBreaker(const ResetSessionBreaker& cmd, Ctx ctx) {
  const auto session = refdata_.sessionByName(cmd.session);
  if (!session || cmd.by.empty()) {
    ctx.out.emplace_back(OperatorAlert{
        alert_code::kInvalidOperatorCommand,
        fmt::format("breaker reset for session '{}' by '{}' refused: {}", cmd.session, cmd.by,
                    cmd.by.empty() ? "a named operator is required" : "no such session is configured")});
    return;
  }
  emit(states_.resetSession(*session, cmd.by, ctx.at), ctx);
}

void Engine::onApplyLimits(const ApplyLimits& cmd, Ctx ctx) {
  if (!cmd.limits) return;
  LimitsApplied applied{limits_ ? limits_->version : std::string("none"),
                        cmd.limits->version,
                        cmd.limits->source,
                        cmd.by,
                        ctx.at,
                        std::shared_ptr<const std::string>(cmd.limits, &cmd.limits->content)};
  limits_ = cmd.limits;
  ctx.out.emplace_back(std::move(applied));
}

void Engine::onApplySettings(const ApplySettings& cmd) {
  for (const auto& venue : cmd.venues) {
    const auto id = refdata_.venueByName(venue.venue);
    if (!id) continue;
    if (refdata_.venue_ack_timeouts.size() <= *id) refdata_.venue_ack_timeouts.resize(*id + 1u);
    refdata_.venue_ack_timeouts[*id] = venue.ack_timeouts;
  }
  for (const auto& session : cmd.sessions) {
    const auto id = refdata_.sessionByName(session.session);
    if (!id) continue;
    if (refdata_.cancel_on_disconnect.size() <= *id) refdata_.cancel_on_disconnect.resize(*id + 1u, false);
    refdata_.cancel_on_disconnect[*id] = session.cancel_on_disconnect;
  }
  refdata_.final_order_retention_us = cmd.final_order_retention_us;
  refdata_.instruments.clear();
  for (const auto& instrument : cmd.instruments) refdata_.instruments.emplace(instrument.symbol, instrument);
  // Venue names were checked against their positions before the replay applied this (indexMismatch).
  refdata_.routing.rules.clear();
  for (const auto& route : cmd.routes) {
    if (const auto venue = refdata_.venueByName(route.venue)) {
      refdata_.routing.rules.push_back({route.match, route.value, *venue});
    }
  }
  refdata_.routing.default_venue =
      cmd.default_venue ? refdata_.venueByName(*cmd.default_venue) : std::optional<VenueId>();
  refdata_.status_queries_per_second.assign(refdata_.venue_names.size(), 0);
  for (VenueId venue = 0; venue < refdata_.venue_names.size(); ++venue) {
    refdata_.status_queries_per_second[venue] = statusQueriesPerSecond(cmd, refdata_.venue_names[venue]);
  }
}

// ------------------------------------------------------------------------------------------------------
// Acknowledgement deadlines

std::int64_t Engine::ackTimeoutUs(VenueId venue, AwaitedAnswer awaited) const {
  const AckTimeouts timeouts = refdata_.ackTimeouts(venue);
  switch (awaited) {
    case AwaitedAnswer::NewOrder:
      return timeouts.new_order_us;
    case AwaitedAnswer::Cancel:
      return timeouts.cancel_us;
    case AwaitedAnswer::Replace:
      return timeouts.replace_us;
    case AwaitedAnswer::Status:
      return timeouts.new_order_us;
  }
  return 0;
}

void Engine::armDeadline(Order& order, AwaitedAnswer awaited, Timestamp sent_at) {
  const std::int64_t timeout = ackTimeoutUs(order.venue, awaited);
  if (timeout <= 0) return;
  const Timestamp due = sent_at + timeout;
  switch (awaited) {
    case AwaitedAnswer::NewOrder:
      order.new_ack_deadline = due;
      break;
    case AwaitedAnswer::Cancel:
      order.pending_cancel->ack_deadline = due;
      break;
    case AwaitedAnswer::Replace:
      order.pending_replace->ack_deadline = due;
      break;
    case AwaitedAnswer::Status:
      order.status_deadline = due;
      break;
  }
  deadlines_.push(Deadline{due, order.index, awaited});
}

bool Engine::stillAwaited(const Deadline& deadline) const {
  const Order* held = orderAt(deadline.order);
  if (held == nullptr) return false;  // released: final long ago
  const Order& order = *held;
  if (isFinal(order.status)) return false;
  switch (deadline.awaited) {
    case AwaitedAnswer::NewOrder:
      return order.status == OrdStatus::PendingNew && !order.new_ack_timed_out &&
             order.new_ack_deadline == deadline.at;
    case AwaitedAnswer::Cancel:
      return order.pending_cancel && !order.pending_cancel->timed_out &&
             order.pending_cancel->ack_deadline == deadline.at;
    case AwaitedAnswer::Replace:
      return order.pending_replace && !order.pending_replace->timed_out &&
             order.pending_replace->ack_deadline == deadline.at;
    case AwaitedAnswer::Status:
      return order.status_deadline == deadline.at;
  }
  return false;
}

std::optional<Timestamp> Engine::nextDeadline() {
  while (!deadlines_.empty() && !stillAwaited(deadlines_.top())) deadlines_.pop();
  std::optional<Timestamp> next;
  if (!deadlines_.empty()) next = deadlines_.top().at;
  if (status_backlog_ == 0) return next;
  for (VenueId venue = 0; venue < status_pacing_.size(); ++venue) {
    if (const auto due = statusBacklogDue(venue); due && (!next || *due < *next)) next = due;
  }
  return next;
}

void Engine::fireDueDeadlines(Ctx ctx) {
  while (!deadlines_.empty() && deadlines_.top().at <= ctx.at) {
    const Deadline due = deadlines_.top();
    deadlines_.pop();
    if (!stillAwaited(due)) continue;
    if (due.awaited == AwaitedAnswer::Status) {
      onStatusTimeout(*orderAt(due.order), ctx);
    } else {
      onAckTimeout(*orderAt(due.order), due.awaited, ctx);
    }
  }
}

void Engine::onAckTimeout(Order& order, AwaitedAnswer awaited, Ctx ctx) {
  if (awaited == AwaitedAnswer::NewOrder && order.held) return expireHeldOrder(order, ctx);
  const std::string& venue_name = refdata_.venue_names[order.venue];
  const std::int64_t timeout_us = ackTimeoutUs(order.venue, awaited);
  std::string_view what;
  switch (awaited) {
    case AwaitedAnswer::NewOrder:
      order.new_ack_timed_out = true;
      what = "acknowledgement of the order";
      break;
    case AwaitedAnswer::Cancel:
      order.pending_cancel->timed_out = true;
      what = "answer to the cancel";
      break;
    case AwaitedAnswer::Replace:
      order.pending_replace->timed_out = true;
      what = "answer to the replace";
      break;
    case AwaitedAnswer::Status:
      return;  // onStatusTimeout
  }
  const bool cancel_it = awaited == AwaitedAnswer::NewOrder &&
                         refdata_.ackTimeouts(order.venue).cancel_unacknowledged_new && !order.pending_cancel;
  auto r = report(order, ExecKind::Status, ctx.at);
  r.text = fmt::format(
      "no {} from venue {} within {} ms: the order's state at the venue is unknown; fixgate asked the venue "
      "for its status{}. Do not resend the order: the venue's answer will be reported on it",
      what, venue_name, timeout_us / 1000, cancel_it ? " and is canceling it" : "");
  ctx.out.emplace_back(std::move(r));
  queryVenueStatus(order, ctx);
  if (limits_) {
    emit(states_.onVenueFailure(order.venue, fmt::format("no {} within {} ms", what, timeout_us / 1000),
                                limits_->breakers, ctx.at),
         ctx);
  }
  if (cancel_it) {
    sendCancelToVenue(order, std::string{}, ctx,
                      fmt::format("canceled by fixgate: venue {} did not acknowledge the order within {} ms",
                                  venue_name, timeout_us / 1000));
  }
}

void Engine::queryVenueStatus(Order& order, Ctx ctx, bool retry) {
  order.status_queued = false;
  order.status_query_id = nextId('Q');
  order.status_retries = retry ? static_cast<std::uint8_t>(order.status_retries + 1) : 0;
  ctx.out.emplace_back(VenueStatusQuery{order.venue, order.venue_cl_ord_id, order.venue_order_id,
                                        order.terms.symbol, order.terms.side, ctx.at, order.order_id,
                                        order.status_query_id});
  armDeadline(order, AwaitedAnswer::Status, ctx.at);
}

void Engine::queryVenueStatusPaced(Order& order, Ctx ctx) {
  const std::uint32_t rate = refdata_.statusQueriesPerSecond(order.venue);
  if (rate == 0) return queryVenueStatus(order, ctx);
  StatusPacing& pacing = status_pacing_[order.venue];
  if (pacing.backlog.empty() && statusQueriesInWindow(order.venue, ctx.at) < rate) {
    pacing.sent.push_back(ctx.at);
    return queryVenueStatus(order, ctx);
  }
  // Until its turn, a query sent before the drop is no longer awaited (no retry, no alert) and an answer to
  // it no longer counts as the latest (it cannot settle a request as lost).
  order.status_queued = true;
  order.status_deadline = 0;
  order.status_retries = 0;
  order.status_query_id.clear();
  pacing.backlog.push_back(order.index);
  ++status_backlog_;
}

std::size_t Engine::statusQueriesInWindow(VenueId venue, Timestamp now) {
  auto& sent = status_pacing_[venue].sent;
  while (!sent.empty() && sent.front() <= now - 1'000'000) sent.pop_front();
  return sent.size();
}

std::optional<Timestamp> Engine::statusBacklogDue(VenueId venue) const {
  const StatusPacing& pacing = status_pacing_[venue];
  if (pacing.backlog.empty()) return std::nullopt;
  const std::size_t rate = refdata_.statusQueriesPerSecond(venue);
  // One more fits once the send `rate` places back leaves the window (a reload may have lowered the rate
  // below what the window holds); with fewer sends than that, or no rate, now.
  if (rate == 0 || pacing.sent.size() < rate) return now_;
  return pacing.sent[pacing.sent.size() - rate] + 1'000'000;
}

void Engine::drainStatusBacklogs(Ctx ctx) {
  for (VenueId venue = 0; venue < status_pacing_.size(); ++venue) {
    StatusPacing& pacing = status_pacing_[venue];
    const std::size_t rate = refdata_.statusQueriesPerSecond(venue);
    while (!pacing.backlog.empty() && (rate == 0 || statusQueriesInWindow(venue, ctx.at) < rate)) {
      Order* order = orderAt(pacing.backlog.front());
      pacing.backlog.pop_front();
      --status_backlog_;
      // Settled while it waited, or already asked about another way (an acknowledgement timeout).
      if (order == nullptr || isFinal(order->status) || !order->status_queued) continue;
      if (rate != 0) pacing.sent.push_back(ctx.at);
      queryVenueStatus(*order, ctx);
    }
  }
}

void Engine::onStatusTimeout(Order& order, Ctx ctx) {
  const std::string& venue_name = refdata_.venue_names[order.venue];
  const std::int64_t timeout_ms = ackTimeoutUs(order.venue, AwaitedAnswer::Status) / 1000;
  if (order.status_retries < kMaxStatusRetries) {
    queryVenueStatus(order, ctx, true);
    return;
  }
  order.status_deadline = 0;
  ctx.out.emplace_back(OperatorAlert{
      alert_code::kStatusQueryUnanswered,
      fmt::format("venue {} answered none of {} status queries for order {} ({} ms each); its state stays as "
                  "fixgate last knew it ({}) until the venue answers or reconnects: check the venue session "
                  "and reconcile the order with the venue by hand if it stays silent",
                  venue_name, kMaxStatusRetries + 1, order.order_id, timeout_ms, toString(order.status))});
}

std::string Engine::replayRefusal(const Order& order, Ctx ctx) {
  if (!refdata_.ackTimeouts(order.venue).replay_unreceived_new) {
    return "replays are off for this venue (replay_unreceived_new: false)";
  }
  if (order.pending_cancel) return "it was being canceled";
  if (order.pending_replace) return "a replace of it was pending";
  if (order.replays >= kMaxReplays) return "it had already been sent again once";
  if (!venueUp(order.venue)) return "the venue is not connected";
  if (auto refused = tradingStateRefusal(order, ctx)) {
    return fmt::format("new orders are refused now ({})", refused->text);
  }
  return {};
}

std::optional<Reject> Engine::tradingStateRefusal(const Order& order, Ctx ctx) {
  auto refused = states_.checkNewOrder(order.session, order.terms.account, order.terms.symbol, order.venue,
                                       reducesPosition(risk_, order.terms), ctx.at);
  if (states_.hasExpired()) {
    for (auto& change : states_.takeExpired()) emit(std::move(change), ctx);
  }
  return refused;
}

void Engine::replayNewOrder(Order& order, Ctx ctx) {
  const std::string& venue_name = refdata_.venue_names[order.venue];
  ++order.replays;
  order.new_ack_timed_out = false;
  states_.onVenueOrderSent(order.venue, ctx.at);
  ctx.out.emplace_back(
      VenueNewOrder{order.venue, order.venue_cl_ord_id, order.terms, ctx.at, order.order_id, true});
  armDeadline(order, AwaitedAnswer::NewOrder, ctx.at);
  auto r = report(order, ExecKind::Status, ctx.at);
  r.text = fmt::format(
      "venue {} never received the order (its status answer does not know it): fixgate sent it again with "
      "PossResend=Y; its acknowledgement will be reported on it. Do not resend the order",
      venue_name);
  ctx.out.emplace_back(std::move(r));
}

void Engine::rejectUnreceivedOrder(Order& order, std::string_view why_not_replayed, Ctx ctx) {
  if (order.pending_cancel) {  // the client (or the gateway) wanted it gone, and it never lived: canceled
    if (order.pending_cancel->text.empty()) {
      order.pending_cancel->text = fmt::format(
          "canceled: venue {} never received the order, so it was never "
          "live there",
          refdata_.venue_names[order.venue]);
    }
    onVenueCanceled(VenueCanceled{order.venue, order.pending_cancel->venue_cl_ord_id, {}}, ctx);
    return;
  }
  if (order.pending_replace) settleLostRequest(order, /*replace=*/true, ctx);  // answers the replace
  rejectOrder(
      order,
      makeReject(RejectCode::VenueUnknownOrder,
                 fmt::format("venue {} has no record of the order after its acknowledgement timed out: "
                             "it was never live there; not sent again because {}; send it again if "
                             "still wanted",
                             refdata_.venue_names[order.venue], why_not_replayed)),
      ctx);
}

void Engine::settleLostRequest(Order& order, bool replace, Ctx ctx) {
  auto& slot = replace ? order.pending_replace : order.pending_cancel;
  std::string client_cl_ord_id =
      slot->client_cl_ord_id.empty() ? order.cl_ord_id : std::move(slot->client_cl_ord_id);
  changeOrder(order, [&] { slot.reset(); });
  ctx.out.emplace_back(cancelReject(
      order.session, replace, std::move(client_cl_ord_id), order.cl_ord_id, &order,
      makeReject(RejectCode::VenueRequestLost,
                 fmt::format("venue {} never applied the {}: its status answer shows the order as it was; "
                             "send the {} again if still wanted",
                             refdata_.venue_names[order.venue], replace ? "replace" : "cancel",
                             replace ? "replace" : "cancel")),
      ctx.at));
}

// The venue traded more of the order than its execution reports said (they were lost with a connection or a
// restart): the difference is applied as one fill at the price that makes the order's average the venue's.
void Engine::applyMissingFills(Order& order, const VenueOrderStatus& ev, Ctx ctx) {
  const std::string& venue_name = refdata_.venue_names[ev.venue];
  const Qty missing = ev.cum_qty - order.cum_qty;
  const __int128 venue_notional = static_cast<__int128>(ev.avg_px.units) * ev.cum_qty;
  const __int128 missing_notional = venue_notional - order.fill_notional;
  const Price px{missing > 0 && missing_notional > 0 ? static_cast<std::int64_t>(missing_notional / missing)
                                                     : ev.avg_px.units};
  if (missing <= 0 || px.units <= 0 || ev.cum_qty > order.terms.quantity) {  // nonsense: a person must look
    ctx.out.emplace_back(
        OperatorAlert{alert_code::kMissingFills,
                      fmt::format("venue {} reports CumQty {} @ {} for order {} but fixgate has {} of {}; "
                                  "not applied, reconcile with the venue",
                                  venue_name, ev.cum_qty, formatPrice(ev.avg_px), order.order_id,
                                  order.cum_qty, order.terms.quantity)});
    return;
  }
  ctx.out.emplace_back(OperatorAlert{
      alert_code::kReconciledFills,
      fmt::format("venue {} reports CumQty {} for order {} but fixgate had {}: {} @ {} "
                  "applied from its status answer (its execution reports were lost)",
                  venue_name, ev.cum_qty, order.order_id, order.cum_qty, missing, formatPrice(px))});
  // A derived average, not a traded price: it does not move the last price or the symbol's price breaker.
  auto r = applyFill(order, missing, px, ctx.at);
  r.text = fmt::format("fill reconciled from venue {}'s order status: its execution reports were lost",
                       venue_name);
  ctx.out.emplace_back(std::move(r));
}

void Engine::onVenueOrderStatus(const VenueOrderStatus& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a status answer", ctx);
  if (order == nullptr) return;
  // Nobody asked: informational only, unless it acknowledges a pending order (the venue's answer to a
  // replayed order it already had is its status).
  const bool acknowledges = ev.known && order->status == OrdStatus::PendingNew;
  // Nor is one that shows more executed than fixgate has (a status answer resent after a reconnect): fills
  // are facts, whoever asked.
  const bool shows_fills = ev.known && ev.cum_qty > order->cum_qty && !isFinal(order->status);
  if (!order->venueStateUnknown() && !order->status_queried && !acknowledges && !shows_fills) return;
  // An answer to an earlier query may predate a request sent since (the venue answers each query when it
  // gets it): it still proves what it shows (an ack, fills, a final state) but not that a later request was
  // lost, nor that the venue never had the order. Only the answer to the latest query settles those.
  const bool latest = ev.query_id.empty() || ev.query_id == order->status_query_id;
  if (latest) {
    order->status_queried = false;
    order->status_deadline = 0;
    order->status_retries = 0;
  }
  const std::string& venue_name = refdata_.venue_names[ev.venue];
  if (!ev.known) {
    if (!latest) return;
    if (order->status == OrdStatus::PendingNew) {
      const std::string why_not = replayRefusal(*order, ctx);
      if (why_not.empty()) {
        replayNewOrder(*order, ctx);
      } else {
        rejectUnreceivedOrder(*order, why_not, ctx);
      }
    } else {
      // The venue acknowledged the order once and no longer knows it (it restarted without its book): it
      // cannot trade there any more, so the order ends canceled rather than live in the gateway only.
      ctx.out.emplace_back(OperatorAlert{
          alert_code::kVenueLostOrder,
          fmt::format(
              "venue {} no longer knows order {} ({}, cum {}) it had acknowledged; fixgate reports it "
              "canceled to the client; check the venue's trades for it",
              venue_name, order->order_id, toString(order->status), order->cum_qty)});
      changeOrder(*order, [&] { order->status = OrdStatus::Canceled; });
      order->pending_cancel.reset();
      order->pending_replace.reset();
      auto r = report(*order, ExecKind::Canceled, ctx.at);
      r.text = fmt::format(
          "canceled: venue {} no longer knows the order (it lost its book); resend it if still "
          "wanted",
          venue_name);
      ctx.out.emplace_back(std::move(r));
    }
    return;
  }
  if (order->status == OrdStatus::PendingNew) {  // the acknowledgement was lost or late: the status is it
    if (order->venue_order_id.empty()) order->venue_order_id = ev.venue_order_id;
    order->status = OrdStatus::New;
    order->new_ack_timed_out = false;
    ctx.out.emplace_back(report(*order, ExecKind::New, ctx.at));
  }
  if (ev.cum_qty > order->cum_qty) applyMissingFills(*order, ev, ctx);
  switch (ev.status) {
    case OrdStatus::Canceled: {
      const std::string id =
          order->pending_cancel ? order->pending_cancel->venue_cl_ord_id : order->venue_cl_ord_id;
      onVenueCanceled(VenueCanceled{ev.venue, id, ev.text}, ctx);
      return;
    }
    case OrdStatus::Expired:
      onVenueExpired(VenueExpired{ev.venue, order->venue_cl_ord_id}, ctx);
      return;
    default:
      break;
  }
  if (order->pending_replace && order->pending_replace->timed_out) {
    if (ev.venue_cl_ord_id == order->pending_replace->venue_cl_ord_id) {
      onVenueReplaced(VenueReplaced{ev.venue, ev.venue_cl_ord_id, ev.venue_order_id}, ctx);
    } else if (latest) {
      settleLostRequest(*order, /*replace=*/true, ctx);
    }
  }
  if (latest && order->pending_cancel && order->pending_cancel->timed_out && !isFinal(ev.status)) {
    settleLostRequest(*order, /*replace=*/false, ctx);
  }
}

}  // namespace fixgate::core
