// The load generator's FIX side: one FIX.4.4 initiator session per SenderCompID, without a message store
// (nothing is ever resent) or message log, handing every received message to the ReportMatcher with its
// arrival time taken first thing in the callback.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "load_options.h"
#include "quickfix/quickfix.h"
#include "report_matcher.h"

namespace fixgate::load {

class LoadSessions final : public FIX::Application {
 public:
  LoadSessions(const LoadOptions& options, ReportMatcher& matcher, LoadStats& stats);
  ~LoadSessions() override;
  LoadSessions(const LoadSessions&) = delete;
  LoadSessions& operator=(const LoadSessions&) = delete;

  // Connects every session; true once all are logged on, false when `timeout` passes first.
  [[nodiscard]] bool start(std::chrono::milliseconds timeout);
  // False when the session is not logged on (the request is then never answered).
  [[nodiscard]] bool send(FIX::Message& message, std::size_t session);
  [[nodiscard]] std::size_t loggedOn() const;
  // Logs every session out (waiting `timeout` at most for the answers) and stops. Safe to call twice.
  void stop(std::chrono::milliseconds timeout);

 private:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID&) override;

  ReportMatcher& matcher_;
  LoadStats& stats_;
  std::vector<FIX::SessionID> session_ids_;
  std::atomic<bool> stopping_{false};

  mutable std::mutex logon_mutex_;
  std::condition_variable logon_changed_;
  std::set<FIX::SessionID> logged_on_;

  FIX::SessionSettings settings_;
  FIX::NullStoreFactory store_factory_;
  std::unique_ptr<FIX::Initiator> initiator_;
};

}  // namespace fixgate::load
