// The FIX glue: QuickFIX callbacks -> decode -> MatchingEngine -> reports -> Dispatcher.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "book/matching_engine.h"
#include "dispatcher.h"
#include "fix_outbound.h"
#include "quickfix/quickfix.h"
#include "sim_config.h"

namespace fixgate::sim {

struct Stats {
  std::atomic<std::uint64_t> ordersReceived{0};
  std::atomic<std::uint64_t> executions{0};  // ExecType F reports (a book match counts twice: both sides)
  std::atomic<std::uint64_t> rejects{0};     // ExecType 8, OrderCancelReject, BusinessMessageReject
  std::atomic<int> sessionsLoggedOn{0};
};

class SimApplication : public FIX::Application {
 public:
  SimApplication(const SimConfig& cfg, const std::string& runTag, Dispatcher& dispatcher, Stats& stats);

  void onCreate(const FIX::SessionID& id) override;
  void onLogon(const FIX::SessionID& id) override;
  void onLogout(const FIX::SessionID& id) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message& msg, const FIX::SessionID& id) override;
  void fromApp(const FIX::Message& msg, const FIX::SessionID& id) override;

  [[nodiscard]] std::size_t restingOrders() const;
  // Forgets every order, as a venue restarting without its book does. OrderIDs restart at 1, so they take a
  // new run tag to stay unique.
  void wipeBook(const std::string& runTag);

 private:
  // All below run with mutex_ held: QuickFIX calls fromApp on one thread per connection.
  void onNewOrder(const FIX::Message& msg, const FIX::SessionID& id);
  void onCancel(const FIX::Message& msg, const FIX::SessionID& id);
  void onReplace(const FIX::Message& msg, const FIX::SessionID& id);
  void onStatusRequest(const FIX::Message& msg, const FIX::SessionID& id);
  void onMassCancel(const FIX::Message& msg, const FIX::SessionID& id);
  void rejectCancelRequest(const FIX::Message& msg, const FIX::SessionID& id, CancelRejectResponseTo to,
                           const std::string& text);
  void publish(const Events& events, const FIX::Message* request);
  void send(const std::string& session, FIX::Message message, OrderId orderId);

  const SimConfig& cfg_;
  Dispatcher& dispatcher_;
  Stats& stats_;
  mutable std::mutex mutex_;
  MatchingEngine engine_;
  IdGenerator ids_;
  std::map<std::string, FIX::SessionID> sessions_;  // filled by onCreate before the acceptor starts
  std::atomic<std::uint64_t> inboundMessages_{0};   // application messages received, every session
  std::mutex loggedOnMutex_;
  std::set<std::string> loggedOn_;
};

}  // namespace fixgate::sim
