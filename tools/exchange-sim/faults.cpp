#include "faults.h"

#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace fixgate::sim {
namespace {

// Distinct salts keep the knobs' draws independent of each other for the same message.
constexpr std::uint64_t kDropAckSalt = 0x64726f7061636b73;    // "dropacks"
constexpr std::uint64_t kDuplicateSalt = 0x6475706c69636174;  // "duplicat"

// FNV-1a: stable across compilers and runs, unlike std::hash.
std::uint64_t stableHash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3;
  }
  return h;
}

// splitmix64's finaliser: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

// Uniform in [0, 1), a pure function of its inputs.
double draw(std::uint64_t seed, std::uint64_t salt, const OutboundInfo& info) {
  std::uint64_t h = mix(mix(mix(seed ^ salt) ^ stableHash(info.session)) ^ info.sessionMessageNumber);
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

bool happens(double rate, std::uint64_t seed, std::uint64_t salt, const OutboundInfo& info) {
  return rate > 0.0 && draw(seed, salt, info) < rate;
}

bool isDisconnectPoint(const FaultPlan& plan, const OutboundInfo& info) {
  return plan.disconnectAfter > 0 && info.sessionMessageNumber == plan.disconnectAfter + 1;
}

bool dropsAck(const FaultPlan& plan, const OutboundInfo& info) {
  return plan.dropAckSymbols.contains(info.symbol) ||
         happens(plan.dropAckRate, plan.seed, kDropAckSalt, info);
}

bool usesRandomness(const FaultPlan& plan) {
  return plan.dropAckRate > 0.0 || plan.duplicateExecRate > 0.0;
}

}  // namespace

bool isAcknowledgement(const OutboundInfo& info) {
  if (info.msgType != "8" || !info.execType) return false;
  char t = *info.execType;
  return t == '0' || t == '5' || t == '4';
}

bool isFill(const OutboundInfo& info) {
  return info.msgType == "8" && info.execType == 'F';
}

FaultDecision decide(const FaultPlan& plan, const OutboundInfo& info) {
  if (isDisconnectPoint(plan, info)) return FaultDecision{FaultAction::Disconnect, {}};
  if (isAcknowledgement(info)) {
    if (dropsAck(plan, info)) return FaultDecision{FaultAction::Drop, {}};
    if (plan.ackDelay.count() > 0) return FaultDecision{FaultAction::Delay, plan.ackDelay};
  }
  if (isFill(info) && happens(plan.duplicateExecRate, plan.seed, kDuplicateSalt, info)) {
    return FaultDecision{FaultAction::Duplicate, {}};
  }
  return FaultDecision{};
}

bool stopsReadingAt(const FaultPlan& plan, std::uint64_t inboundMessageNumber) {
  return plan.stopReadingAfter > 0 && inboundMessageNumber == plan.stopReadingAfter;
}

std::string describe(const FaultPlan& plan) {
  std::vector<std::string> parts;
  if (plan.ackDelay.count() > 0) parts.push_back(fmt::format("ack-delay={}ms", plan.ackDelay.count()));
  if (plan.dropAckRate > 0.0) parts.push_back(fmt::format("drop-acks={}", plan.dropAckRate));
  if (!plan.dropAckSymbols.empty()) {
    parts.push_back(fmt::format("drop-acks-for-symbol={}", fmt::join(plan.dropAckSymbols, ",")));
  }
  if (!plan.loseNewSymbols.empty()) {
    parts.push_back(fmt::format("lose-new-for-symbol={}", fmt::join(plan.loseNewSymbols, ",")));
  }
  if (plan.disconnectAfter > 0) parts.push_back(fmt::format("disconnect-after={}", plan.disconnectAfter));
  if (plan.duplicateExecRate > 0.0)
    parts.push_back(fmt::format("duplicate-execs={}", plan.duplicateExecRate));
  if (plan.stopReadingAfter > 0) {
    parts.push_back(fmt::format("stop-reading-after={} stop-reading-ms={}", plan.stopReadingAfter,
                                plan.stopReadingFor.count()));
  }
  if (plan.restart.afterS > 0) {
    parts.push_back(fmt::format("restart-after-s={} restart-count={} book={}", plan.restart.afterS,
                                plan.restart.count, plan.restart.keepBook ? "kept" : "wiped"));
  }
  if (parts.empty()) return "none";
  if (usesRandomness(plan)) parts.push_back(fmt::format("fault-seed={}", plan.seed));
  return fmt::format("{}", fmt::join(parts, " "));
}

}  // namespace fixgate::sim
