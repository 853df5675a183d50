// A venue over FIX 4.4: one QuickFIX initiator session per venue.
#pragma once

#include <chrono>

#include <atomic>
#include <memory>
#include <optional>

#include "config/gateway_config.h"
#include "fix/recording_log.h"
#include "quickfix/quickfix.h"
#include "quickfix/send.h"
#include "tls_tunnel/tls_tunnel.h"
#include "venues/venue_adapter.h"

namespace fixgate::venues {

// How long a write to a venue's connection may block (SO_SNDTIMEO, set at logon) before the venue counts as
// not reading and is disconnected. Venue messages are written on the runtime's thread, so this bounds how
// long a stuck venue can hold the order path.
inline constexpr std::chrono::milliseconds kVenueSendTimeout{2000};

// `connect_host`/`connect_port` override the venue's address (the loopback end of its TLS tunnel).
FIX::SessionSettings venueSessionSettings(const config::GatewayConfig& cfg, const config::VenueConfig& venue,
                                          const std::string& connect_host, int connect_port);

// Pure translations, exposed for unit tests.
FIX::Message buildVenueNewOrder(const core::VenueNewOrder& order);
FIX::Message buildVenueCancel(const core::VenueCancel& cancel);
FIX::Message buildVenueReplace(const core::VenueReplace& replace);
FIX::Message buildVenueStatusQuery(const core::VenueStatusQuery& query);
// The core event a venue's ExecutionReport or OrderCancelReject means (a status answer, ExecType I, is a
// VenueOrderStatus); nullopt for messages that need no decision (pending states, business rejects: logged).
std::optional<core::EventBody> translateVenueMessage(const FIX::Message& message, core::VenueId venue);

class Fix44Venue final : public VenueAdapter, public FIX::Application {
 public:
  // `deferred_sink` is used where QuickFIX holds the session lock (onLogout); see runtime::Runtime::post.
  // `recorder`, when set, receives every message in and out as session "venue:<name>" (the journal).
  Fix44Venue(const config::GatewayConfig& cfg, core::VenueId id, EventSink sink, EventSink deferred_sink,
             fix::MessageRecorder recorder = nullptr);
  ~Fix44Venue() override;

  [[nodiscard]] const std::string& name() const override { return venue_.name; }
  void start() override;
  void stop() override;
  VenueSendResult send(const core::VenueNewOrder& order) override;
  VenueSendResult send(const core::VenueCancel& cancel) override;
  VenueSendResult send(const core::VenueReplace& replace) override;
  VenueSendResult send(const core::VenueStatusQuery& query) override;
  std::expected<std::string, std::string> resetSequenceNumbers(std::string_view by,
                                                               std::string_view why) override;
  void holdWhileDisconnected(std::int64_t hold_us) override { hold_while_disconnected_us_ = hold_us; }

  void onCreate(const FIX::SessionID&) override;
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override;
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID&) override;

 private:
  VenueSendResult sendMessage(FIX::Message&& message);
  // A Logout either way saying "MsgSeqNum too low": the next logon resets both sides (ResetSeqNumFlag).
  void resetSequenceAfterMismatch(std::string_view text);
  // The next Logon carries ResetSeqNumFlag=Y, and the logon after it does not.
  void resetAtNextLogon(FIX::Session& session);

  const config::GatewayConfig& cfg_;
  const config::VenueConfig& venue_;
  core::VenueId id_;
  EventSink sink_;
  EventSink deferred_sink_;
  fix::MessageRecorder recorder_;
  std::atomic<FIX::Session*> session_{nullptr};
  std::atomic<bool> logged_on_{false};
  // The session's socket, read at logon on the connection's own thread (QuickFIX's connection object is not
  // safe to reach from other threads); -1 while logged out.
  std::atomic<int> socket_{-1};
  std::atomic<bool> reset_pending_{false};
  // An operator's reset logged the session out (QuickFIX disables it): enable it again once it is down.
  std::atomic<bool> enable_after_logout_{false};
  std::atomic<std::int64_t> hold_while_disconnected_us_;
  // The connection's writes and disconnect, around two QuickFIX 1.15.1 bugs (quickfix/send.h); declared
  // before initiator_, so it closes its last socket after QuickFIX has stopped.
  quickfix::WholeWriteResponder writer_;
  FIX::SessionSettings settings_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<FIX::LogFactory> log_;
  std::unique_ptr<tls_tunnel::TlsTunnel> tunnel_;  // when venue_.tls is set; outlives the initiator
  std::unique_ptr<FIX::Initiator> initiator_;
};

}  // namespace fixgate::venues
