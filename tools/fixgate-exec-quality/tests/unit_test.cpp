// The pure parts of fixgate-exec-quality: number formatting, the table, CSV and JSON writers, and the SVG
// plot (ticks, escaping, bars proportional to the values).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "render.h"
#include "report.h"
#include "svg_plot.h"
#include "xml_escape.h"

namespace fixgate::exec_quality {
namespace {

// 2026-12-05 00:00:00 UTC and a day later.
constexpr std::int64_t kFrom = 1'796'428'800'000'000LL;
constexpr std::int64_t kTo = kFrom + 86'400'000'000LL;

Report sampleReport() {
  Report report;
  report.from_us = kFrom;
  report.to_us = kTo;
  report.grouping = Grouping::Venue;
  GroupFigures a;
  a.venue = "SIM-A";
  a.orders = 4;
  a.rejected = 1;
  a.rejected_by_venue = 1;
  a.reject_ratio = 0.25;
  a.working = 3;
  a.ordered_qty = 250;
  a.filled_qty = 200;
  a.fill_ratio_qty = 0.8;
  a.orders_with_fill = 2;
  a.fill_ratio_orders = 0.666667;
  a.orders_filled_fully = 2;
  a.acks = 3;
  a.ack_latency_p50_us = 158;
  a.ack_latency_p90_us = 301.2;
  a.ack_latency_p99_us = 333.42;
  a.time_to_first_fill_p50_us = 792;
  a.time_to_first_fill_p90_us = 1097.6;
  a.time_to_fill_p50_us = 792;
  a.time_to_fill_p90_us = 1097.6;
  a.slippage_orders = 2;
  a.slippage_bps_mean = 0;
  a.slippage_bps_p50 = 0;
  a.rejects.push_back({"FG401", "venue", 1, 0.25, "symbol IBM is halted at venue SIM-A"});
  GroupFigures b;
  b.venue = "SIM-B";
  b.orders = 3;
  b.reject_ratio = 0;
  b.working = 3;
  b.ordered_qty = 1500;
  b.filled_qty = 750;
  b.fill_ratio_qty = 0.5;
  b.orders_with_fill = 3;
  b.fill_ratio_orders = 1;
  b.acks = 3;
  b.ack_latency_p50_us = 150449;
  b.ack_latency_p90_us = 150488.2;
  b.ack_latency_p99_us = 150497.02;
  b.slippage_orders = 2;
  b.slippage_bps_mean = 75;
  b.slippage_bps_p50 = 75;
  b.filled_without_arrival_price = 1;
  GroupFigures unrouted;
  unrouted.orders = 1;
  unrouted.rejected = 1;
  unrouted.rejected_by_gateway = 1;
  unrouted.reject_ratio = 1;
  unrouted.rejects.push_back(
      {"FG505", "gateway", 1, 1, "order quantity 5000000 exceeds max_order_qty \"<&>\""});
  report.groups = {a, b, unrouted};
  return report;
}

TEST(Formatting, NumbersForPeople) {
  EXPECT_EQ(formatMicros(150449.4), "150,449");
  EXPECT_EQ(formatMicros(999.5), "1,000");
  EXPECT_EQ(formatMicros(12), "12");
  EXPECT_EQ(formatMicros(std::nullopt), "-");
  EXPECT_EQ(formatPercent(0.666667), "66.7%");
  EXPECT_EQ(formatPercent(0.5), "50.0%");
  EXPECT_EQ(formatPercent(std::nullopt), "-");
  EXPECT_EQ(formatBps(75), "+75.00");
  EXPECT_EQ(formatBps(-100), "-100.00");
  EXPECT_EQ(formatBps(0.001), "0.00");
  EXPECT_EQ(formatBps(16.66666), "+16.67");
  EXPECT_EQ(formatQuantity(1500), "1,500");
  EXPECT_EQ(formatQuantity(1234567), "1,234,567");
  EXPECT_EQ(formatQuantity(2.5), "2.5");
}

TEST(Grouping, ParsesAndLabels) {
  EXPECT_EQ(parseGrouping("venue"), Grouping::Venue);
  EXPECT_EQ(parseGrouping("session"), Grouping::Session);
  EXPECT_EQ(parseGrouping("both"), Grouping::Both);
  EXPECT_EQ(parseGrouping("Venue"), std::nullopt);
  GroupFigures g;
  EXPECT_EQ(groupLabel(g, Grouping::Venue), "(not routed)");
  g.venue = "SIM-A";
  g.session = "it-C44A";
  EXPECT_EQ(groupLabel(g, Grouping::Both), "SIM-A / it-C44A");
  EXPECT_EQ(groupLabel(g, Grouping::Session), "it-C44A");
}

TEST(Table, OneLinePerGroupWithTheFigures) {
  const std::string table = formatTable(sampleReport());
  EXPECT_NE(table.find("Execution quality by venue, orders that arrived 2026-12-05 00:00:00.000000 to "
                       "2026-12-06 00:00:00.000000 (UTC): 8 orders"),
            std::string::npos)
      << table;
  // Each group's line carries its figures.
  const std::regex sim_b(
      R"(SIM-B +3 +0 0\.0% +750 / 1,500 +50\.0% +3 100\.0% +150,449 / 150,488 / 150,497 .*\+75\.00 / \+75\.00 \(2\))");
  EXPECT_TRUE(std::regex_search(table, sim_b)) << table;
  const std::regex unrouted(R"(\(not routed\) +1 +1 100\.0% +- +- +- .*FG505 x1)");
  EXPECT_TRUE(std::regex_search(table, unrouted)) << table;
  EXPECT_NE(table.find("Rejects by reason"), std::string::npos);
  EXPECT_NE(table.find("symbol IBM is halted at venue SIM-A"), std::string::npos);
  EXPECT_NE(table.find("1 filled order(s) had no arrival price"), std::string::npos);
}

TEST(Csv, HeaderAndPlainNumbers) {
  const std::string csv = formatCsv(sampleReport());
  const auto first_break = csv.find("\r\n");
  ASSERT_NE(first_break, std::string::npos);
  const std::string header = csv.substr(0, first_break);
  EXPECT_EQ(header.rfind("venue,session,orders,rejected,", 0), 0U) << header;
  EXPECT_NE(header.find(",ack_latency_p99_us,"), std::string::npos);
  EXPECT_NE(header.find(",slippage_bps_mean,"), std::string::npos);
  EXPECT_TRUE(header.ends_with(",top_rejects"));
  EXPECT_NE(
      csv.find("\r\nSIM-B,,3,0,0,0,0,3,1500,750,0.5,3,1,0,3,150449,150488.2,150497.02,,,,,2,75,75,1,\r\n"),
      std::string::npos)
      << csv;
  EXPECT_NE(csv.find("\r\n,,1,1,1,0,1,0,,,,0,,0,0,,,,,,,,0,,,0,FG505:1\r\n"), std::string::npos) << csv;
}

TEST(Json, EscapesAndNulls) {
  EXPECT_EQ(jsonString("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  const std::string json = formatJson(sampleReport());
  EXPECT_NE(json.find("\"from\": \"2026-12-05T00:00:00.000000Z\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"by\": \"venue\""), std::string::npos);
  EXPECT_NE(json.find("{\"venue\": null, \"session\": null, \"orders\": 1,"), std::string::npos) << json;
  EXPECT_NE(json.find("\"fill_ratio_qty\": 0.5,"), std::string::npos);
  EXPECT_NE(json.find("\"time_to_fill_p50_us\": null"), std::string::npos);
  EXPECT_NE(json.find("\"common_text\": \"order quantity 5000000 exceeds max_order_qty \\\"<&>\\\"\""),
            std::string::npos)
      << json;
  // Balanced: every group and reject object closed.
  EXPECT_EQ(std::count(json.begin(), json.end(), '{'), std::count(json.begin(), json.end(), '}'));
  EXPECT_EQ(std::count(json.begin(), json.end(), '['), std::count(json.begin(), json.end(), ']'));
}

TEST(SvgPlot, NiceTicksCoverTheRange) {
  EXPECT_EQ(niceTicks(0, 100, 5), (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(niceTicks(-100, 75, 5), (std::vector<double>{-100, -50, 0, 50, 100}));
  const auto flat = niceTicks(0, 0, 5);
  ASSERT_GE(flat.size(), 2U);
  EXPECT_LT(flat.front(), 0);
  EXPECT_GT(flat.back(), 0);
  EXPECT_EQ(logTicks(150497), (std::vector<double>{1, 10, 100, 1000, 10000, 100000, 1000000}));
  EXPECT_EQ(logTicks(0.5), (std::vector<double>{1, 10}));
}

TEST(SvgPlot, EscapesText) {
  EXPECT_EQ(svg::xmlEscape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&apos;");
}

TEST(SvgPlot, BarsPerGroupWithLabelsAxesAndLegend) {
  Report report = sampleReport();
  report.groups[0].venue = "SIM<&>A";  // names reach the SVG escaped
  const std::string svg = renderSvg(report);
  EXPECT_EQ(
      svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"", 0),
      0U);
  EXPECT_TRUE(svg.ends_with("</svg>\n"));
  EXPECT_EQ(svg.find("SIM<&>A"), std::string::npos);
  EXPECT_NE(svg.find("SIM&lt;&amp;&gt;A"), std::string::npos);
  for (const char* text :
       {"Venue acknowledgement latency", "Slippage against the arrival price", "Fill and reject ratios",
        ">p50<", ">p90<", ">p99<", ">mean<", ">median<", "microseconds (log scale)", "basis points",
        ">150,449<", ">+75.00<", ">(not routed)<", ">n/a<"}) {
    EXPECT_NE(svg.find(text), std::string::npos) << "missing " << text;
  }
  // Bars in drawing order, each panel's legend squares (12 x 12) after its bars: latency 3 + 3 (the unrouted
  // group has none), slippage 2 + 2, ratios 3 + 3 + 1 (the unrouted group has only a reject ratio).
  const std::regex rect(
      "<rect x=\"[-0-9.]+\" y=\"[-0-9.]+\" width=\"[0-9.]+\" height=\"([0-9.]+)\" fill=\"#");
  std::vector<double> heights;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), rect); it != std::sregex_iterator(); ++it) {
    heights.push_back(std::stod((*it)[1].str()));
  }
  ASSERT_EQ(heights.size(), (6U + 3U) + (4U + 2U) + (7U + 3U));
  // Log scale (1 µs at the axis): SIM-B's p50 of 150,449 µs stands log10(150449) / log10(158) times as
  // tall as SIM-A's 158 µs.
  EXPECT_NEAR(heights[3] / heights[0], std::log10(150449.0) / std::log10(158.0), 0.01);
  // Linear: the unrouted group's reject ratio (100 %) is 4 times SIM-A's (25 %).
  EXPECT_NEAR(heights[15 + 6] / heights[15 + 2], 4.0, 0.01);
}

}  // namespace
}  // namespace fixgate::exec_quality
