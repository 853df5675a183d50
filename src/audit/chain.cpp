#include "audit/chain.h"

#include "digest/sha256.h"

namespace fixgate::audit {

std::span<const std::optional<std::string>> chainedValues(
    std::string_view table, std::span<const std::optional<std::string>> values) {
  constexpr std::size_t kRiskDecisionColumnsBefore006 = 12;
  if (table == "risk_decisions" && values.size() == kRiskDecisionColumns && !values.back()) {
    return values.first(kRiskDecisionColumnsBefore006);
  }
  return values;
}

void appendCanonicalLine(std::string& out, std::span<const std::optional<std::string>> values) {
  bool first = true;
  for (const auto& value : values) {
    if (!first) out += '\t';
    first = false;
    out += value ? std::string_view(*value) : std::string_view("\\N");
  }
  out += '\n';
}

std::string chainHash(std::string_view prev_hash, std::string_view canonical_record) {
  return digest::sha256Hex({prev_hash, "\n", canonical_record});
}

}  // namespace fixgate::audit
