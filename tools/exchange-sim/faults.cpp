#include "faults.h"

#include <fmt/format.h>

namespace fixgate::sim {

bool isAcknowledgement(const OutboundInfo& info) {
  if (info.msgType != "8" || !info.execType) return false;
  char t = *info.execType;
  return t == '0' || t == '5' || t == '4';
}

FaultDecision decide(const FaultPlan& plan, const OutboundInfo& info) {
  if (plan.ackDelay.count() > 0 && isAcknowledgement(info)) {
    return FaultDecision{FaultAction::Delay, plan.ackDelay};
  }
  return FaultDecision{};
}

std::string describe(const FaultPlan& plan) {
  if (plan.ackDelay.count() == 0) return "none";
  return fmt::format("ack-delay={}ms", plan.ackDelay.count());
}

}  // namespace fixgate::sim
