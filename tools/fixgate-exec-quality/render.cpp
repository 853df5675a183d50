#include "render.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "common.h"  // fixgate-audit's UTC time helpers and RFC 4180 writer

namespace fixgate::exec_quality {

namespace {

constexpr const char* kMissing = "-";
constexpr std::size_t kTopReasonsInTable = 2;
constexpr std::size_t kReasonTextWidth = 70;

std::string withThousands(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return (value < 0 ? "-" : "") + grouped;
}

// A plain decimal for CSV and JSON: integers without a fraction, others with up to 6 decimals.
std::string plainNumber(double value) {
  if (!std::isfinite(value)) return {};
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  std::string text = fmt::format("{:.6f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

// Every figure of a group as (name, value): the one list CSV and JSON are written from, named as the
// columns of audit.execution_quality.
struct Figure {
  std::string_view name;
  std::function<std::optional<double>(const GroupFigures&)> value;
};

const std::vector<Figure>& figures() {
  const auto integer = [](std::int64_t GroupFigures::*member) {
    return
        [member](const GroupFigures& g) -> std::optional<double> { return static_cast<double>(g.*member); };
  };
  const auto optional = [](std::optional<double> GroupFigures::*member) {
    return [member](const GroupFigures& g) { return g.*member; };
  };
  static const std::vector<Figure> list = {
      {"orders", integer(&GroupFigures::orders)},
      {"rejected", integer(&GroupFigures::rejected)},
      {"rejected_by_gateway", integer(&GroupFigures::rejected_by_gateway)},
      {"rejected_by_venue", integer(&GroupFigures::rejected_by_venue)},
      {"reject_ratio", optional(&GroupFigures::reject_ratio)},
      {"working", integer(&GroupFigures::working)},
      {"ordered_qty", optional(&GroupFigures::ordered_qty)},
      {"filled_qty", optional(&GroupFigures::filled_qty)},
      {"fill_ratio_qty", optional(&GroupFigures::fill_ratio_qty)},
      {"orders_with_fill", integer(&GroupFigures::orders_with_fill)},
      {"fill_ratio_orders", optional(&GroupFigures::fill_ratio_orders)},
      {"orders_filled_fully", integer(&GroupFigures::orders_filled_fully)},
      {"acks", integer(&GroupFigures::acks)},
      {"ack_latency_p50_us", optional(&GroupFigures::ack_latency_p50_us)},
      {"ack_latency_p90_us", optional(&GroupFigures::ack_latency_p90_us)},
      {"ack_latency_p99_us", optional(&GroupFigures::ack_latency_p99_us)},
      {"time_to_first_fill_p50_us", optional(&GroupFigures::time_to_first_fill_p50_us)},
      {"time_to_first_fill_p90_us", optional(&GroupFigures::time_to_first_fill_p90_us)},
      {"time_to_fill_p50_us", optional(&GroupFigures::time_to_fill_p50_us)},
      {"time_to_fill_p90_us", optional(&GroupFigures::time_to_fill_p90_us)},
      {"slippage_orders", integer(&GroupFigures::slippage_orders)},
      {"slippage_bps_mean", optional(&GroupFigures::slippage_bps_mean)},
      {"slippage_bps_p50", optional(&GroupFigures::slippage_bps_p50)},
      {"filled_without_arrival_price", integer(&GroupFigures::filled_without_arrival_price)},
  };
  return list;
}

std::string isoUtc(std::int64_t ts_us) {
  std::string text = audit_tools::formatUtcMicros(ts_us);
  text[10] = 'T';
  return text + "Z";
}

std::string rangeText(const Report& report) {
  return fmt::format("{} to {} (UTC)", audit_tools::formatUtcMicros(report.from_us),
                     audit_tools::formatUtcMicros(report.to_us));
}

std::string topReasons(const GroupFigures& group) {
  std::string text;
  for (std::size_t i = 0; i < group.rejects.size() && i < kTopReasonsInTable; ++i) {
    if (!text.empty()) text += ", ";
    text += fmt::format("{} x{}", group.rejects[i].code, group.rejects[i].orders);
  }
  if (group.rejects.size() > kTopReasonsInTable) {
    text += fmt::format(", +{} more", group.rejects.size() - kTopReasonsInTable);
  }
  return text.empty() ? kMissing : text;
}

std::string slashed(std::initializer_list<std::string> parts) {
  std::string text;
  for (const std::string& part : parts) {
    if (!text.empty()) text += " / ";
    text += part;
  }
  return text;
}

// Lays out rows of cells in columns two spaces apart: text columns left-aligned, figures right-aligned.
std::string layout(const std::vector<std::vector<std::string>>& rows,
                   const std::vector<bool>& right_aligned) {
  std::vector<std::size_t> widths(right_aligned.size(), 0);
  const auto width = [](const std::string& text) {
    // Columns are measured in characters, not bytes: "µ" is two bytes of UTF-8.
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
  };
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], width(row[c]));
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c != 0) line += "  ";
      const std::string padding(widths[c] - width(row[c]), ' ');
      line += right_aligned[c] ? padding + row[c] : row[c] + padding;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + '\n';
  }
  return out;
}

// Reject texts lead with their code ("FG505 order quantity ..."); the table shows the code already.
std::string withoutLeadingCode(const std::string& text, const std::string& code) {
  if (!code.empty() && text.starts_with(code + " ")) return text.substr(code.size() + 1);
  return text;
}

std::string shortened(std::string text, std::size_t max_chars) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  if (text.size() <= max_chars) return text;
  std::size_t cut = max_chars - 3;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
  return text.substr(0, cut) + "...";
}

}  // namespace

std::string groupingTitle(Grouping grouping) {
  switch (grouping) {
    case Grouping::Venue:
      return "venue";
    case Grouping::Session:
      return "client session";
    case Grouping::Both:
      return "venue and client session";
  }
  return "?";
}

std::string formatMicros(std::optional<double> us) {
  if (!us || !std::isfinite(*us)) return kMissing;
  return withThousands(std::llround(*us));
}

std::string formatPercent(std::optional<double> ratio) {
  if (!ratio || !std::isfinite(*ratio)) return kMissing;
  return fmt::format("{:.1f}%", *ratio * 100.0);
}

std::string formatBps(std::optional<double> bps) {
  if (!bps || !std::isfinite(*bps)) return kMissing;
  const double rounded = std::round(*bps * 100.0) / 100.0;
  if (rounded == 0) return "0.00";
  return fmt::format("{:+.2f}", rounded);
}

std::string formatQuantity(std::optional<double> quantity) {
  if (!quantity || !std::isfinite(*quantity)) return kMissing;
  if (*quantity == std::floor(*quantity)) return withThousands(std::llround(*quantity));
  return plainNumber(*quantity);
}

std::string formatTable(const Report& report) {
  const std::string group_title = report.grouping == Grouping::Venue     ? "venue"
                                  : report.grouping == Grouping::Session ? "session"
                                                                         : "venue / session";
  std::string out = fmt::format("Execution quality by {}, orders that arrived {}: {} orders\n\n",
                                groupingTitle(report.grouping), rangeText(report), report.totalOrders());
  std::vector<std::vector<std::string>> rows = {
      {group_title, "orders", "rejected", "filled/ordered", "fill qty", "fill orders", "ack µs p50/p90/p99",
       "1st fill µs p50/p90", "full fill µs p50/p90", "slippage bps mean/p50 (n)", "top rejects"},
  };
  for (const GroupFigures& g : report.groups) {
    const bool measured = g.working > 0;
    rows.push_back({
        groupLabel(g, report.grouping),
        withThousands(g.orders),
        fmt::format("{} {}", g.rejected, formatPercent(g.reject_ratio)),
        measured ? fmt::format("{} / {}", formatQuantity(g.filled_qty), formatQuantity(g.ordered_qty))
                 : kMissing,
        formatPercent(g.fill_ratio_qty),
        measured ? fmt::format("{} {}", g.orders_with_fill, formatPercent(g.fill_ratio_orders)) : kMissing,
        slashed({formatMicros(g.ack_latency_p50_us), formatMicros(g.ack_latency_p90_us),
                 formatMicros(g.ack_latency_p99_us)}),
        slashed({formatMicros(g.time_to_first_fill_p50_us), formatMicros(g.time_to_first_fill_p90_us)}),
        slashed({formatMicros(g.time_to_fill_p50_us), formatMicros(g.time_to_fill_p90_us)}),
        fmt::format("{} / {} ({})", formatBps(g.slippage_bps_mean), formatBps(g.slippage_bps_p50),
                    g.slippage_orders),
        topReasons(g),
    });
  }
  out += layout(rows, {false, true, true, true, true, true, true, true, true, true, false});

  bool any_reject = false;
  for (const GroupFigures& g : report.groups) any_reject |= !g.rejects.empty();
  if (any_reject) {
    out += "\nRejects by reason\n";
    std::vector<std::vector<std::string>> reasons = {
        {group_title, "code", "by", "orders", "of group", "most common text"}};
    for (const GroupFigures& g : report.groups) {
      for (const RejectReason& r : g.rejects) {
        reasons.push_back({groupLabel(g, report.grouping), r.code, r.source, withThousands(r.orders),
                           formatPercent(r.share_of_orders),
                           shortened(withoutLeadingCode(r.common_text, r.code), kReasonTextWidth)});
      }
    }
    out += layout(reasons, {false, false, false, true, true, false});
  }

  std::int64_t without_arrival = 0;
  for (const GroupFigures& g : report.groups) without_arrival += g.filled_without_arrival_price;
  out +=
      "\nFill figures count working orders (routed, not rejected); rejected counts every order.\n"
      "Latencies in microseconds: ack = venue NewOrderSingle sent -> venue acknowledgement; fills from the "
      "order's arrival.\n"
      "Slippage: average fill price against the arrival reference price, in basis points; + is worse for the "
      "client.\n"
      "\"-\" = nothing to measure. fixgate-exec-quality --help explains every column.\n";
  if (without_arrival > 0) {
    out += fmt::format(
        "{} filled order(s) had no arrival price (no reference price for the symbol): counted, but not in "
        "slippage.\n",
        without_arrival);
  }
  return out;
}

std::string formatCsv(const Report& report) {
  std::string out;
  std::vector<std::string> header = {"venue", "session"};
  for (const Figure& f : figures()) header.emplace_back(f.name);
  header.emplace_back("top_rejects");
  std::ostringstream stream;
  audit_tools::CsvWriter csv(stream);
  csv.writeHeader(header);
  for (const GroupFigures& g : report.groups) {
    std::vector<audit_tools::Value> values = {g.venue, g.session};
    for (const Figure& f : figures()) {
      const auto value = f.value(g);
      values.emplace_back(value ? std::optional(plainNumber(*value)) : std::nullopt);
    }
    std::string reasons;
    for (const RejectReason& r : g.rejects) {
      if (!reasons.empty()) reasons += ';';
      reasons += fmt::format("{}:{}", r.code, r.orders);
    }
    values.emplace_back(reasons.empty() ? std::nullopt : std::optional(reasons));
    csv.writeRow(values);
  }
  return stream.str();
}

std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string formatJson(const Report& report) {
  const auto text_or_null = [](const std::optional<std::string>& text) {
    return text ? jsonString(*text) : std::string("null");
  };
  std::string out =
      fmt::format("{{\"from\": {}, \"to\": {}, \"by\": {}, \"groups\": [", jsonString(isoUtc(report.from_us)),
                  jsonString(isoUtc(report.to_us)), jsonString(toString(report.grouping)));
  for (std::size_t i = 0; i < report.groups.size(); ++i) {
    const GroupFigures& g = report.groups[i];
    out += i == 0 ? "\n  {" : ",\n  {";
    out += fmt::format("\"venue\": {}, \"session\": {}", text_or_null(g.venue), text_or_null(g.session));
    for (const Figure& f : figures()) {
      const auto value = f.value(g);
      const std::string number = value ? plainNumber(*value) : std::string();
      out += fmt::format(", \"{}\": {}", f.name, number.empty() ? "null" : number);
    }
    out += ", \"rejects\": [";
    for (std::size_t r = 0; r < g.rejects.size(); ++r) {
      const RejectReason& reason = g.rejects[r];
      out += fmt::format(
          "{}{{\"code\": {}, \"source\": {}, \"orders\": {}, \"share_of_orders\": {}, \"common_text\": {}}}",
          r == 0 ? "" : ", ", jsonString(reason.code), jsonString(reason.source), reason.orders,
          plainNumber(reason.share_of_orders), jsonString(reason.common_text));
    }
    out += "]}";
  }
  out += report.groups.empty() ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace fixgate::exec_quality
