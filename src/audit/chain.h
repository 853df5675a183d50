// The audit hash chain (sql/README.md): each journal record's hash covers the previous hash and the record's
// rows exactly as PostgreSQL prints them, so the shipper (which writes them) and `fixgate-audit verify`
// (which reads them back) compute the same value, and any later edit, deletion or reordering breaks it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fixgate::audit {

// hash(0): what the first record chains to.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// One row: values joined by tabs, NULL as \N, ending in a newline.
void appendCanonicalLine(std::string& out, std::span<const std::optional<std::string>> values);

// The values of a typed row that go into its canonical line. A column added to a table after records were
// first chained (risk_decisions.arrival_price, migration 006) is left out when NULL, so records shipped
// before it existed still verify; when set it is hashed like any other value. `table` is the table's name.
inline constexpr std::size_t kRiskDecisionColumns = 13;
[[nodiscard]] std::span<const std::optional<std::string>> chainedValues(
    std::string_view table, std::span<const std::optional<std::string>> values);

// lower-hex SHA-256(prev_hash || "\n" || canonical_record).
std::string chainHash(std::string_view prev_hash, std::string_view canonical_record);

}  // namespace fixgate::audit
