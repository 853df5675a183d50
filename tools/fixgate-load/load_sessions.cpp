#include "load_sessions.h"

#include "client_settings.h"

namespace fixgate::load {
namespace {

client::ClientConfig clientConfig(const LoadOptions& options) {
  client::ClientConfig config;
  config.host = options.host;
  config.port = options.port;
  config.heartbeat_interval_s = options.heartbeat_interval_s;
  for (const std::string& sender : options.sender_comp_ids)
    config.sessions.push_back({"FIX.4.4", sender, options.target_comp_id});
  return config;  // no data_dir: nothing stored or logged, ResetOnLogon=Y
}

}  // namespace

LoadSessions::LoadSessions(const LoadOptions& options, ReportMatcher& matcher, LoadStats& stats)
    : matcher_(matcher), stats_(stats) {
  const client::ClientConfig config = clientConfig(options);
  settings_ = client::buildSettings(config);
  for (const client::SessionConfig& session : config.sessions)
    session_ids_.push_back(client::sessionIdOf(session));
}

LoadSessions::~LoadSessions() {
  stop(std::chrono::seconds(2));
}

bool LoadSessions::start(std::chrono::milliseconds timeout) {
  initiator_ = std::make_unique<FIX::ThreadedSocketInitiator>(*this, store_factory_, settings_);
  initiator_->start();
  std::unique_lock lock(logon_mutex_);
  return logon_changed_.wait_for(lock, timeout, [&] { return logged_on_.size() == session_ids_.size(); });
}

bool LoadSessions::send(FIX::Message& message, std::size_t session) {
  try {
    return FIX::Session::sendToTarget(message, session_ids_.at(session));
  } catch (const FIX::SessionNotFound&) {
    return false;
  }
}

std::size_t LoadSessions::loggedOn() const {
  std::lock_guard lock(logon_mutex_);
  return logged_on_.size();
}

void LoadSessions::stop(std::chrono::milliseconds timeout) {
  if (!initiator_ || initiator_->isStopped()) return;
  stopping_ = true;
  // QuickFIX's own graceful stop polls in whole seconds; asking for the logouts and waiting for the answers
  // here takes one round trip.
  for (const FIX::SessionID& id : session_ids_) {
    if (FIX::Session* session = FIX::Session::lookupSession(id)) session->logout();
  }
  {
    std::unique_lock lock(logon_mutex_);
    logon_changed_.wait_for(lock, timeout, [&] { return logged_on_.empty(); });
  }
  initiator_->stop(true);
}

void LoadSessions::onLogon(const FIX::SessionID& session) {
  {
    std::lock_guard lock(logon_mutex_);
    logged_on_.insert(session);
  }
  logon_changed_.notify_all();
}

void LoadSessions::onLogout(const FIX::SessionID& session) {
  bool was_logged_on = false;
  {
    std::lock_guard lock(logon_mutex_);
    was_logged_on = logged_on_.erase(session) > 0;
  }
  if (was_logged_on && !stopping_) stats_.logouts.fetch_add(1, std::memory_order_relaxed);
  logon_changed_.notify_all();
}

void LoadSessions::fromAdmin(const FIX::Message& message, const FIX::SessionID&) {
  matcher_.onAdminMessage(message);
}

void LoadSessions::fromApp(const FIX::Message& message, const FIX::SessionID&) {
  matcher_.onApplicationMessage(message, steadyNowNs());
}

}  // namespace fixgate::load
