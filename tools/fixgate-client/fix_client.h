// A FIX initiator with one or more sessions to the gateway. Everything received (application messages and
// the session-level ones a test cares about: Reject, Logout...) lands in a MessageInbox that callers wait
// on with a deadline. Construction connects (over TLS when config.tls.ca_file is set); destruction logs out
// and stops.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "client_settings.h"
#include "fix_version.h"
#include "message_inbox.h"
#include "quickfix/quickfix.h"
#include "tls_tunnel/tls_tunnel.h"

namespace fixgate::client {

class FixClient final : public FIX::Application {
 public:
  // Starts connecting at once. Throws std::invalid_argument or FIX::ConfigError for a bad configuration
  // (std::invalid_argument too when a TLS CA file, certificate or key does not load).
  explicit FixClient(ClientConfig config);
  ~FixClient() override;
  FixClient(const FixClient&) = delete;
  FixClient& operator=(const FixClient&) = delete;

  // True once every session has logged on; false when `timeout` passes first.
  [[nodiscard]] bool waitLogon(std::chrono::milliseconds timeout);
  // True once the session is no longer logged on (e.g. it noticed its peer die); false when `timeout`
  // passes first.
  [[nodiscard]] bool waitLogout(std::chrono::milliseconds timeout, std::size_t session_index = 0);
  [[nodiscard]] bool isLoggedOn(std::size_t session_index = 0) const;

  // Sends on the given session; returns the MsgSeqNum it went out with, 0 when it could not be sent.
  int send(FIX::Message message, std::size_t session_index = 0);
  // Sends `message` marked as a resend (PossDupFlag=Y, OrigSendingTime = its SendingTime) under the next
  // MsgSeqNum, as an engine resends an application message the counterparty asked for again. QuickFIX's
  // send strips both fields; toApp puts them back for this call only.
  int sendAsPossDup(FIX::Message message, std::size_t session_index = 0);

  // The first not-yet-taken received message matching `predicate` (see MessageInbox).
  [[nodiscard]] std::optional<FIX::Message> waitFor(const MessagePredicate& predicate,
                                                    std::chrono::milliseconds timeout);
  // The next ExecutionReport with this ClOrdID (11) and ExecType (150).
  [[nodiscard]] std::optional<FIX::Message> waitForExecReport(const std::string& cl_ord_id, char exec_type,
                                                              std::chrono::milliseconds timeout);
  // The next message of this MsgType (35).
  [[nodiscard]] std::optional<FIX::Message> waitForMsgType(const std::string& msg_type,
                                                           std::chrono::milliseconds timeout);

  // Every recorded message from index `from` on, in arrival order.
  [[nodiscard]] std::vector<FIX::Message> received(std::size_t from = 0) const;
  [[nodiscard]] std::size_t receivedCount() const;

  [[nodiscard]] FixVersion version(std::size_t session_index = 0) const;
  [[nodiscard]] const ClientConfig& config() const { return config_; }
  // Why the last TLS connection to the gateway failed (handshake, certificate); "" without TLS or failures.
  [[nodiscard]] std::string tlsError() const { return tunnel_ ? tunnel_->lastError() : std::string(); }

  // Logs out (waiting a few seconds at most for the answer) and stops. Safe to call twice.
  void stop();

 private:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& session) override;
  void onLogout(const FIX::SessionID& session) override;
  // Adds the session's Username/Password to its Logon.
  void toAdmin(FIX::Message& message, const FIX::SessionID& session) override;
  void toApp(FIX::Message& message, const FIX::SessionID& session) override;
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID&) override;

  ClientConfig config_;
  std::vector<FIX::SessionID> session_ids_;
  std::vector<FixVersion> versions_;
  MessageInbox inbox_;

  mutable std::mutex logon_mutex_;
  std::condition_variable logon_changed_;
  std::set<FIX::SessionID> logged_on_;

  FIX::SessionSettings settings_;
  std::unique_ptr<FIX::MessageStoreFactory> store_factory_;
  std::unique_ptr<FIX::LogFactory> log_factory_;
  std::unique_ptr<tls_tunnel::TlsTunnel> tunnel_;  // when config.tls is set; outlives the initiator
  std::unique_ptr<FIX::Initiator> initiator_;
};

}  // namespace fixgate::client
