#include "fix/client_sessions.h"

#include "session_store/session_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "clock/clock.h"
#include "fix/reports.h"
#include "quickfix/peer_address.h"
#include "quickfix/send.h"

namespace fixgate::fix {
namespace {

// The message `build` returns, made on the heap without a copy (the prvalue initialises the new object).
template <typename Build>
std::unique_ptr<FIX::Message> onHeap(Build&& build) {
  return std::unique_ptr<FIX::Message>(new FIX::Message(build()));
}

// Tells the core this thread is spinning (and, on a hyperthreaded core, yields to its sibling).
inline void spinPause() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

FIX::SessionID sessionIdOf(const config::ClientSessionConfig& s) {
  return FIX::SessionID(s.begin_string, s.sender_comp_id, s.target_comp_id);
}

std::string describe(const FIX::SessionID& id) {
  return id.toString();
}

std::vector<security::SessionLogonPolicy> logonPolicies(const config::GatewayConfig& cfg) {
  std::vector<security::SessionLogonPolicy> policies;
  for (const auto& s : cfg.client_sessions) policies.push_back({s.username, s.allowed_addresses});
  return policies;
}

security::LockoutPolicy lockoutPolicy(const config::SecurityConfig& s) {
  security::LockoutPolicy p;
  p.max_failures = s.max_failed_logons;
  p.window = std::chrono::seconds(s.failed_logon_window_s);
  p.lockout = std::chrono::seconds(s.lockout_s);
  return p;
}

std::optional<std::string> optionalField(const FIX::Message& message, int tag) {
  if (!message.isSetField(tag)) return std::nullopt;
  return message.getField(tag);
}

}  // namespace

bool servedOverTls(const config::GatewayConfig& cfg, const config::ClientSessionConfig& session) {
  return cfg.tls.enabled && !session.plaintext;
}

FIX::SessionSettings clientSessionSettings(const config::GatewayConfig& cfg, Listener listener) {
  FIX::SessionSettings settings;
  FIX::Dictionary defaults;
  defaults.setString("ConnectionType", "acceptor");
  defaults.setInt("SocketAcceptPort",
                  listener == Listener::Plaintext ? cfg.tls.plaintext_listen_port : cfg.listen_port);
  if (listener == Listener::Tls) {
    // QuickFIX 1.15.1 (UtilitySSL protocolOptions/setCtxOptions) turns this into SSL_OP_NO_SSLv2, _SSLv3,
    // _TLSv1 and _TLSv1_1 on a TLS_server_method context. It has no token for TLS 1.3 and so never disables
    // it: TLS 1.2 and 1.3 are negotiated, anything older is refused in the handshake.
    defaults.setString("SSLProtocol", "-all +TLSv1_2");
    defaults.setString("ServerCertificateFile", cfg.tls.certificate_file.string());
    defaults.setString("ServerCertificateKeyFile", cfg.tls.private_key_file.string());
    if (!cfg.tls.ca_file.empty()) {
      // Level 1: SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT (a certificate is required); level 2:
      // SSL_VERIFY_PEER (asked for, and verified when presented). Either way a certificate that does not
      // chain to the CA (or, as QuickFIX also loads them, to a system CA) fails the handshake. Without a CA
      // file QuickFIX asks for no client certificate.
      defaults.setString("CertificationAuthoritiesFile", cfg.tls.ca_file.string());
      defaults.setInt("CertificateVerifyLevel", cfg.tls.require_client_certificate ? 1 : 2);
    } else {
      defaults.setInt("CertificateVerifyLevel", 0);
    }
  }
  defaults.setString("SocketNodelay", "Y");  // QuickFIX leaves Nagle on otherwise
  defaults.setString("SocketReuseAddress", "Y");
  defaults.setString("StartTime", "00:00:00");
  defaults.setString("EndTime", "00:00:00");
  defaults.setInt("HeartBtInt", cfg.heartbeat_interval_s);
  defaults.setString("FileStorePath", (cfg.data_dir / "clients" / "store").string());
  defaults.setString("FileLogPath", (cfg.data_dir / "clients" / "log").string());
  defaults.setString("UseDataDictionary", "Y");
  defaults.setString("ValidateUserDefinedFields", "Y");
  defaults.setString("AllowUnknownMsgFields", "N");
  defaults.setString("ValidateFieldsHaveValues", "Y");
  defaults.setString("ValidateFieldsOutOfOrder", "N");
  defaults.setString("CheckLatency", "Y");
  defaults.setInt("MaxLatency", 120);
  defaults.setInt("TimestampPrecision", 6);
  defaults.setString("ResetOnLogon", cfg.reset_on_logon ? "Y" : "N");
  // No HttpAcceptPort: QuickFIX's HTTP admin page has no authentication.
  settings.set(defaults);

  const auto dict = [&](const char* file) { return (cfg.dictionary_dir / file).string(); };
  for (const auto& s : cfg.client_sessions) {
    if (listener == Listener::Tls && !servedOverTls(cfg, s)) continue;
    if (listener == Listener::Plaintext && servedOverTls(cfg, s)) continue;
    FIX::Dictionary d;
    if (s.begin_string == "FIXT.1.1") {
      d.setString("TransportDataDictionary", dict("FIXT11.xml"));
      d.setString("AppDataDictionary", dict("FIX50SP2.xml"));
      d.setString("DefaultApplVerID", "FIX.5.0SP2");
    } else {
      d.setString("DataDictionary", dict(s.begin_string == "FIX.4.2" ? "FIX42.xml" : "FIX44.xml"));
    }
    settings.set(sessionIdOf(s), d);
  }
  return settings;
}

ClientSessions::ClientSessions(const config::GatewayConfig& cfg, std::string id_prefix, EventSink sink,
                               EventSink deferred_sink, MessageRecorder recorder,
                               SecurityRecorder security_recorder, ops::StageTimings* stage_timings,
                               RefusalObserver refusals)
    : cfg_(cfg),
      id_prefix_(std::move(id_prefix)),
      sink_(std::move(sink)),
      deferred_sink_(std::move(deferred_sink)),
      recorder_(std::move(recorder)),
      security_recorder_(std::move(security_recorder)),
      logon_guard_(logonPolicies(cfg), cfg.credentials, lockoutPolicy(cfg.security)),
      stage_timings_(stage_timings),
      refusals_(std::move(refusals)) {
  for (std::size_t i = 0; i < cfg.client_sessions.size(); ++i) {
    const auto& s = cfg.client_sessions[i];
    auto slot = std::make_unique<Slot>();
    slot->name = s.name;
    slot->id = sessionIdOf(s);
    slot->version = versionFromBeginString(s.begin_string).value_or(FixVersion::Fix44);
    slot->client_certificate_cn = s.client_certificate_cn;
    // QuickFIX's TLS connection holds one lock across its blocking read and its write: a client that sends
    // half a TLS record would hold a write on the core's thread. Its reports always go through the outbox,
    // as they do with fix.busy_poll, where the spinning sender takes them off the core's thread.
    slot->writes_inline = !servedOverTls(cfg, s) && !cfg.busy_poll;
    by_id_.emplace(slot->id, static_cast<core::SessionId>(i));
    slots_.push_back(std::move(slot));
  }
}

ClientSessions::~ClientSessions() {
  stop();
}

void ClientSessions::start() {
  settings_ = clientSessionSettings(cfg_);
  // FileStorePath stays in the settings: the first start after the move from QuickFIX's FileStore takes its
  // sequence numbers over from there.
  store_ = std::make_unique<session_store::SessionStoreFactory>(cfg_.data_dir / "clients" / "sessions",
                                                                cfg_.data_dir / "clients" / "store");
  if (recorder_ || cfg_.message_log) {  // RecordingLogFactory masks passwords, also for the file log
    log_ = std::make_unique<RecordingLogFactory>(
        recorder_,
        [this](const FIX::SessionID& id) {
          const auto it = by_id_.find(id);
          return it == by_id_.end() ? id.toString() : slots_[it->second]->name;
        },
        cfg_.message_log ? std::make_unique<FIX::FileLogFactory>(settings_) : nullptr);
  }
  if (cfg_.tls.enabled && !cfg_.tls.ca_file.empty()) {
    client_ca_.reset(X509_STORE_new());
    if (!client_ca_ || X509_STORE_load_file(client_ca_.get(), cfg_.tls.ca_file.c_str()) != 1)
      throw FIX::ConfigError("fix.tls.ca_file " + cfg_.tls.ca_file.string() +
                             " holds no usable CA certificate");
  }
  const auto sessionsOn = [&](Listener listener) {
    return std::count_if(cfg_.client_sessions.begin(), cfg_.client_sessions.end(), [&](const auto& s) {
      return servedOverTls(cfg_, s) == (listener == Listener::Tls);
    });
  };
  if (!cfg_.tls.enabled) {
    acceptors_.push_back(makeAcceptor<FIX::ThreadedSocketAcceptor>(settings_));
  } else {
    if (sessionsOn(Listener::Tls) > 0)
      acceptors_.push_back(
          makeAcceptor<FIX::ThreadedSSLSocketAcceptor>(clientSessionSettings(cfg_, Listener::Tls)));
    if (sessionsOn(Listener::Plaintext) > 0)
      acceptors_.push_back(
          makeAcceptor<FIX::ThreadedSocketAcceptor>(clientSessionSettings(cfg_, Listener::Plaintext)));
  }
  // The senders start once the acceptors have created every session (onCreate): reports the core made
  // before that (a venue's resend at start-up) wait in the outboxes instead of finding no session.
  for (auto& slot : slots_) {
    slot->outbox.stopping = false;
    slot->outbox.busy_poll = cfg_.busy_poll;
    slot->outbox.stop_requested = false;
    slot->outbox.thread = std::thread([this, s = slot.get()] { runOutbox(*s); });
  }
  std::vector<std::uint16_t> ports;
  if (!cfg_.tls.enabled || sessionsOn(Listener::Tls) > 0)
    ports.push_back(static_cast<std::uint16_t>(cfg_.listen_port));
  if (cfg_.tls.enabled && sessionsOn(Listener::Plaintext) > 0)
    ports.push_back(static_cast<std::uint16_t>(cfg_.tls.plaintext_listen_port));
  connection_watch_ = std::make_unique<security::ConnectionWatch>(
      std::move(ports),
      security::ConnectionLimits{
          cfg_.security.max_bytes_before_logon, std::chrono::seconds(cfg_.security.logon_timeout_s),
          cfg_.security.max_bytes_between_messages, cfg_.security.max_pending_connections_per_address},
      [this](const security::ClosedConnection& closed) {
        // A connection closed before logging on counts toward its address's lockout like a refused Logon.
        const std::string text =
            closed.operator_text +
            (closed.session.empty() ? logon_guard_.recordFailure(closed.peer_address) : std::string());
        spdlog::warn("{}", text);
        if (security_recorder_) {
          security_recorder_(records::SecurityEventRecord{"connection", closed.session, closed.peer_address,
                                                          "", std::string(security::toString(closed.reason)),
                                                          text});
        }
      });
  for (auto& acceptor : acceptors_) acceptor->start();
  connection_watch_->start();
  listening_ = true;
  if (cfg_.tls.enabled) {
    spdlog::info("client sessions: {} over TLS on port {}{}", sessionsOn(Listener::Tls), cfg_.listen_port,
                 sessionsOn(Listener::Plaintext) > 0
                     ? fmt::format(", {} plaintext on port {}", sessionsOn(Listener::Plaintext),
                                   cfg_.tls.plaintext_listen_port)
                     : std::string());
  }
}

template <typename AcceptorType>
std::unique_ptr<FIX::Acceptor> ClientSessions::makeAcceptor(const FIX::SessionSettings& settings) {
  // QuickFIX copies the settings; the store and log factories look sessions up in settings_ (all of them).
  return log_ ? std::make_unique<AcceptorType>(*this, *store_, settings, *log_)
              : std::make_unique<AcceptorType>(*this, *store_, settings);
}

void ClientSessions::stop() {
  // Queued reports first go out (or into the store for resend) while the sessions still exist.
  listening_ = false;
  if (connection_watch_) connection_watch_->stop();
  stopOutboxes();
  for (auto& acceptor : acceptors_) acceptor->stop();
  acceptors_.clear();
}

void ClientSessions::onCreate(const FIX::SessionID& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  slots_[it->second]->session.store(FIX::Session::lookupSession(id));
}

void ClientSessions::onLogon(const FIX::SessionID& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  spdlog::info("client session {} ({}) logged on", slots_[it->second]->name, describe(id));
  slots_[it->second]->logged_on = true;
  sink_(core::Event{clock::utcNowMicros(), core::ClientSessionUp{it->second}});
}

void ClientSessions::onLogout(const FIX::SessionID& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  spdlog::info("client session {} ({}) logged out", slots_[it->second]->name, describe(id));
  slots_[it->second]->logged_on = false;
  slots_[it->second]->socket = -1;
  deferred_sink_(core::Event{clock::utcNowMicros(), core::ClientSessionDown{it->second}});
}

void ClientSessions::toAdmin(FIX::Message& message, const FIX::SessionID& id) {
  FIX::MsgType type;
  if (!message.getHeader().getFieldIfSet(type)) return;
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  // QuickFIX refuses some Logons itself (MsgSeqNum too low, a bad SendingTime or CompID) before fromAdmin,
  // answering with a Logout or Reject and then disconnecting: the writer must take that disconnect too.
  if (type.getValue() == FIX::MsgType_Logout || type.getValue() == FIX::MsgType_Reject)
    quickfix::wrapWrites(id, slots_[it->second]->writer);
  if (type.getValue() != FIX::MsgType_Reject) return;
  // It answers an invalid but framed message, which never reached fromApp/fromAdmin: the connection watch
  // must count that message as received.
  slots_[it->second]->messages_in.fetch_add(1, std::memory_order_relaxed);
  if (refusals_.message_rejected) {
    FIX::SessionRejectReason reason;
    refusals_.message_rejected(it->second, '3', message.getFieldIfSet(reason) ? reason.getValue() : -1);
  }
}

void ClientSessions::fromAdmin(const FIX::Message& message, const FIX::SessionID& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;  // QuickFIX only creates configured sessions
  Slot& slot = *slots_[it->second];
  slot.messages_in.fetch_add(1, std::memory_order_relaxed);
  FIX::MsgType type;
  const bool typed = message.getHeader().getFieldIfSet(type);
  const bool resend_request = typed && type.getValue() == FIX::MsgType_ResendRequest;
  if (resend_request || slot.resending.load(std::memory_order_relaxed)) {
    // Under the outbox's lock, which a write on the core's thread holds from its checks to its end: such a
    // write either finished before the resend starts or sees the flag.
    std::lock_guard lock(slot.outbox.mutex);
    slot.resending = resend_request;
  }
  if (typed && type.getValue() != FIX::MsgType_Logon) return;
  // Before the checks, so that a refused Logon's disconnect also goes through the writer (quickfix/send.h).
  quickfix::wrapWrites(id, slot.writer);
  const std::string address = quickfix::peerAddress(id);
  const auto username = optionalField(message, FIX::FIELD::Username);
  const auto password = optionalField(message, FIX::FIELD::Password);
  // A TLS client's certificate: issued by fix.tls.ca_file itself (QuickFIX's handshake also trusts the
  // system's CAs), and, for a session bound to one, the certificate with its client_certificate_cn.
  std::string certificate_problem;
  if (client_ca_ && servedOverTls(cfg_, cfg_.client_sessions[it->second])) {
    const auto cert = quickfix::peerCertificate(id, client_ca_.get());
    if (cert && !cert->trusted) {
      certificate_problem =
          fmt::format("the client certificate (CN '{}') is not issued by fix.tls.ca_file", cert->common_name);
    } else if (!slot.client_certificate_cn.empty() && !cert) {
      certificate_problem = "the client presented no verified certificate";
    } else if (!slot.client_certificate_cn.empty() && cert->common_name != slot.client_certificate_cn) {
      certificate_problem = fmt::format("the client certificate's subject CN is '{}'", cert->common_name);
    }
    if (!certificate_problem.empty() && !slot.client_certificate_cn.empty()) {
      certificate_problem += fmt::format(", the session requires CN '{}'", slot.client_certificate_cn);
    }
  }
  const auto decision = logon_guard_.check(security::LogonAttempt{
      it->second, slot.name, address, username ? std::optional<std::string_view>(*username) : std::nullopt,
      password ? std::optional<std::string_view>(*password) : std::nullopt,
      certificate_problem.empty() ? std::nullopt : std::optional<std::string_view>(certificate_problem)});
  const auto record = [&](std::string outcome, std::string detail) {
    if (security_recorder_) {
      security_recorder_(records::SecurityEventRecord{"logon", slot.name, address, username.value_or(""),
                                                      std::move(outcome), std::move(detail)});
    }
  };
  if (!decision.accepted()) {
    record(std::string(security::toString(decision.outcome)), decision.operator_text);
    spdlog::warn("{}. The client was told: \"{}\"", decision.operator_text, decision.client_text);
    throw FIX::RejectLogon(decision.client_text);
  }
  record(std::string(security::toString(decision.outcome)), decision.operator_text);
  spdlog::info("{}", decision.operator_text);
  const int socket = quickfix::sessionSocket(id);
  if (connection_watch_ && !connection_watch_->authenticated(socket, slot.name, &slot.messages_in)) {
    spdlog::error(
        "client session {}: cannot find its connection's socket, so the connection watch will close it after "
        "security.logon_timeout_s as if it had never logged on; this is a gateway bug, please report it",
        slot.name);
  }
  slot.socket = socket;
  if (!quickfix::setSendTimeout(id, kClientSendTimeout))
    spdlog::warn(
        "client session {}: cannot bound its socket writes; a client that stops reading will hold its "
        "own sender thread until it disconnects",
        slot.name);
}

bool ClientSessions::loggedOn(core::SessionId session) const {
  return session < slots_.size() && slots_[session]->logged_on.load();
}

void ClientSessions::fromApp(const FIX::Message& message, const FIX::SessionID& id) {
  const ops::InboundScope inbound(ops::Origin::Client);
  const auto now = clock::utcNowMicros();
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;  // QuickFIX only creates configured sessions
  Slot& slot = *slots_[it->second];
  slot.messages_in.fetch_add(1, std::memory_order_relaxed);
  if (slot.resending.load(std::memory_order_relaxed)) slot.resending = false;  // see Slot::resending
  auto command = normalize(message, slot.version, it->second, now);
  if (!command) return sendRefusal(std::move(command.error()));
  sink_(core::Event{now, std::move(*command)});
}

void ClientSessions::sendRefusal(InboundRefusal&& refusal) {
  std::visit(
      [&](auto&& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, BusinessReject>) {
          send(r);
        } else {
          if (refusals_.request_refused) refusals_.request_refused(r);
          std::visit(
              [&](auto&& action) {
                using A = std::decay_t<decltype(action)>;
                if constexpr (std::is_same_v<A, core::ExecReport> || std::is_same_v<A, core::CancelReject> ||
                              std::is_same_v<A, core::MassCancelReport>) {
                  send(action);
                }
              },
              r);
        }
      },
      refusal);
}

std::string ClientSessions::mintExecId() {
  return fmt::format("{}X{}", id_prefix_, ++edge_exec_ids_);
}

bool ClientSessions::sendTo(core::SessionId session, std::unique_ptr<FIX::Message> message) {
  if (session >= slots_.size()) return false;
  Slot& slot = *slots_[session];
  Outbox& box = slot.outbox;
  {
    std::lock_guard lock(box.mutex);
    // Written here when nothing is ahead of it and the write cannot block: a hand-off to the sender thread
    // costs a wake-up (tens of µs on a virtual machine) and two context switches.
    if (slot.writes_inline && !box.stopping && !box.delivering && box.queue.empty() &&
        slot.logged_on.load() && !slot.resending.load() && quickfix::sendBufferHasRoom(slot.socket.load())) {
      deliver(slot, *message, ops::currentInbound());
      return true;
    }
    box.queue.emplace_back(std::move(message), ops::currentInbound());
    box.pushed.fetch_add(1, std::memory_order_release);
  }
  if (!box.spinning.load()) box.wake.notify_one();  // a spinning sender sees `pushed` change
  return true;
}

void ClientSessions::runOutbox(Slot& slot) {
  Outbox& box = slot.outbox;
  std::unique_lock lock(box.mutex);
  while (true) {
    const auto ready = [&] { return box.stopping || !box.queue.empty(); };
    if (box.busy_poll && slot.logged_on.load() && !ready()) {
      // Spin while the session is logged on; the producer skips the wake-up while `spinning` is set, and
      // pushes under the lock, so a report queued around the switch back to sleeping is seen below.
      const auto seen = box.pushed.load(std::memory_order_acquire);
      box.spinning = true;
      lock.unlock();
      while (box.pushed.load(std::memory_order_acquire) == seen && !box.stop_requested.load() &&
             slot.logged_on.load()) {
        spinPause();
      }
      box.spinning = false;
      lock.lock();
      continue;
    }
    if (box.busy_poll) {
      box.wake.wait_for(lock, kLogonRecheck, ready);  // a logon does not wake the sender
    } else {
      box.wake.wait(lock, ready);
    }
    if (!ready()) continue;
    if (box.queue.empty()) return;  // stopping, and everything delivered or stored
    auto [message, stamp] = std::move(box.queue.front());
    box.queue.pop_front();
    box.delivering = true;  // until it is written, a new report must queue behind it
    lock.unlock();
    deliver(slot, *message, stamp);
    lock.lock();
    box.delivering = false;
  }
}

void ClientSessions::deliver(Slot& slot, FIX::Message& message, const ops::InboundStamp& stamp) {
  FIX::Session* target = slot.session.load();
  if (target == nullptr) {  // QuickFIX creates every configured session before the senders start
    spdlog::error("client session {} does not exist in QuickFIX; a report for it was not sent", slot.name);
    return;
  }
  switch (quickfix::sendOrDisconnect(*target, message, kClientSendTimeout, slot.socket.load())) {
    case quickfix::SendResult::Sent:
      slot.outbox.kept_offline = 0;
      if (stage_timings_ != nullptr) stage_timings_->markClientSent(stamp);
      return;
    case quickfix::SendResult::PeerNotReading:
      spdlog::error(
          "client session {} did not take a report within {} ms: its client is not reading. Disconnected it; "
          "this report and the ones after it are kept for resend at its next logon",
          slot.name, kClientSendTimeout.count());
      return;
    case quickfix::SendResult::Refused:
      spdlog::error(
          "client session {}: QuickFIX refused a report while logged on (its session store failed); "
          "disconnected it. Check the session store's disk under data_dir",
          slot.name);
      return;
    case quickfix::SendResult::NotLoggedOn:
      break;
  }
  if (slot.outbox.kept_offline++ % 1000 == 0) {
    spdlog::warn("client session {} is not logged on; {} report(s) kept for resend so far", slot.name,
                 slot.outbox.kept_offline);
  }
}

void ClientSessions::stopOutboxes() {
  for (auto& slot : slots_) {
    {
      std::lock_guard lock(slot->outbox.mutex);
      slot->outbox.stopping = true;
      slot->outbox.stop_requested = true;
    }
    slot->outbox.wake.notify_one();
  }
  for (auto& slot : slots_) {
    if (slot->outbox.thread.joinable()) slot->outbox.thread.join();
  }
}

bool ClientSessions::send(const core::ExecReport& report) {
  if (report.session >= slots_.size()) return false;
  auto message = onHeap([&] { return buildExecutionReport(report, slots_[report.session]->version); });
  if (report.exec_id.empty()) message->setField(17, mintExecId());
  return sendTo(report.session, std::move(message));
}

bool ClientSessions::send(const core::CancelReject& reject) {
  if (reject.session >= slots_.size()) return false;
  return sendTo(reject.session,
                onHeap([&] { return buildOrderCancelReject(reject, slots_[reject.session]->version); }));
}

bool ClientSessions::send(const core::MassCancelReport& report) {
  if (report.session >= slots_.size()) return false;
  return sendTo(report.session,
                onHeap([&] { return buildMassCancelReport(report, slots_[report.session]->version); }));
}

bool ClientSessions::send(const BusinessReject& reject) {
  if (reject.session >= slots_.size()) return false;
  if (refusals_.message_rejected) refusals_.message_rejected(reject.session, 'j', reject.reason);
  return sendTo(reject.session,
                onHeap([&] { return buildBusinessReject(reject, slots_[reject.session]->version); }));
}

}  // namespace fixgate::fix
