#include "sim_application.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "fix_inbound.h"

namespace fixgate::sim {
namespace {

constexpr int kUnsupportedMessageType = 3;  // BusinessRejectReason 380
constexpr int kMassCancelNotSupported = 0;  // MassCancelRejectReason 532
constexpr int kMassCancelOther = 99;

EngineConfig engineConfig(const SimConfig& cfg) {
  EngineConfig e;
  e.venue = cfg.venue;
  e.fill = cfg.fill;
  e.referencePrices = cfg.referencePrices;
  e.haltedSymbols = cfg.rejectSymbols;
  return e;
}

}  // namespace

SimApplication::SimApplication(const SimConfig& cfg, const std::string& runTag, Dispatcher& dispatcher,
                               Stats& stats)
    : cfg_(cfg),
      dispatcher_(dispatcher),
      stats_(stats),
      engine_(engineConfig(cfg)),
      ids_(cfg.venue, runTag) {}

void SimApplication::onCreate(const FIX::SessionID& id) {
  sessions_.emplace(id.toString(), id);
}

void SimApplication::onLogon(const FIX::SessionID& id) {
  dispatcher_.sessionLoggedOn(id);
  std::lock_guard lock(loggedOnMutex_);
  loggedOn_.insert(id.toString());
  stats_.sessionsLoggedOn = static_cast<int>(loggedOn_.size());
  spdlog::info("logon: {}", id.toString());
}

void SimApplication::onLogout(const FIX::SessionID& id) {
  std::lock_guard lock(loggedOnMutex_);
  // QuickFIX also reports a logout for connections that never completed a logon; those were not counted.
  if (loggedOn_.erase(id.toString()) == 0) return;
  stats_.sessionsLoggedOn = static_cast<int>(loggedOn_.size());
  spdlog::info("logout: {}", id.toString());
}

void SimApplication::fromAdmin(const FIX::Message& msg, const FIX::SessionID& id) {
  if (cfg_.heartbeatInterval <= 0 || fieldOf(msg.getHeader(), FIX::FIELD::MsgType) != "A") return;
  auto asked = fieldOf(msg, FIX::FIELD::HeartBtInt).value_or("");
  if (asked != std::to_string(cfg_.heartbeatInterval)) {
    auto why = fmt::format("HeartBtInt must be {}, got {}", cfg_.heartbeatInterval, asked);
    spdlog::warn("logon refused for {}: {}", id.toString(), why);
    throw FIX::RejectLogon(why);
  }
}

void SimApplication::fromApp(const FIX::Message& msg, const FIX::SessionID& id) {
  if (stopsReadingAt(cfg_.faults, ++inboundMessages_)) {
    // QuickFIX reads each connection's socket on the thread that calls fromApp: waiting here stops reading.
    spdlog::warn("fault: stopped reading {} for {} ms (--stop-reading-after {})", id.toString(),
                 cfg_.faults.stopReadingFor.count(), cfg_.faults.stopReadingAfter);
    std::this_thread::sleep_for(cfg_.faults.stopReadingFor);
    spdlog::warn("fault: reading {} again", id.toString());
  }
  std::string type = fieldOf(msg.getHeader(), FIX::FIELD::MsgType).value_or("");
  std::lock_guard lock(mutex_);
  if (type == FIX::MsgType_NewOrderSingle) {
    onNewOrder(msg, id);
  } else if (type == FIX::MsgType_OrderCancelRequest) {
    onCancel(msg, id);
  } else if (type == FIX::MsgType_OrderCancelReplaceRequest) {
    onReplace(msg, id);
  } else if (type == FIX::MsgType_OrderStatusRequest) {
    onStatusRequest(msg, id);
  } else if (type == FIX::MsgType_OrderMassCancelRequest) {
    onMassCancel(msg, id);
  } else {
    auto text = fmt::format("message type {} is not supported by venue {}", type, cfg_.venue);
    spdlog::warn("{}: business reject: {}", id.toString(), text);
    ++stats_.rejects;
    send(id.toString(), businessReject(msg, kUnsupportedMessageType, text), 0);
  }
}

std::size_t SimApplication::restingOrders() const {
  std::lock_guard lock(mutex_);
  return engine_.restingCount();
}

void SimApplication::wipeBook(const std::string& runTag) {
  std::lock_guard lock(mutex_);
  engine_ = MatchingEngine(engineConfig(cfg_));
  ids_ = IdGenerator(cfg_.venue, runTag);
}

void SimApplication::onNewOrder(const FIX::Message& msg, const FIX::SessionID& id) {
  ++stats_.ordersReceived;
  // PossResend=Y: the sender is not sure this venue has the order. One it has is answered with its status,
  // never booked twice; one it does not have is an order like any other.
  const std::string clOrdId = fieldOf(msg, FIX::FIELD::ClOrdID).value_or("");
  if (fieldOf(msg.getHeader(), FIX::FIELD::PossResend) == "Y") {
    if (const Order* order = engine_.find(id.toString(), clOrdId)) {
      spdlog::info("{}: PossResend copy of order {} it already has: answered with its status", id.toString(),
                   clOrdId);
      send(id.toString(), statusReport(*order, ids_), order->id);
      return;
    }
  } else if (cfg_.faults.loseNewSymbols.contains(fieldOf(msg, FIX::FIELD::Symbol).value_or(""))) {
    spdlog::info("fault: lost NewOrderSingle {} from {} as if on the wire", clOrdId, id.toString());
    return;
  }
  auto request = decodeNewOrder(msg, id.toString());
  if (request) {
    publish(engine_.submit(*request), &msg);
    return;
  }
  Event reject;
  reject.kind = EventKind::Rejected;
  reject.order.session = id.toString();
  reject.order.clOrdId = fieldOf(msg, FIX::FIELD::ClOrdID).value_or("");
  reject.order.status = OrdStatus::Rejected;
  reject.text = request.error();
  publish({reject}, &msg);
}

void SimApplication::rejectCancelRequest(const FIX::Message& msg, const FIX::SessionID& id,
                                         CancelRejectResponseTo to, const std::string& text) {
  Event reject;
  reject.kind = EventKind::CancelRejected;
  reject.order.session = id.toString();
  reject.order.status = OrdStatus::Rejected;
  reject.origClOrdId = fieldOf(msg, FIX::FIELD::OrigClOrdID).value_or("");
  reject.text = text;
  reject.cancelReject =
      CancelReject{to, CancelRejectReason::Other, fieldOf(msg, FIX::FIELD::ClOrdID).value_or("")};
  publish({reject}, &msg);
}

void SimApplication::onCancel(const FIX::Message& msg, const FIX::SessionID& id) {
  auto request = decodeCancel(msg, id.toString());
  if (!request) return rejectCancelRequest(msg, id, CancelRejectResponseTo::Cancel, request.error());
  publish(engine_.cancel(*request), &msg);
}

void SimApplication::onReplace(const FIX::Message& msg, const FIX::SessionID& id) {
  auto request = decodeReplace(msg, id.toString());
  if (!request) return rejectCancelRequest(msg, id, CancelRejectResponseTo::Replace, request.error());
  publish(engine_.replace(*request), &msg);
}

void SimApplication::onStatusRequest(const FIX::Message& msg, const FIX::SessionID& id) {
  std::string clOrdId = fieldOf(msg, FIX::FIELD::ClOrdID).value_or("");
  const Order* order = engine_.find(id.toString(), clOrdId);
  FIX::Message answer = order != nullptr ? statusReport(*order, ids_) : unknownOrderStatusReport(msg, ids_);
  // OrdStatusReqID (790) is echoed so the requester can tell which request an answer is to.
  if (auto request_id = fieldOf(msg, FIX::FIELD::OrdStatusReqID))
    answer.setField(FIX::FIELD::OrdStatusReqID, *request_id);
  send(id.toString(), std::move(answer), order != nullptr ? order->id : 0);
}

void SimApplication::onMassCancel(const FIX::Message& msg, const FIX::SessionID& id) {
  MassCancelOutcome outcome{.clOrdId = fieldOf(msg, FIX::FIELD::ClOrdID).value_or(""),
                            .requestType = fieldOf(msg, FIX::FIELD::MassCancelRequestType).value_or(""),
                            .symbol = fieldOf(msg, FIX::FIELD::Symbol),
                            .side = fieldOf(msg, FIX::FIELD::Side),
                            .affected = 0,
                            .rejectReason = std::nullopt,
                            .text = {}};
  auto request = decodeMassCancel(msg, id.toString());
  if (!request) {
    bool unsupportedType = request.error().starts_with("unsupported MassCancelRequestType");
    outcome.rejectReason = unsupportedType ? kMassCancelNotSupported : kMassCancelOther;
    outcome.text = request.error();
    spdlog::warn("{}: mass cancel {} rejected: {}", id.toString(), outcome.clOrdId, outcome.text);
    ++stats_.rejects;
    send(id.toString(), massCancelReport(outcome, ids_), 0);
    return;
  }
  Events canceled = engine_.massCancel(*request);
  outcome.affected = canceled.size();
  // The report acknowledges the request before the individual cancels, as venues usually do.
  send(id.toString(), massCancelReport(outcome, ids_), 0);
  publish(canceled, nullptr);
}

void SimApplication::publish(const Events& events, const FIX::Message* request) {
  for (const Event& e : events) {
    if (e.kind == EventKind::CancelRejected) {
      ++stats_.rejects;
      spdlog::warn("{}: cancel/replace {} for {} rejected: {}", e.order.session, e.cancelReject.clOrdId,
                   e.origClOrdId, e.text);
      send(e.order.session, cancelReject(e, ids_), e.order.id);
      continue;
    }
    FIX::Message report = executionReport(e, ids_);
    if (e.kind == EventKind::Rejected) {
      ++stats_.rejects;
      spdlog::warn("{}: order {} rejected: {}", e.order.session, e.order.clOrdId, e.text);
      if (request) echoRequestFields(*request, report);
    } else if (e.kind == EventKind::Trade) {
      ++stats_.executions;
    }
    send(e.order.session, std::move(report), e.order.id);
  }
}

void SimApplication::send(const std::string& session, FIX::Message message, OrderId orderId) {
  auto it = sessions_.find(session);
  if (it == sessions_.end()) {
    spdlog::error("no FIX session {} to send to", session);
    return;
  }
  dispatcher_.post(Outbound{it->second, std::move(message), orderId});
}

}  // namespace fixgate::sim
