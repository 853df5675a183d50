#include "core/engine.h"

#include <fmt/format.h>

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

CancelReject cancelReject(SessionId session, bool for_replace, std::string cl_ord_id, std::string orig_cl_ord_id,
                          const Order* order, Reject reject, Timestamp at) {
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

Engine::Engine(ReferenceData refdata, std::string id_prefix)
    : refdata_(std::move(refdata)),
      id_prefix_(std::move(id_prefix)),
      venue_up_(refdata_.venue_names.size(), false),
      by_client_cl_ord_id_(refdata_.session_names.size()),
      orders_of_session_(refdata_.session_names.size()) {}

void Engine::apply(const Event& event, std::vector<Action>& out) {
  const Ctx ctx{event.at, out};
  std::visit(Overloaded{
                 [&](const NewOrder& e) { onNew(e, ctx); },
                 [&](const CancelOrder& e) { onCancel(e, ctx); },
                 [&](const ReplaceOrder& e) { onReplace(e, ctx); },
                 [&](const StatusRequest& e) { onStatus(e, ctx); },
                 [&](const MassCancel& e) { onMassCancel(e, ctx); },
                 [&](const ClientSessionUp&) {},
                 [&](const ClientSessionDown&) {},
                 [&](const VenueUp& e) { setVenueUp(e.venue, true); },
                 [&](const VenueDown& e) { setVenueUp(e.venue, false); },
                 [&](const VenueAccepted& e) { onVenueAccepted(e, ctx); },
                 [&](const VenueFill& e) { onVenueFill(e, ctx); },
                 [&](const VenueCanceled& e) { onVenueCanceled(e, ctx); },
                 [&](const VenueReplaced& e) { onVenueReplaced(e, ctx); },
                 [&](const VenueRejected& e) { onVenueRejected(e, ctx); },
                 [&](const VenueCancelRejected& e) { onVenueCancelRejected(e, ctx); },
                 [&](const VenueExpired& e) { onVenueExpired(e, ctx); },
             },
             event.body);
}

const Order* Engine::findByClOrdId(SessionId session, std::string_view cl_ord_id) const {
  if (session >= by_client_cl_ord_id_.size()) return nullptr;
  const auto& ids = by_client_cl_ord_id_[session];
  const auto it = ids.find(cl_ord_id);
  return it == ids.end() ? nullptr : &orders_[it->second];
}

Order* Engine::orderByClOrdId(SessionId session, std::string_view cl_ord_id) {
  return const_cast<Order*>(std::as_const(*this).findByClOrdId(session, cl_ord_id));
}

const Order* Engine::findByVenueClOrdId(std::string_view venue_cl_ord_id) const {
  const auto it = by_venue_cl_ord_id_.find(venue_cl_ord_id);
  return it == by_venue_cl_ord_id_.end() ? nullptr : &orders_[it->second];
}

std::size_t Engine::openOrderCount() const {
  std::size_t n = 0;
  for (const auto& o : orders_) n += isFinal(o.status) ? 0 : 1;
  return n;
}

std::string Engine::nextId(char kind) { return fmt::format("{}{}{}", id_prefix_, kind, ++id_counter_); }

void Engine::setVenueUp(VenueId venue, bool up) {
  if (venue < venue_up_.size()) venue_up_[venue] = up;
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

void Engine::onNew(const NewOrder& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;  // the edge only sends configured sessions
  if (findByClOrdId(cmd.session, cmd.cl_ord_id) != nullptr) {
    ctx.out.emplace_back(rejectedNewOrder(
        cmd,
        makeReject(RejectCode::DuplicateClOrdId,
                   fmt::format("ClOrdID '{}' was already used on this session; send a new, unique ClOrdID",
                               cmd.cl_ord_id)),
        ctx.at));
    return;
  }
  if (auto reject = validateTerms(cmd.terms, refdata_)) {
    ctx.out.emplace_back(rejectedNewOrder(cmd, std::move(*reject), ctx.at));
    return;
  }
  auto venue = routeOrder(refdata_, venue_up_, cmd.terms);
  if (!venue) {
    ctx.out.emplace_back(rejectedNewOrder(cmd, std::move(venue.error()), ctx.at));
    return;
  }

  Order& order = orders_.emplace_back();
  order.index = static_cast<std::uint32_t>(orders_.size() - 1);
  order.order_id = nextId('O');
  order.session = cmd.session;
  order.venue = *venue;
  order.cl_ord_id = cmd.cl_ord_id;
  order.terms = cmd.terms;
  order.venue_cl_ord_id = nextId('V');
  by_client_cl_ord_id_[cmd.session].emplace(order.cl_ord_id, order.index);
  orders_of_session_[cmd.session].push_back(order.index);
  by_venue_cl_ord_id_.emplace(order.venue_cl_ord_id, order.index);

  ctx.out.emplace_back(VenueNewOrder{order.venue, order.venue_cl_ord_id, order.terms, ctx.at});
}

void Engine::onCancel(const CancelOrder& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;
  auto refuse = [&](const Order* order, RejectCode code, std::string detail) {
    ctx.out.emplace_back(cancelReject(cmd.session, false, cmd.cl_ord_id, cmd.orig_cl_ord_id, order,
                                      makeReject(code, detail), ctx.at));
  };
  Order* order = orderByClOrdId(cmd.session, cmd.orig_cl_ord_id);
  if (order == nullptr) {
    return refuse(nullptr, RejectCode::UnknownOrder,
                  fmt::format("no order with ClOrdID '{}' on this session; check OrigClOrdID (41)",
                              cmd.orig_cl_ord_id));
  }
  if (findByClOrdId(cmd.session, cmd.cl_ord_id) != nullptr) {
    return refuse(order, RejectCode::DuplicateClOrdId,
                  fmt::format("ClOrdID '{}' was already used on this session; send the cancel with a new ClOrdID",
                              cmd.cl_ord_id));
  }
  if (isFinal(order->status)) {
    return refuse(order, RejectCode::OrderAlreadyFinal,
                  fmt::format("too late to cancel: order '{}' is already {}", cmd.orig_cl_ord_id,
                              toString(order->status)));
  }
  if (order->hasPending()) {
    return refuse(order, RejectCode::OrderPendingChange,
                  fmt::format("order '{}' already has a pending {}; wait for its answer", cmd.orig_cl_ord_id,
                              order->pending_cancel ? "cancel" : "replace"));
  }
  by_client_cl_ord_id_[cmd.session].emplace(cmd.cl_ord_id, order->index);
  sendCancelToVenue(*order, cmd.cl_ord_id, ctx);
}

void Engine::sendCancelToVenue(Order& order, std::string client_cl_ord_id, Ctx ctx) {
  order.pending_cancel = PendingRequest{std::move(client_cl_ord_id), nextId('V')};
  by_venue_cl_ord_id_.emplace(order.pending_cancel->venue_cl_ord_id, order.index);
  ctx.out.emplace_back(VenueCancel{order.venue, order.pending_cancel->venue_cl_ord_id, order.venue_cl_ord_id,
                                   order.venue_order_id, order.terms.symbol, order.terms.side,
                                   order.terms.quantity, ctx.at});
}

void Engine::onReplace(const ReplaceOrder& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;
  auto refuse = [&](const Order* order, Reject reject) {
    ctx.out.emplace_back(
        cancelReject(cmd.session, true, cmd.cl_ord_id, cmd.orig_cl_ord_id, order, std::move(reject), ctx.at));
  };
  Order* order = orderByClOrdId(cmd.session, cmd.orig_cl_ord_id);
  if (order == nullptr) {
    return refuse(nullptr, makeReject(RejectCode::UnknownOrder,
                                      fmt::format("no order with ClOrdID '{}' on this session; check OrigClOrdID (41)",
                                                  cmd.orig_cl_ord_id)));
  }
  if (findByClOrdId(cmd.session, cmd.cl_ord_id) != nullptr) {
    return refuse(order, makeReject(RejectCode::DuplicateClOrdId,
                                    fmt::format("ClOrdID '{}' was already used on this session; send the replace "
                                                "with a new ClOrdID",
                                                cmd.cl_ord_id)));
  }
  if (isFinal(order->status)) {
    return refuse(order, makeReject(RejectCode::OrderAlreadyFinal,
                                    fmt::format("too late to replace: order '{}' is already {}",
                                                cmd.orig_cl_ord_id, toString(order->status))));
  }
  if (order->hasPending()) {
    return refuse(order, makeReject(RejectCode::OrderPendingChange,
                                    fmt::format("order '{}' already has a pending {}; wait for its answer",
                                                cmd.orig_cl_ord_id, order->pending_cancel ? "cancel" : "replace")));
  }
  if (cmd.terms.side != order->terms.side) {
    return refuse(order, makeReject(RejectCode::ReplaceChangesSide,
                                    fmt::format("a replace cannot change Side from {} to {}; cancel the order and "
                                                "send a new one",
                                                toString(order->terms.side), toString(cmd.terms.side))));
  }
  if (cmd.terms.symbol != order->terms.symbol) {
    return refuse(order, makeReject(RejectCode::ReplaceChangesSymbol,
                                    fmt::format("a replace cannot change Symbol from '{}' to '{}'; cancel the order "
                                                "and send a new one",
                                                order->terms.symbol, cmd.terms.symbol)));
  }
  if (auto reject = validateTerms(cmd.terms, refdata_)) return refuse(order, std::move(*reject));
  if (cmd.terms.quantity <= order->cum_qty) {
    return refuse(order, makeReject(RejectCode::ReplaceQtyBelowFilled,
                                    fmt::format("new OrderQty {} is not above the {} already filled; cancel the "
                                                "order instead",
                                                cmd.terms.quantity, order->cum_qty)));
  }

  by_client_cl_ord_id_[cmd.session].emplace(cmd.cl_ord_id, order->index);
  order->pending_replace = PendingRequest{cmd.cl_ord_id, nextId('V')};
  order->pending_terms = cmd.terms;
  // Routing-relevant fields stay with the order: a replace never moves it to another venue.
  order->pending_terms.ex_destination = order->terms.ex_destination;
  by_venue_cl_ord_id_.emplace(order->pending_replace->venue_cl_ord_id, order->index);
  ctx.out.emplace_back(VenueReplace{order->venue, order->pending_replace->venue_cl_ord_id, order->venue_cl_ord_id,
                                    order->venue_order_id, order->pending_terms, ctx.at});
}

void Engine::onStatus(const StatusRequest& cmd, Ctx ctx) {
  if (cmd.session >= by_client_cl_ord_id_.size()) return;
  const Order* order = findByClOrdId(cmd.session, cmd.cl_ord_id);
  if (order == nullptr) {
    NewOrder unknown{cmd.session, cmd.cl_ord_id, {}};
    unknown.terms.symbol = cmd.symbol;
    unknown.terms.side = cmd.side;
    auto r = rejectedNewOrder(unknown,
                              makeReject(RejectCode::UnknownOrder,
                                         fmt::format("no order with ClOrdID '{}' on this session", cmd.cl_ord_id)),
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
  MassCancelReport report{cmd.session, cmd.cl_ord_id, nextId('M'), cmd.raw_scope, cmd.symbol, 0, {}, {}, ctx.at};
  if (cmd.scope == MassCancelScope::Unsupported) {
    auto reject = makeReject(RejectCode::MassCancelUnsupportedScope,
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
  for (const auto index : orders_of_session_[cmd.session]) {
    Order& order = orders_[index];
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
  if (it == by_venue_cl_ord_id_.end() || orders_[it->second].venue != venue) {
    ctx.out.emplace_back(OperatorAlert{
        "UnknownVenueOrder",
        fmt::format("venue {} sent {} for ClOrdID '{}' which the gateway never sent there; ignored, check the "
                    "venue session",
                    venue < refdata_.venue_names.size() ? refdata_.venue_names[venue] : "?", what, venue_cl_ord_id)});
    return nullptr;
  }
  return &orders_[it->second];
}

void Engine::onVenueAccepted(const VenueAccepted& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "an acknowledgement", ctx);
  if (order == nullptr) return;
  if (order->venue_order_id.empty()) order->venue_order_id = ev.venue_order_id;
  if (order->status != OrdStatus::PendingNew) return;  // a repeated ack changes nothing
  order->status = OrdStatus::New;
  ctx.out.emplace_back(report(*order, ExecKind::New, ctx.at));
}

void Engine::onVenueFill(const VenueFill& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a fill", ctx);
  if (order == nullptr) return;
  const auto& venue_name = refdata_.venue_names[ev.venue];
  if (isFinal(order->status)) {
    ctx.out.emplace_back(OperatorAlert{
        "FillAfterFinal",
        fmt::format("venue {} reported a fill of {} @ {} (exec {}) on order {} which is already {}; not applied, "
                    "reconcile with the venue",
                    venue_name, ev.last_qty, formatPrice(ev.last_px), ev.venue_exec_id, order->order_id,
                    toString(order->status))});
    return;
  }
  if (ev.last_qty <= 0 || ev.last_qty > order->leavesQty() || ev.last_px.units <= 0) {
    ctx.out.emplace_back(OperatorAlert{
        "InvalidFill",
        fmt::format("venue {} reported a fill of {} @ {} (exec {}) on order {} with {} open; overfill or invalid "
                    "fill not applied, reconcile with the venue",
                    venue_name, ev.last_qty, formatPrice(ev.last_px), ev.venue_exec_id, order->order_id,
                    order->leavesQty())});
    return;
  }
  if (order->venue_order_id.empty()) order->venue_order_id = ev.venue_order_id;
  order->cum_qty += ev.last_qty;
  order->fill_notional += static_cast<__int128>(ev.last_px.units) * ev.last_qty;
  order->status = order->cum_qty == order->terms.quantity ? OrdStatus::Filled : OrdStatus::PartiallyFilled;
  auto r = report(*order, ExecKind::Trade, ctx.at);
  r.last_qty = ev.last_qty;
  r.last_px = ev.last_px;
  ctx.out.emplace_back(std::move(r));
}

void Engine::onVenueCanceled(const VenueCanceled& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a cancel", ctx);
  if (order == nullptr) return;
  if (isFinal(order->status)) return;  // already final: a late or repeated cancel changes nothing
  const auto requested = std::move(order->pending_cancel);
  order->status = OrdStatus::Canceled;
  order->pending_cancel.reset();
  order->pending_replace.reset();  // a replace still in flight is moot once the order is canceled
  auto r = report(*order, ExecKind::Canceled, ctx.at);
  if (requested) {
    if (!requested->client_cl_ord_id.empty()) r.cl_ord_id = requested->client_cl_ord_id;
    r.orig_cl_ord_id = order->cl_ord_id;
  } else {
    r.text = fmt::format("canceled by venue {}{}{}", refdata_.venue_names[ev.venue], ev.text.empty() ? "" : ": ",
                         ev.text);
  }
  ctx.out.emplace_back(std::move(r));
}

void Engine::onVenueReplaced(const VenueReplaced& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a replace", ctx);
  if (order == nullptr) return;
  if (!order->pending_replace || order->pending_replace->venue_cl_ord_id != ev.venue_cl_ord_id ||
      isFinal(order->status)) {
    ctx.out.emplace_back(OperatorAlert{
        "UnexpectedReplace",
        fmt::format("venue {} confirmed a replace ({}) of order {} which is {} with no such replace pending; not "
                    "applied, reconcile with the venue",
                    refdata_.venue_names[ev.venue], ev.venue_cl_ord_id, order->order_id, toString(order->status))});
    if (isFinal(order->status)) order->pending_replace.reset();
    return;
  }
  const std::string old_cl_ord_id = order->cl_ord_id;
  order->cl_ord_id = std::move(order->pending_replace->client_cl_ord_id);
  order->terms = std::move(order->pending_terms);
  order->venue_cl_ord_id = std::move(order->pending_replace->venue_cl_ord_id);
  if (!ev.venue_order_id.empty()) order->venue_order_id = ev.venue_order_id;
  order->pending_replace.reset();
  order->status = order->cum_qty == 0                       ? OrdStatus::New
                  : order->cum_qty >= order->terms.quantity ? OrdStatus::Filled
                                                            : OrdStatus::PartiallyFilled;
  auto r = report(*order, ExecKind::Replaced, ctx.at);
  r.orig_cl_ord_id = old_cl_ord_id;
  ctx.out.emplace_back(std::move(r));
}

void Engine::onVenueRejected(const VenueRejected& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a reject", ctx);
  if (order == nullptr) return;
  if (order->status != OrdStatus::PendingNew) {
    ctx.out.emplace_back(OperatorAlert{
        "UnexpectedReject",
        fmt::format("venue {} rejected order {} which it had already accepted ({}); not applied, reconcile",
                    refdata_.venue_names[ev.venue], order->order_id, toString(order->status))});
    return;
  }
  order->status = OrdStatus::Rejected;
  order->pending_cancel.reset();
  order->pending_replace.reset();
  auto r = report(*order, ExecKind::Rejected, ctx.at);
  auto reject = makeReject(RejectCode::VenueRejected,
                           fmt::format("venue {} rejected the order: {}", refdata_.venue_names[ev.venue],
                                       ev.text.empty() ? "no reason given" : ev.text));
  r.reject = reject.code;
  r.text = std::move(reject.text);
  ctx.out.emplace_back(std::move(r));
}

void Engine::onVenueCancelRejected(const VenueCancelRejected& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "a cancel/replace reject", ctx);
  if (order == nullptr) return;
  const bool for_cancel = order->pending_cancel && order->pending_cancel->venue_cl_ord_id == ev.venue_cl_ord_id;
  const bool for_replace =
      order->pending_replace && order->pending_replace->venue_cl_ord_id == ev.venue_cl_ord_id;
  if (!for_cancel && !for_replace) return;  // an answer to a request already settled
  auto& slot = for_replace ? order->pending_replace : order->pending_cancel;
  std::string client_cl_ord_id =
      slot->client_cl_ord_id.empty() ? order->cl_ord_id : std::move(slot->client_cl_ord_id);
  slot.reset();
  ctx.out.emplace_back(cancelReject(
      order->session, for_replace, std::move(client_cl_ord_id), order->cl_ord_id, order,
      makeReject(RejectCode::VenueRejected,
                 fmt::format("venue {} refused the {}: {}", refdata_.venue_names[ev.venue],
                             for_replace ? "replace" : "cancel", ev.text.empty() ? "no reason given" : ev.text)),
      ctx.at));
}

void Engine::onVenueExpired(const VenueExpired& ev, Ctx ctx) {
  Order* order = orderForVenueEvent(ev.venue, ev.venue_cl_ord_id, "an expiry", ctx);
  if (order == nullptr || isFinal(order->status)) return;
  order->status = OrdStatus::Expired;
  order->pending_cancel.reset();
  order->pending_replace.reset();
  ctx.out.emplace_back(report(*order, ExecKind::Expired, ctx.at));
}

}  // namespace fixgate::core
