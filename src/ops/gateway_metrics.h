// The gateway's Prometheus metrics. Counters and latency histograms are fed from the order path: observe()
// sees every applied event with its actions (called by the runtime under its lock), venueRequestSent() each
// message a venue's socket took. Both only bump atomics through pointers resolved at start (a reject code
// or alert code seen for the first time adds its series once). Gauges (sessions, venues, breakers, trading
// states, open orders, journal and shipper) are read at scrape time from a GatewaySnapshot.
//
// Names follow Prometheus conventions (fixgate_ prefix, _total counters, _seconds units); config/monitoring
// has the dashboard and alert rules built on them, and a test checks that every name they use is exported.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/actions.h"
#include "core/events.h"
#include "ops/gateway_snapshot.h"
#include "ops/latency_histogram.h"
#include "ops/stage_timing.h"

namespace fixgate::ops {

enum class RequestKind : std::uint8_t { New, Cancel, Replace, Status, MassCancel };
inline constexpr std::size_t kRequestKinds = 5;
enum class VenueRequest : std::uint8_t { New, Cancel, Replace };
inline constexpr std::size_t kVenueRequests = 3;

class GatewayMetrics {
 public:
  GatewayMetrics(std::vector<std::string> sessions, std::vector<std::string> venues, std::string version);
  GatewayMetrics(const GatewayMetrics&) = delete;
  GatewayMetrics& operator=(const GatewayMetrics&) = delete;

  // Under the runtime's lock, right after `event` was applied and journaled.
  void observe(const core::Event& event, std::span<const core::Action> actions);
  // A venue's socket took `action` (VenueNewOrder, VenueCancel or VenueReplace): starts its ack clock and
  // ends the order path's stage timing. Under the runtime's lock.
  void venueRequestSent(const core::Action& action);
  // A request refused before it reached the core (it did not normalize: ExecReport, CancelReject or
  // MassCancelReport with a reject code). From any thread.
  void refusedAtTheEdge(const core::Action& refusal);
  // A client message refused as a whole (fix::RefusalObserver): `msg_type` '3', QuickFIX's session-level
  // Reject with its SessionRejectReason, or 'j', the gateway's BusinessMessageReject with its
  // BusinessRejectReason; `reason` -1 when none was given. From any thread.
  void messageRejected(core::SessionId session, char msg_type, int reason);
  // A limits file was refused at reload (applied reloads are seen in observe()).
  void limitsRefused();

  [[nodiscard]] StageTimings& stages() { return stages_; }
  [[nodiscard]] const LatencyHistogram& ackLatency(core::VenueId venue, VenueRequest request) const;

  // Prometheus text exposition of everything: counters, histograms, and the gauges of `snapshot`.
  [[nodiscard]] std::string scrape(const GatewaySnapshot& snapshot) const;

 private:
  // Venue requests sent and not answered yet, for ack latency: a fixed open-addressed table keyed by a hash
  // of the venue-side ClOrdID, so the order path never allocates for it. When it is full (more than
  // kPendingSlots unanswered requests) an old entry is overwritten and that one answer is not timed.
  struct PendingAck {
    std::uint64_t key = 0;  // 0: empty
    std::int64_t sent_ns = 0;
    core::VenueId venue = 0;
    VenueRequest request = VenueRequest::New;
  };
  static constexpr std::size_t kPendingSlots = 1u << 16;
  static constexpr std::size_t kProbe = 8;
  void rememberSent(std::string_view venue_cl_ord_id, core::VenueId venue, VenueRequest request);
  void answerArrived(std::string_view venue_cl_ord_id, std::int64_t now_ns);

  void countRequest(core::SessionId session, RequestKind kind, bool rejected);
  void countRejectCode(core::RejectCode code);
  prometheus::Counter& perVenue(std::vector<prometheus::Counter*>& table, core::SessionId session,
                                core::VenueId venue) const;

  std::vector<std::string> sessions_;
  std::vector<std::string> venues_;
  std::string version_;
  std::shared_ptr<prometheus::Registry> registry_;

  prometheus::Family<prometheus::Counter>* requests_family_ = nullptr;
  prometheus::Family<prometheus::Counter>* orders_family_ = nullptr;
  prometheus::Family<prometheus::Counter>* rejects_family_ = nullptr;
  prometheus::Family<prometheus::Counter>* alerts_family_ = nullptr;
  prometheus::Family<prometheus::Counter>* message_rejects_family_ = nullptr;
  std::vector<prometheus::Counter*> requests_;           // [session][kind][rejected]
  std::vector<prometheus::Counter*> orders_routed_;      // [session][venue]
  std::vector<prometheus::Counter*> orders_rejected_;    // [session]
  std::vector<prometheus::Counter*> executions_;         // [session][venue]
  std::vector<prometheus::Counter*> filled_quantity_;    // [session][venue]
  std::vector<prometheus::Counter*> ack_timeouts_;       // [venue]
  static constexpr std::size_t kRejectCodeLimit = 1000;  // RejectCode numbers are 1xx..6xx
  std::vector<prometheus::Counter*> rejects_;            // by RejectCode number; nullptr: no such code
  std::map<std::string, prometheus::Counter*, std::less<>> alerts_;
  prometheus::Counter* limits_applied_ = nullptr;
  prometheus::Counter* limits_refused_ = nullptr;

  StageTimings stages_;
  std::vector<std::array<LatencyHistogram, kVenueRequests>> ack_latency_;  // [venue][request]
  std::vector<PendingAck> pending_;
};

// "FG506" for RejectCode 506, and "max_order_notional" from its name.
[[nodiscard]] std::string rejectCodeLabel(core::RejectCode code);
[[nodiscard]] std::string rejectReasonLabel(core::RejectCode code);
// The `reason` label of fixgate_message_rejects_total: the FIX name of a SessionRejectReason (msg_type '3')
// or BusinessRejectReason ('j') in snake case, "not_given" for -1, "reason_N" for a value FIX does not name.
[[nodiscard]] std::string messageRejectReasonLabel(char msg_type, int reason);

}  // namespace fixgate::ops
