// Outbound translation: the core's reports become FIX messages in the client's own version.
#pragma once

#include "core/actions.h"
#include "fix/fix_version.h"
#include "fix/normalize.h"
#include "quickfix/quickfix.h"

namespace fixgate::fix {

FIX::Message buildExecutionReport(const core::ExecReport& report, FixVersion version);
FIX::Message buildOrderCancelReject(const core::CancelReject& reject, FixVersion version);
FIX::Message buildMassCancelReport(const core::MassCancelReport& report, FixVersion version);
FIX::Message buildBusinessReject(const BusinessReject& reject, FixVersion version);

// ExecType (150) for the client's version: 4.2 reports trades as 1/2 and status as the OrdStatus value with
// ExecTransType 3; 4.4 and 5.0 use F and I.
char execTypeFor(core::ExecKind kind, core::OrdStatus status, FixVersion version);

}  // namespace fixgate::fix
