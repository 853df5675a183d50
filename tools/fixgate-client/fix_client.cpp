#include "fix_client.h"

#include <filesystem>
#include <stdexcept>

#include "message_fields.h"

namespace fixgate::client {
namespace {

// How long stop() waits for the gateway to answer our Logout before dropping the connection.
constexpr std::chrono::seconds kLogoutTimeout{3};

// Set by sendAsPossDup around its send(): the message toApp sees on this thread is a resend.
thread_local bool t_mark_as_poss_dup = false;

}  // namespace

FixClient::FixClient(ClientConfig config) : config_(std::move(config)), settings_(buildSettings(config_)) {
  for (const SessionConfig& session : config_.sessions) {
    session_ids_.push_back(sessionIdOf(session));
    versions_.push_back(*versionFromBeginString(session.begin_string));  // buildSettings checked it
  }
  if (config_.data_dir.empty()) {
    store_factory_ = std::make_unique<FIX::MemoryStoreFactory>();
  } else {
    std::filesystem::create_directories(config_.data_dir / "store");
    std::filesystem::create_directories(config_.data_dir / "log");
    store_factory_ = std::make_unique<FIX::FileStoreFactory>((config_.data_dir / "store").string());
    log_factory_ = std::make_unique<FIX::FileLogFactory>((config_.data_dir / "log").string());
  }
  if (config_.tls.enabled()) {
    // QuickFIX 1.15.1's SSL initiator sends in cleartext (see tls_tunnel.h): QuickFIX connects in plaintext
    // to a local tunnel, which carries the session to the gateway over verified TLS.
    auto tunnel = tls_tunnel::TlsTunnel::start(config_.host, config_.port, config_.tls, "the gateway");
    if (!tunnel) throw std::invalid_argument("TLS: " + tunnel.error());
    tunnel_ = std::move(*tunnel);
    ClientConfig via_tunnel = config_;
    via_tunnel.host = "127.0.0.1";
    via_tunnel.port = tunnel_->localPort();
    settings_ = buildSettings(via_tunnel);
  }
  initiator_ =
      log_factory_
          ? std::make_unique<FIX::ThreadedSocketInitiator>(*this, *store_factory_, settings_, *log_factory_)
          : std::make_unique<FIX::ThreadedSocketInitiator>(*this, *store_factory_, settings_);
  initiator_->start();
}

FixClient::~FixClient() {
  stop();
}

void FixClient::stop() {
  if (!initiator_ || initiator_->isStopped()) return;
  // QuickFIX's own graceful stop polls in whole seconds (about 3 s per client); asking each session to log
  // out and waiting for the answer ourselves takes one heartbeat tick, then nothing is left to wait for.
  for (const FIX::SessionID& id : session_ids_) {
    if (FIX::Session* session = FIX::Session::lookupSession(id)) session->logout();
  }
  {
    std::unique_lock lock(logon_mutex_);
    logon_changed_.wait_for(lock, kLogoutTimeout, [&] { return logged_on_.empty(); });
  }
  initiator_->stop(true);
  tunnel_.reset();
}

bool FixClient::waitLogon(std::chrono::milliseconds timeout) {
  std::unique_lock lock(logon_mutex_);
  return logon_changed_.wait_for(lock, timeout, [&] { return logged_on_.size() == session_ids_.size(); });
}

bool FixClient::waitLogout(std::chrono::milliseconds timeout, std::size_t session_index) {
  const FIX::SessionID& session = session_ids_.at(session_index);
  std::unique_lock lock(logon_mutex_);
  return logon_changed_.wait_for(lock, timeout, [&] { return !logged_on_.contains(session); });
}

bool FixClient::isLoggedOn(std::size_t session_index) const {
  std::lock_guard lock(logon_mutex_);
  return logged_on_.contains(session_ids_.at(session_index));
}

int FixClient::send(FIX::Message message, std::size_t session_index) {
  try {
    if (!FIX::Session::sendToTarget(message, session_ids_.at(session_index))) return 0;
  } catch (const FIX::SessionNotFound&) {
    return 0;
  }
  // Sending stamped the header in place, MsgSeqNum included: callers match session Rejects by it (45).
  const auto seq = field(message, FIX::FIELD::MsgSeqNum);
  return seq ? std::stoi(*seq) : 0;
}

int FixClient::sendAsPossDup(FIX::Message message, std::size_t session_index) {
  // QuickFIX calls toApp on this thread, inside send(), just before it serialises the message.
  struct Marking {
    Marking() { t_mark_as_poss_dup = true; }
    ~Marking() { t_mark_as_poss_dup = false; }
  } marking;
  return send(std::move(message), session_index);
}

void FixClient::toApp(FIX::Message& message, const FIX::SessionID&) {
  if (!t_mark_as_poss_dup) return;
  FIX::SendingTime sent;
  message.getHeader().getField(sent);
  message.getHeader().setField(FIX::PossDupFlag(true));
  message.getHeader().setField(FIX::OrigSendingTime(sent.getValue()));
}

std::optional<FIX::Message> FixClient::waitFor(const MessagePredicate& predicate,
                                               std::chrono::milliseconds timeout) {
  return inbox_.waitFor(predicate, timeout);
}

std::optional<FIX::Message> FixClient::waitForExecReport(const std::string& cl_ord_id, char exec_type,
                                                         std::chrono::milliseconds timeout) {
  return inbox_.waitFor(
      [&](const FIX::Message& m) {
        return msgType(m) == "8" && fieldOr(m, FIX::FIELD::ClOrdID) == cl_ord_id &&
               fieldOr(m, FIX::FIELD::ExecType) == std::string(1, exec_type);
      },
      timeout);
}

std::optional<FIX::Message> FixClient::waitForMsgType(const std::string& msg_type,
                                                      std::chrono::milliseconds timeout) {
  return inbox_.waitFor([&](const FIX::Message& m) { return msgType(m) == msg_type; }, timeout);
}

std::vector<FIX::Message> FixClient::received(std::size_t from) const {
  return inbox_.history(from);
}

std::size_t FixClient::receivedCount() const {
  return inbox_.size();
}

FixVersion FixClient::version(std::size_t session_index) const {
  return versions_.at(session_index);
}

void FixClient::onLogon(const FIX::SessionID& session) {
  {
    std::lock_guard lock(logon_mutex_);
    logged_on_.insert(session);
  }
  logon_changed_.notify_all();
}

void FixClient::onLogout(const FIX::SessionID& session) {
  {
    std::lock_guard lock(logon_mutex_);
    logged_on_.erase(session);
  }
  logon_changed_.notify_all();
}

void FixClient::toAdmin(FIX::Message& message, const FIX::SessionID& session) {
  if (msgType(message) != "A") return;
  for (std::size_t i = 0; i < session_ids_.size(); ++i) {
    if (session_ids_[i] != session) continue;
    const auto& config = config_.sessions[i];
    if (!config.username.empty()) message.setField(FIX::Username(config.username));
    if (!config.password.empty()) message.setField(FIX::Password(config.password));
  }
}

void FixClient::fromAdmin(const FIX::Message& message, const FIX::SessionID&) {
  // Heartbeats and test requests are the session keeping itself alive; nobody waits for them.
  const std::string type = msgType(message);
  if (type == "0" || type == "1") return;
  inbox_.push(message);
}

void FixClient::fromApp(const FIX::Message& message, const FIX::SessionID&) {
  inbox_.push(message);
}

}  // namespace fixgate::client
