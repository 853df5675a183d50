// The client side of the gateway: a QuickFIX acceptor serving every configured FIX 4.2, 4.4 and FIXT.1.1
// session on one port. It translates inbound messages into core events and core reports into FIX messages.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/gateway_config.h"
#include "core/actions.h"
#include "core/events.h"
#include "fix/fix_version.h"
#include "fix/normalize.h"
#include "fix/recording_log.h"
#include "ops/stage_timing.h"
#include "quickfix/quickfix.h"
#include "quickfix/send.h"
#include "records/record_types.h"
#include "security/connection_watch.h"
#include "security/logon_guard.h"

namespace fixgate::fix {

using EventSink = std::function<void(core::Event&&)>;

// How long a write to a client's connection may block before the client counts as not reading and is
// disconnected (its reports stay in the store for resend at its next logon).
inline constexpr std::chrono::milliseconds kClientSendTimeout{2000};
// Receives every logon attempt and its outcome (the gateway journals it for the audit trail).
using SecurityRecorder = std::function<void(const records::SecurityEventRecord&)>;

// Which client sessions a set of acceptor settings covers. Without fix.tls every session is plaintext on
// fix.listen_port; with it, sessions are served over TLS on fix.listen_port unless configured plaintext,
// which are served on fix.tls.plaintext_listen_port.
enum class Listener { All, Tls, Plaintext };

// True when `session` is served over TLS.
[[nodiscard]] bool servedOverTls(const config::GatewayConfig& cfg,
                                 const config::ClientSessionConfig& session);

// QuickFIX settings for an acceptor, built from gateway.yaml (one place for sessions, no second file to
// drift). Listener::All covers every session (for the store and log factories); Tls adds QuickFIX's SSL
// settings (TLS 1.2 and 1.3 only; client certificates asked for and verified when fix.tls.ca_file is set).
FIX::SessionSettings clientSessionSettings(const config::GatewayConfig& cfg,
                                           Listener listener = Listener::All);

// What the client edge refused before the core saw it, for metrics; called on QuickFIX's threads.
struct RefusalObserver {
  // A request that did not normalize, answered with an ExecReport, CancelReject or MassCancelReport.
  std::function<void(const core::Action&)> request_refused;
  // A message refused as a whole: QuickFIX's session-level Reject (`msg_type` '3', `reason` its
  // SessionRejectReason 373) or the gateway's BusinessMessageReject ('j', BusinessRejectReason 380);
  // `reason` -1 when the message carries none (FIX 4.0/4.1, or a reason FIX 4.2 cannot express).
  std::function<void(core::SessionId, char msg_type, int reason)> message_rejected;
};

class ClientSessions final : public FIX::Application {
 public:
  // `sink` applies an event at once; `deferred_sink` soon, from another thread (used where QuickFIX holds a
  // session lock, see runtime::Runtime::post).
  // `recorder`, when set, receives every message in and out (the journal); otherwise QuickFIX's file log
  // is used when message_log is configured.
  // `stage_timings`, when set, gets the time from a venue report's arrival to the client report reaching
  // the client's socket; `refusals` sees what was refused before it reached the core (metrics).
  ClientSessions(const config::GatewayConfig& cfg, std::string id_prefix, EventSink sink,
                 EventSink deferred_sink, MessageRecorder recorder = nullptr,
                 SecurityRecorder security_recorder = nullptr, ops::StageTimings* stage_timings = nullptr,
                 RefusalObserver refusals = {});
  ~ClientSessions() override;

  void start();  // throws FIX::ConfigError / FIX::RuntimeError at start-up only (e.g. port in use)
  void stop();
  // Between a successful start() and stop(): the acceptors listen.
  [[nodiscard]] bool listening() const { return listening_.load(); }
  [[nodiscard]] bool loggedOn(core::SessionId session) const;

  // Sends a client-bound action; never blocks on the network. It is written at once, on the calling thread,
  // when its plaintext session is logged on, is not being resent to, has nothing queued and its socket's
  // send buffer has room (so the write cannot block); otherwise it is queued for the session's sender thread.
  // A report for a session that is not logged on is kept by QuickFIX's store and resent on the client's
  // ResendRequest. False only for an unknown session.
  bool send(const core::ExecReport& report);
  bool send(const core::CancelReject& reject);
  bool send(const core::MassCancelReport& report);
  bool send(const BusinessReject& reject);

  // FIX::Application
  void onCreate(const FIX::SessionID&) override;
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  // Counts each session-level Reject QuickFIX sends as a message received (it answers one that QuickFIX
  // framed but found invalid), so the connection watch does not take a client sending invalid messages for
  // one whose bytes never form a message.
  void toAdmin(FIX::Message& message, const FIX::SessionID& id) override;
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  // A Logon is checked by the LogonGuard (source address, Username/Password, lockout), then, over TLS with
  // fix.tls.ca_file, the client's certificate (if any) must chain to that file alone, and a session with
  // client_certificate_cn needs one with exactly that subject CN; a refusal throws FIX::RejectLogon, which
  // QuickFIX answers with a Logout carrying its text.
  void fromAdmin(const FIX::Message& message, const FIX::SessionID& id) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID& id) override;

 private:
  // Reports bound for one session that could not be written at once, sent in order by the session's own
  // thread, so that whoever produces them (the runtime, under its lock) never waits on a client's socket: a
  // client that stops reading fills its socket's buffer, after which its reports queue here, stalling only
  // this queue, and it is disconnected once a write has blocked for kClientSendTimeout.
  // How often a busy-polling sender of a session that is not logged on looks whether it now is.
  static constexpr std::chrono::milliseconds kLogonRecheck{10};
  struct Outbox {
    std::mutex mutex;
    std::condition_variable wake;
    // Each report with the stamp of the message that caused it, for the venue-report-to-client stage.
    // On the heap: FIX::Message (QuickFIX 1.15.1) has no move constructor, so a queue of values copied every
    // report twice (about 6,000 instructions each under callgrind).
    std::deque<std::pair<std::unique_ptr<FIX::Message>, ops::InboundStamp>> queue;
    bool stopping = false;
    bool delivering = false;         // the sender has taken a report off the queue and is writing it
    std::uint64_t kept_offline = 0;  // reports stored for resend since the session was last logged on
    // fix.busy_poll: the sender spins on `pushed` instead of sleeping on `wake` (dedicated cores only).
    bool busy_poll = false;
    std::atomic<std::uint64_t> pushed{0};  // reports queued so far, changed under `mutex`
    std::atomic<bool> stop_requested{false};
    std::atomic<bool> spinning{false};  // the sender is spinning: no wake-up needed
    std::thread thread;
  };
  struct Slot {
    std::string name;
    FIX::SessionID id;
    FixVersion version = FixVersion::Fix44;
    std::string client_certificate_cn;  // "" when the session is not bound to a certificate
    std::atomic<FIX::Session*> session{nullptr};
    // Between onLogon and onLogout: read by loggedOn() (metrics, admin) and the busy-polling sender.
    std::atomic<bool> logged_on{false};
    // Messages received on the session (admin and application, and invalid ones QuickFIX answered with a
    // Reject): the connection watch closes a connection whose bytes stop forming messages.
    std::atomic<std::uint64_t> messages_in{0};
    // The connection's socket from its accepted Logon until onLogout (-1 otherwise), to see whether a write
    // would block. Read outside QuickFIX's callbacks: after a disconnect the number may briefly name another
    // socket, which can only misjudge the room of a send QuickFIX then refuses (no responder).
    std::atomic<int> socket{-1};
    bool writes_inline = true;  // false for a TLS session and with fix.busy_poll (see the constructor)
    // QuickFIX answers a ResendRequest right after fromAdmin, writing under the session's lock, and that
    // resend may block on a client reading slowly: no report is written on the core's thread meanwhile. Set
    // at a ResendRequest, cleared by the session's next message (its thread has finished the resend).
    std::atomic<bool> resending{false};
    Outbox outbox;
    // The plain connection's writes and disconnect, around two QuickFIX 1.15.1 bugs (quickfix/send.h).
    quickfix::WholeWriteResponder writer;
  };
  template <typename AcceptorType>
  std::unique_ptr<FIX::Acceptor> makeAcceptor(const FIX::SessionSettings& settings);
  // `message` is built on the heap where it is made (see Outbox::queue); false for an unknown session.
  bool sendTo(core::SessionId session, std::unique_ptr<FIX::Message> message);
  void runOutbox(Slot& slot);
  // Writes the report, or lets QuickFIX keep it for resend; one the socket took is timed as the report stage
  // of the message stamped `stamp`.
  void deliver(Slot& slot, FIX::Message& message, const ops::InboundStamp& stamp);
  void stopOutboxes();
  void sendRefusal(InboundRefusal&& refusal);
  std::string mintExecId();

  const config::GatewayConfig& cfg_;
  std::string id_prefix_;
  EventSink sink_;
  EventSink deferred_sink_;
  MessageRecorder recorder_;
  SecurityRecorder security_recorder_;
  security::LogonGuard logon_guard_;
  std::vector<std::unique_ptr<Slot>> slots_;  // index == core::SessionId
  std::map<FIX::SessionID, core::SessionId> by_id_;
  std::atomic<std::uint64_t> edge_exec_ids_{0};
  ops::StageTimings* stage_timings_ = nullptr;
  RefusalObserver refusals_;
  std::atomic<bool> listening_{false};
  FIX::SessionSettings settings_;  // every session: the store and log factories look sessions up here
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  std::unique_ptr<FIX::LogFactory> log_;
  std::vector<std::unique_ptr<FIX::Acceptor>> acceptors_;        // one per listener with sessions
  std::unique_ptr<security::ConnectionWatch> connection_watch_;  // over the acceptors' connections
  // fix.tls.ca_file alone: client certificates must chain to it (QuickFIX also trusts the system's CAs).
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> client_ca_{nullptr, &X509_STORE_free};
};

}  // namespace fixgate::fix
