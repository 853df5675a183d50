// The report as text: a table for people, CSV and JSON for programs. Pure functions of a Report.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "report.h"

namespace fixgate::exec_quality {

// "venue", "client session", "venue and client session": for titles.
[[nodiscard]] std::string groupingTitle(Grouping grouping);

// "-" for a missing value throughout: nothing was measured (e.g. no fill, no acknowledgement).
// 150449.4 -> "150,449" (whole microseconds, thousands separated).
[[nodiscard]] std::string formatMicros(std::optional<double> us);
// 0.666667 -> "66.7%".
[[nodiscard]] std::string formatPercent(std::optional<double> ratio);
// 75 -> "+75.00", -100 -> "-100.00", 0 -> "0.00".
[[nodiscard]] std::string formatBps(std::optional<double> bps);
// A quantity: whole numbers without a fraction, "1,500".
[[nodiscard]] std::string formatQuantity(std::optional<double> quantity);

// The table: a title line with the range, one line per group, then the reject reasons per group and a
// short key to the columns.
[[nodiscard]] std::string formatTable(const Report& report);

// RFC 4180 CSV (CRLF, quoted where needed): a header, then one record per group with every figure, the
// numbers as plain decimals (no separators), missing values empty; top_rejects is "CODE:count;..." in
// order of frequency.
[[nodiscard]] std::string formatCsv(const Report& report);

// One JSON object: from, to (UTC, ISO 8601), by, groups: [{venue, session, <every figure>, rejects: [{code,
// source, orders, share_of_orders, common_text}]}]; missing values are null.
[[nodiscard]] std::string formatJson(const Report& report);

// A JSON string literal with quotes, backslashes and control characters escaped.
[[nodiscard]] std::string jsonString(std::string_view text);

}  // namespace fixgate::exec_quality
