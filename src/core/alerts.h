// The operator alerts the core raises (core::OperatorAlert), and how urgent each is. The code is what the log
// line, the metric label and the audit row carry; the severity decides the log level and the metric's
// `severity` label, on which monitoring pages (fixgate_operator_alerts_total{severity="error"}).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace fixgate::core {

enum class AlertSeverity : std::uint8_t {
  Info,     // routine operation worth a record: a trading day started
  Warning,  // worth a look in working hours; the gateway acted as configured
  Error,    // a person is needed now: an order's state between fixgate and a venue is in doubt, or a
            // command was refused
};

namespace alert_code {
inline constexpr char kTradingDayStarted[] = "TradingDayStarted";
inline constexpr char kCreditWarning[] = "CreditWarning";
inline constexpr char kCancelOnDisconnect[] = "CancelOnDisconnect";
inline constexpr char kDuplicateExecution[] = "DuplicateExecution";
inline constexpr char kClOrdIdTableGrown[] = "ClOrdIdTableGrown";
inline constexpr char kVenueMessageForReleasedOrder[] = "VenueMessageForReleasedOrder";
inline constexpr char kUnknownVenueOrder[] = "UnknownVenueOrder";
inline constexpr char kFillAfterFinal[] = "FillAfterFinal";
inline constexpr char kInvalidFill[] = "InvalidFill";
inline constexpr char kUnexpectedReplace[] = "UnexpectedReplace";
inline constexpr char kUnexpectedReject[] = "UnexpectedReject";
inline constexpr char kReplayRefused[] = "ReplayRefused";
inline constexpr char kInvalidOperatorCommand[] = "InvalidOperatorCommand";
inline constexpr char kStatusQueryUnanswered[] = "StatusQueryUnanswered";
inline constexpr char kMissingFills[] = "MissingFills";
inline constexpr char kReconciledFills[] = "ReconciledFills";
inline constexpr char kVenueLostOrder[] = "VenueLostOrder";
inline constexpr char kStatusQueriesPaced[] = "StatusQueriesPaced";
}  // namespace alert_code

struct AlertKind {
  std::string_view code;
  AlertSeverity severity;
};

// Every code the core raises, once.
inline constexpr std::array<AlertKind, 18> kAlertKinds{{
    {alert_code::kTradingDayStarted, AlertSeverity::Info},
    {alert_code::kCreditWarning, AlertSeverity::Warning},
    {alert_code::kCancelOnDisconnect, AlertSeverity::Warning},
    {alert_code::kDuplicateExecution, AlertSeverity::Warning},
    {alert_code::kClOrdIdTableGrown, AlertSeverity::Error},
    {alert_code::kVenueMessageForReleasedOrder, AlertSeverity::Error},
    {alert_code::kUnknownVenueOrder, AlertSeverity::Error},
    {alert_code::kFillAfterFinal, AlertSeverity::Error},
    {alert_code::kInvalidFill, AlertSeverity::Error},
    {alert_code::kUnexpectedReplace, AlertSeverity::Error},
    {alert_code::kUnexpectedReject, AlertSeverity::Error},
    {alert_code::kReplayRefused, AlertSeverity::Error},
    {alert_code::kInvalidOperatorCommand, AlertSeverity::Error},
    {alert_code::kStatusQueryUnanswered, AlertSeverity::Error},
    {alert_code::kMissingFills, AlertSeverity::Error},
    {alert_code::kReconciledFills, AlertSeverity::Error},
    {alert_code::kVenueLostOrder, AlertSeverity::Error},
    {alert_code::kStatusQueriesPaced, AlertSeverity::Warning},
}};

// A code not in kAlertKinds (raised by a newer build, say) counts as an error: better loud than missed.
[[nodiscard]] constexpr AlertSeverity severityOf(std::string_view code) {
  for (const auto& kind : kAlertKinds) {
    if (kind.code == code) return kind.severity;
  }
  return AlertSeverity::Error;
}

[[nodiscard]] constexpr std::string_view toString(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::Info:
      return "info";
    case AlertSeverity::Warning:
      return "warning";
    case AlertSeverity::Error:
      return "error";
  }
  return "error";
}

}  // namespace fixgate::core
