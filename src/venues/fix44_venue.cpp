#include "venues/fix44_venue.h"

#include "ops/stage_timing.h"
#include "session_store/session_store.h"

#include "fix/recording_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "clock/clock.h"
#include "fix/field_codes.h"
#include "fix/message_access.h"
#include "quickfix/peer_address.h"
#include "quickfix/send.h"

namespace fixgate::venues {
namespace {

namespace tag = fix::tag;

using fix::fieldOrEmpty;
using fix::messageOfType;
using fix::setChar;
using fix::setIfNotEmpty;

// RTS 24: the venue needs the client, investment decision and execution-within-firm short codes.
void addParties(FIX::Message& m, const core::Parties& parties) {
  for (const auto& [party, role] :
       {std::pair{&parties.client, 3}, std::pair{&parties.investment_decision, 122},
        std::pair{&parties.execution_within_firm, 12}}) {
    if (party->empty()) continue;
    FIX::Group group(
        tag::NoPartyIDs, tag::PartyID,
        FIX::message_order(tag::PartyID, tag::PartyIDSource, tag::PartyRole, tag::PartyRoleQualifier, 0));
    group.setField(tag::PartyID, party->id);
    if (party->source != 0) group.setField(tag::PartyIDSource, std::string(1, party->source));
    group.setField(tag::PartyRole, std::to_string(role));
    if (party->qualifier != 0) group.setField(tag::PartyRoleQualifier, std::to_string(party->qualifier));
    m.addGroup(group);
  }
}

// A NewOrderSingle or an OrderCancelReplaceRequest: the order's terms with the request's identifiers, set in
// ascending tag order (QuickFIX 1.15.1 keeps fields sorted in a vector of FieldBase and copies them, having
// no move constructor, to make room for a field set out of order).
struct OrderIds {
  const std::string& cl_ord_id;
  const std::string* orig_cl_ord_id = nullptr;  // a replace's
  const std::string* order_id = nullptr;        // a replace's, when the venue gave one
};
void setOrderFields(FIX::Message& m, const OrderIds& ids, const core::OrderTerms& t,
                    core::Timestamp transact_time) {
  setIfNotEmpty(m, tag::Account, t.account);                                                     // 1
  m.setField(tag::ClOrdID, ids.cl_ord_id);                                                       // 11
  setIfNotEmpty(m, tag::Currency, t.currency);                                                   // 15
  setChar(m, tag::HandlInst, '1');                                                               // 21
  if (t.security_id_source != 0) setChar(m, tag::SecurityIDSource, t.security_id_source);        // 22
  if (ids.order_id != nullptr) setIfNotEmpty(m, tag::OrderID, *ids.order_id);                    // 37
  m.setField(tag::OrderQty, std::to_string(t.quantity));                                         // 38
  setChar(m, tag::OrdType, fix::ordTypeToFix(t.ord_type));                                       // 40
  if (ids.orig_cl_ord_id != nullptr) m.setField(tag::OrigClOrdID, *ids.orig_cl_ord_id);          // 41
  if (t.price) m.setField(tag::Price, core::formatPrice(*t.price));                              // 44
  setIfNotEmpty(m, tag::SecurityID, t.security_id);                                              // 48
  setChar(m, tag::Side, fix::sideToFix(t.side));                                                 // 54
  m.setField(tag::Symbol, t.symbol);                                                             // 55
  setChar(m, tag::TimeInForce, fix::timeInForceToFix(t.time_in_force));                          // 59
  m.setField(tag::TransactTime, fix::formatUtcMicros(transact_time));                            // 60
  if (t.stop_price) m.setField(tag::StopPx, core::formatPrice(*t.stop_price));                   // 99
  if (!t.expire.empty() && t.expire.size() != 8) m.setField(tag::ExpireTime, t.expire);          // 126
  setIfNotEmpty(m, tag::SecurityExchange, t.security_exchange);                                  // 207
  if (t.expire.size() == 8) m.setField(tag::ExpireDate, t.expire);                               // 432
  addParties(m, t.parties);                                                                      // 453
  if (const char c = fix::capacityToFix(t.capacity); c != 0) setChar(m, tag::OrderCapacity, c);  // 528
}

core::Qty qtyField(const FIX::Message& m, int tag_number) {
  return core::parseQty(fieldOrEmpty(m, tag_number)).value_or(0);
}

}  // namespace

FIX::Message buildVenueNewOrder(const core::VenueNewOrder& order) {
  FIX::Message m = messageOfType("D");
  // A replay of an order the venue never received: PossResend tells the venue to refuse it as a copy if it
  // does have that ClOrdID after all.
  if (order.replay.value_or(false)) m.getHeader().setField(tag::PossResend, "Y");
  setOrderFields(m, OrderIds{order.venue_cl_ord_id}, order.terms, order.transact_time);
  return m;
}

FIX::Message buildVenueCancel(const core::VenueCancel& cancel) {
  FIX::Message m = messageOfType("F");
  m.setField(tag::ClOrdID, cancel.venue_cl_ord_id);                           // 11
  setIfNotEmpty(m, tag::OrderID, cancel.venue_order_id);                      // 37
  m.setField(tag::OrderQty, std::to_string(cancel.order_qty));                // 38
  m.setField(tag::OrigClOrdID, cancel.orig_venue_cl_ord_id);                  // 41
  setChar(m, tag::Side, fix::sideToFix(cancel.side));                         // 54
  m.setField(tag::Symbol, cancel.symbol);                                     // 55
  m.setField(tag::TransactTime, fix::formatUtcMicros(cancel.transact_time));  // 60
  return m;
}

FIX::Message buildVenueReplace(const core::VenueReplace& replace) {
  FIX::Message m = messageOfType("G");
  setOrderFields(m, OrderIds{replace.venue_cl_ord_id, &replace.orig_venue_cl_ord_id, &replace.venue_order_id},
                 replace.terms, replace.transact_time);
  return m;
}

FIX::Message buildVenueStatusQuery(const core::VenueStatusQuery& query) {
  FIX::Message m = messageOfType("H");
  m.setField(tag::ClOrdID, query.venue_cl_ord_id);        // 11
  setIfNotEmpty(m, tag::OrderID, query.venue_order_id);   // 37
  setChar(m, tag::Side, fix::sideToFix(query.side));      // 54
  m.setField(tag::Symbol, query.symbol);                  // 55
  setIfNotEmpty(m, tag::OrdStatusReqID, query.query_id);  // 790
  return m;
}

namespace {

// A status answer: the venue knows the order unless it says OrdStatus 8 (rejected, which is also how venues
// answer "unknown order") or OrderID NONE.
core::VenueOrderStatus statusAnswer(const FIX::Message& m, core::VenueId venue,
                                    const std::string& cl_ord_id) {
  core::VenueOrderStatus answer{venue,
                                cl_ord_id,
                                fieldOrEmpty(m, tag::OrderID),
                                false,
                                core::OrdStatus::New,
                                qtyField(m, tag::CumQty),
                                core::parsePrice(fieldOrEmpty(m, tag::AvgPx)).value_or(core::Price{}),
                                fieldOrEmpty(m, tag::Text),
                                fieldOrEmpty(m, tag::OrdStatusReqID)};
  const auto& ord_status = fieldOrEmpty(m, tag::OrdStatus);
  const auto status = ord_status.size() == 1 ? fix::ordStatusFromFix(ord_status[0]) : std::nullopt;
  answer.known = status && *status != core::OrdStatus::Rejected && answer.venue_order_id != "NONE";
  if (status) answer.status = *status;
  if (!answer.known && answer.venue_order_id == "NONE") answer.venue_order_id.clear();
  return answer;
}

}  // namespace

std::optional<core::EventBody> translateVenueMessage(const FIX::Message& m, core::VenueId venue) {
  const auto& msg_type = m.getHeader().getField(tag::MsgType);
  const auto& cl_ord_id = fieldOrEmpty(m, tag::ClOrdID);
  if (msg_type == "9") return core::VenueCancelRejected{venue, cl_ord_id, fieldOrEmpty(m, tag::Text)};
  if (msg_type != "8") return std::nullopt;
  const auto& exec_type = fieldOrEmpty(m, tag::ExecType);
  const char code = exec_type.size() == 1 ? exec_type[0] : 0;
  switch (code) {
    case '0':
      return core::VenueAccepted{venue, cl_ord_id, fieldOrEmpty(m, tag::OrderID)};
    case '1':  // FIX 4.2-style venues report trades as partial fill / fill
    case '2':
    case 'F': {
      const auto px = core::parsePrice(fieldOrEmpty(m, tag::LastPx));
      return core::VenueFill{venue,
                             cl_ord_id,
                             fieldOrEmpty(m, tag::OrderID),
                             fieldOrEmpty(m, tag::ExecID),
                             qtyField(m, tag::LastQty),
                             px.value_or(core::Price{})};
    }
    case '4':
      return core::VenueCanceled{venue, cl_ord_id, fieldOrEmpty(m, tag::Text)};
    case '5':
      return core::VenueReplaced{venue, cl_ord_id, fieldOrEmpty(m, tag::OrderID)};
    case '8':
      return core::VenueRejected{venue, cl_ord_id, fieldOrEmpty(m, tag::Text)};
    case 'C':
      return core::VenueExpired{venue, cl_ord_id};
    case 'I':
      return statusAnswer(m, venue, cl_ord_id);
    default:
      return std::nullopt;  // pending states: informational
  }
}

FIX::SessionSettings venueSessionSettings(const config::GatewayConfig& cfg, const config::VenueConfig& venue,
                                          const std::string& connect_host, int connect_port) {
  FIX::SessionSettings settings;
  FIX::Dictionary d;
  d.setString("ConnectionType", "initiator");
  d.setString("SocketConnectHost", connect_host);
  d.setInt("SocketConnectPort", connect_port);
  d.setString("SocketNodelay", "Y");
  d.setInt("HeartBtInt", venue.heartbeat_interval_s);
  d.setInt("ReconnectInterval", venue.reconnect_interval_s);
  if (venue.socket_send_buffer_kib > 0) d.setInt("SocketSendBufferSize", venue.socket_send_buffer_kib * 1024);
  d.setString("StartTime", "00:00:00");
  d.setString("EndTime", "00:00:00");
  const auto dir = cfg.data_dir / "venues" / venue.name;
  d.setString("FileStorePath", (dir / "store").string());
  d.setString("FileLogPath", (dir / "log").string());
  d.setString("UseDataDictionary", "Y");
  d.setString("DataDictionary", (cfg.dictionary_dir / "venue" / "FIX44.xml").string());
  d.setString("ValidateUserDefinedFields", "N");
  d.setString("AllowUnknownMsgFields", "Y");  // venues add their own fields; what we need is validated
  d.setInt("TimestampPrecision", 6);
  // Sequence numbers continue across reconnects and restarts, so what the venue sent while the connection
  // was down comes back on its resend, with PossDupFlag=Y (fills are applied once by ExecID). Our own
  // messages are not stored: a venue's ResendRequest is gap-filled, and what the venue is missing is
  // found by the status queries sent at each logon and replayed by the core with PossResend=Y. A resend
  // would deliver requests the core has already settled (reported as not sent, or rejected to the client).
  d.setString("ResetOnLogon", "N");
  d.setString("PersistMessages", "N");
  // QuickFIX's log and store factories read their paths from [DEFAULT]; one venue per settings object.
  settings.set(d);
  settings.set(FIX::SessionID("FIX.4.4", venue.sender_comp_id, venue.target_comp_id), FIX::Dictionary());
  return settings;
}

Fix44Venue::Fix44Venue(const config::GatewayConfig& cfg, core::VenueId id, EventSink sink,
                       EventSink deferred_sink, fix::MessageRecorder recorder)
    : cfg_(cfg),
      venue_(cfg.venues.at(id)),
      id_(id),
      sink_(std::move(sink)),
      deferred_sink_(std::move(deferred_sink)),
      recorder_(std::move(recorder)),
      hold_while_disconnected_us_(venue_.ack_timeouts.hold_while_disconnected_us) {}

Fix44Venue::~Fix44Venue() {
  stop();
}

void Fix44Venue::start() {
  std::string connect_host = venue_.host;
  int connect_port = venue_.port;
  if (venue_.tls.enabled()) {
    // QuickFIX 1.15.1's SSL initiator sends in cleartext: the session goes through a TLS tunnel of ours.
    auto tunnel = tls_tunnel::TlsTunnel::start(
        venue_.host, venue_.port,
        tls_tunnel::TlsClientConfig{venue_.tls.ca_file, venue_.tls.certificate_file,
                                    venue_.tls.private_key_file},
        "venue " + venue_.name);
    if (!tunnel) throw FIX::ConfigError(fmt::format("venue {}: TLS: {}", venue_.name, tunnel.error()));
    tunnel_ = std::move(*tunnel);
    tunnel_->onError([name = venue_.name](const std::string& error) {
      spdlog::error("venue {}: {}; fixgate retries at each reconnect", name, error);
    });
    connect_host = "127.0.0.1";
    connect_port = tunnel_->localPort();
    spdlog::info("venue {}: TLS to {}:{} through 127.0.0.1:{}", venue_.name, venue_.host, venue_.port,
                 connect_port);
  }
  settings_ = venueSessionSettings(cfg_, venue_, connect_host, connect_port);
  store_ = std::make_unique<session_store::SessionStoreFactory>(
      cfg_.data_dir / "venues" / venue_.name / "sessions", cfg_.data_dir / "venues" / venue_.name / "store");
  if (recorder_) {
    log_ = std::make_unique<fix::RecordingLogFactory>(
        recorder_, [name = "venue:" + name()](const FIX::SessionID&) { return name; },
        cfg_.message_log ? std::make_unique<FIX::FileLogFactory>(settings_) : nullptr);
  } else if (cfg_.message_log) {
    log_ = std::make_unique<FIX::FileLogFactory>(settings_);
  }
  initiator_ = log_ ? std::make_unique<FIX::ThreadedSocketInitiator>(*this, *store_, settings_, *log_)
                    : std::make_unique<FIX::ThreadedSocketInitiator>(*this, *store_, settings_);
  initiator_->start();
}

void Fix44Venue::stop() {
  if (initiator_) {
    initiator_->stop();
    initiator_.reset();
  }
  tunnel_.reset();
}

void Fix44Venue::onCreate(const FIX::SessionID& id) {
  session_.store(FIX::Session::lookupSession(id));
}

void Fix44Venue::onLogon(const FIX::SessionID& id) {
  socket_ = quickfix::sessionSocket(id);
  if (!quickfix::setSendTimeout(id, kVenueSendTimeout))
    spdlog::warn(
        "venue {}: cannot bound its socket writes; a venue that stops reading could stall the gateway",
        venue_.name);
  logged_on_ = true;
  if (reset_pending_.exchange(false)) {
    if (FIX::Session* session = session_.load()) session->setResetOnLogon(false);
    spdlog::warn("venue {}: sequence numbers reset to 1 on both sides by this logon", venue_.name);
  }
  spdlog::info("venue {} logged on", venue_.name);
  sink_(core::Event{clock::utcNowMicros(), core::VenueUp{id_}});
}

void Fix44Venue::onLogout(const FIX::SessionID&) {
  const bool was_on = logged_on_.exchange(false);
  socket_ = -1;
  if (enable_after_logout_.exchange(false)) {
    if (FIX::Session* session = session_.load()) session->logon();  // reconnect after ReconnectInterval
  }
  if (was_on) {
    const std::int64_t hold_ms = hold_while_disconnected_us_.load() / 1000;
    if (hold_ms > 0) {
      spdlog::warn("venue {} logged out; new orders for it are held up to {} ms each until it reconnects",
                   venue_.name, hold_ms);
    } else {
      spdlog::warn("venue {} logged out; new orders for it are rejected until it reconnects", venue_.name);
    }
  }
  deferred_sink_(core::Event{clock::utcNowMicros(), core::VenueDown{id_}});
}

void Fix44Venue::resetSequenceAfterMismatch(std::string_view text) {
  if (text.find("MsgSeqNum too low") == std::string_view::npos) return;
  FIX::Session* session = session_.load();
  if (session == nullptr) return;
  // One side lost or reset its sequence numbers (a venue's new day, or a store lost): no resend can bridge
  // that. The next Logon carries ResetSeqNumFlag=Y, which resets both sides; open orders are reconciled
  // by the status queries sent at logon, as after any reconnect.
  resetAtNextLogon(*session);
  spdlog::error(
      "venue {}: sequence numbers do not match ({}); logging on again with ResetSeqNumFlag=Y. "
      "Messages lost in the gap are recovered by status queries; check the venue's sequence "
      "reset with its operations",
      venue_.name, text);
}

void Fix44Venue::resetAtNextLogon(FIX::Session& session) {
  session.setResetOnLogon(true);
  reset_pending_ = true;
}

std::expected<std::string, std::string> Fix44Venue::resetSequenceNumbers(std::string_view by,
                                                                         std::string_view why) {
  FIX::Session* session = session_.load();
  if (session == nullptr) {
    return std::unexpected(fmt::format(
        "venue {}: its FIX session does not exist yet (the gateway is still starting); try again in a few "
        "seconds",
        venue_.name));
  }
  resetAtNextLogon(*session);
  const std::string reason = fmt::format("sequence numbers reset by the gateway's operator {}{}{}", by,
                                         why.empty() ? "" : ": ", why);
  if (logged_on_) {
    // QuickFIX sends the Logout (with this text, so the venue's operations see why) and disables the
    // session; onLogout enables it again so the initiator reconnects. Should the session have dropped
    // before logout() took, its onLogout is already past: then it is enabled here (exactly once either way).
    session->logout(reason);
    enable_after_logout_ = true;
    if (!logged_on_ && enable_after_logout_.exchange(false)) session->logon();
    spdlog::warn("venue {}: {}; logging out now, the next logon carries ResetSeqNumFlag=Y", venue_.name,
                 reason);
    return fmt::format(
        "venue {}: logging out now; it logs on again in about {} s with ResetSeqNumFlag=Y, which resets both "
        "sides to 1. Open orders are reconciled by status queries at that logon; what the venue sent in the "
        "gap is not resent\n",
        venue_.name, venue_.reconnect_interval_s);
  }
  spdlog::warn("venue {}: {}; the next logon carries ResetSeqNumFlag=Y", venue_.name, reason);
  return fmt::format(
      "venue {}: not logged on now; its next logon carries ResetSeqNumFlag=Y, which resets both sides to 1\n",
      venue_.name);
}

void Fix44Venue::toAdmin(FIX::Message& message, const FIX::SessionID& id) {
  const auto& msg_type = message.getHeader().getField(tag::MsgType);
  // From the Logon on, so that a refused Logon's disconnect also goes through writer_ (quickfix/send.h).
  if (msg_type == "A") quickfix::wrapWrites(id, writer_);
  if (msg_type == "5") resetSequenceAfterMismatch(fieldOrEmpty(message, tag::Text));
}

void Fix44Venue::fromAdmin(const FIX::Message& message, const FIX::SessionID&) {
  const auto& msg_type = message.getHeader().getField(tag::MsgType);
  if (msg_type == "5") resetSequenceAfterMismatch(fieldOrEmpty(message, tag::Text));
  if (msg_type == "3") {
    spdlog::error("venue {} rejected one of our messages at session level (RefSeqNum {}, tag {}): {}",
                  venue_.name, fieldOrEmpty(message, tag::RefSeqNum), fieldOrEmpty(message, 371),
                  fieldOrEmpty(message, tag::Text));
  }
}

void Fix44Venue::fromApp(const FIX::Message& message, const FIX::SessionID&) {
  const ops::InboundScope inbound(ops::Origin::Venue);
  const auto now = clock::utcNowMicros();
  auto event = translateVenueMessage(message, id_);
  if (!event) {
    const auto& msg_type = message.getHeader().getField(tag::MsgType);
    if (msg_type == "j") {
      spdlog::error("venue {} sent BusinessMessageReject for MsgType {}: {}", venue_.name,
                    fieldOrEmpty(message, tag::RefMsgType), fieldOrEmpty(message, tag::Text));
    }
    return;
  }
  sink_(core::Event{now, std::move(*event)});
}

VenueSendResult Fix44Venue::sendMessage(FIX::Message&& message) {
  FIX::Session* session = session_.load();
  if (session == nullptr || !logged_on_) return std::unexpected(SendFailure::NotLoggedOn);
  switch (quickfix::sendOrDisconnect(*session, message, kVenueSendTimeout, socket_.load())) {
    case quickfix::SendResult::Sent:
      return {};
    case quickfix::SendResult::PeerNotReading:
      // The venue may have the message, so it counts as sent: the order stays pending, and the status
      // queries at the next logon (or the acknowledgement timeout) settle it.
      spdlog::error(
          "venue {} did not take a message within {} ms: it is not reading. Disconnected it; whether the "
          "message arrived is settled by the status queries at its next logon",
          venue_.name, kVenueSendTimeout.count());
      return {};
    case quickfix::SendResult::Refused:
      return std::unexpected(SendFailure::Refused);
    case quickfix::SendResult::NotLoggedOn:
      return std::unexpected(SendFailure::NotLoggedOn);
  }
  return std::unexpected(SendFailure::NotLoggedOn);
}

VenueSendResult Fix44Venue::send(const core::VenueNewOrder& order) {
  return sendMessage(buildVenueNewOrder(order));
}
VenueSendResult Fix44Venue::send(const core::VenueCancel& cancel) {
  return sendMessage(buildVenueCancel(cancel));
}
VenueSendResult Fix44Venue::send(const core::VenueReplace& replace) {
  return sendMessage(buildVenueReplace(replace));
}
VenueSendResult Fix44Venue::send(const core::VenueStatusQuery& query) {
  return sendMessage(buildVenueStatusQuery(query));
}

}  // namespace fixgate::venues
