#include "svg_plot.h"

#include "xml_escape.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "common.h"  // fixgate-audit's UTC time helpers
#include "render.h"

namespace fixgate::exec_quality {

namespace {

constexpr double kWidth = 960;
constexpr double kMarginLeft = 90;
constexpr double kMarginRight = 150;  // room for the legends
constexpr double kTitleHeight = 50;
constexpr double kPanelHeight = 230;
constexpr double kPanelGap = 70;  // group labels under a panel, the next panel's title
constexpr double kPlotWidth = kWidth - kMarginLeft - kMarginRight;
constexpr const char* kFont = "font-family=\"sans-serif\"";

struct Series {
  std::string name;
  std::string colour;
  std::function<std::optional<double>(const GroupFigures&)> value;
  std::function<std::string(std::optional<double>)> label;
};

// Maps a value to a y coordinate inside a panel.
struct Scale {
  double top = 0;     // y of the panel's top edge
  double height = 0;  // the panel's height
  double low = 0;     // value at the bottom edge
  double high = 1;    // value at the top edge
  bool log = false;

  [[nodiscard]] double y(double value) const {
    const double v = log ? std::log10(std::max(value, 1.0)) : value;
    const double lo = log ? std::log10(low) : low;
    const double hi = log ? std::log10(high) : high;
    const double fraction = hi == lo ? 0 : (v - lo) / (hi - lo);
    return top + height * (1 - std::clamp(fraction, 0.0, 1.0));
  }
};

std::string number(double value) {
  return fmt::format("{:.1f}", value);
}

std::string tickLabel(double value, bool log) {
  if (log) return formatMicros(value);
  if (value == std::floor(value)) return fmt::format("{:.0f}", value);
  return fmt::format("{:g}", value);
}

// Title, axis with ticks and grid lines, the bars of every series per group, value labels, group labels
// and a legend.
void drawPanel(std::string& svg, const Report& report, double top, const std::string& title,
               const std::string& axis_label, const std::vector<Series>& series, const Scale& scale,
               const std::vector<double>& ticks) {
  svg += fmt::format("<text x=\"{}\" y=\"{}\" {} font-size=\"14\" font-weight=\"bold\">{}</text>\n",
                     number(kMarginLeft), number(top - 10), kFont, svg::xmlEscape(title));
  // Axis label, rotated along the y axis.
  const double middle = top + kPanelHeight / 2;
  svg += fmt::format(
      "<text x=\"18\" y=\"{0}\" {1} font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 18 {0})\">"
      "{2}</text>\n",
      number(middle), kFont, svg::xmlEscape(axis_label));
  for (const double tick : ticks) {
    const double y = scale.y(tick);
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
        "<text x=\"{3}\" y=\"{4}\" {5} font-size=\"10\" text-anchor=\"end\">{6}</text>\n",
        number(kMarginLeft), number(y), number(kMarginLeft + kPlotWidth), number(kMarginLeft - 6),
        number(y + 3), kFont, svg::xmlEscape(tickLabel(tick, scale.log)));
  }
  // Axes: y on the left, x at the bottom (or at zero when the range spans it).
  const double baseline_value = scale.log ? scale.low : std::clamp(0.0, scale.low, scale.high);
  const double baseline = scale.y(baseline_value);
  svg += fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\" stroke-width=\"1\"/>\n"
      "<line x1=\"{0}\" y1=\"{3}\" x2=\"{4}\" y2=\"{3}\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
      number(kMarginLeft), number(top), number(top + kPanelHeight), number(baseline),
      number(kMarginLeft + kPlotWidth));

  const std::size_t groups = std::max<std::size_t>(report.groups.size(), 1);
  const double band = kPlotWidth / static_cast<double>(groups);
  const double bar = std::min(48.0, band * 0.8 / static_cast<double>(series.size()));
  for (std::size_t g = 0; g < report.groups.size(); ++g) {
    const GroupFigures& group = report.groups[g];
    const double band_left = kMarginLeft + band * static_cast<double>(g);
    const double bars_left = band_left + (band - bar * static_cast<double>(series.size())) / 2;
    for (std::size_t s = 0; s < series.size(); ++s) {
      const double x = bars_left + bar * static_cast<double>(s);
      const auto value = series[s].value(group);
      if (!value || !std::isfinite(*value)) {
        svg += fmt::format(
            "<text x=\"{}\" y=\"{}\" {} font-size=\"9\" fill=\"#888888\" text-anchor=\"middle\">"
            "n/a</text>\n",
            number(x + bar / 2), number(baseline - 4), kFont);
        continue;
      }
      const double y = scale.y(*value);
      const double bar_top = std::min(y, baseline);
      const double bar_height = std::max(std::fabs(baseline - y), 0.5);
      svg += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} {}</title></rect>\n",
          number(x + 1), number(bar_top), number(bar - 2), number(bar_height), series[s].colour,
          svg::xmlEscape(groupLabel(group, report.grouping)), svg::xmlEscape(series[s].name),
          svg::xmlEscape(series[s].label(value)));
      const double label_y = y <= baseline ? bar_top - 3 : bar_top + bar_height + 10;
      svg += fmt::format("<text x=\"{}\" y=\"{}\" {} font-size=\"9\" text-anchor=\"middle\">{}</text>\n",
                         number(x + bar / 2), number(label_y), kFont, svg::xmlEscape(series[s].label(value)));
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" {} font-size=\"11\" text-anchor=\"middle\">{}</text>\n",
                       number(band_left + band / 2), number(top + kPanelHeight + 16), kFont,
                       svg::xmlEscape(groupLabel(group, report.grouping)));
  }
  // Legend, right of the plot.
  const double legend_x = kMarginLeft + kPlotWidth + 16;
  for (std::size_t s = 0; s < series.size(); ++s) {
    const double y = top + 6 + 18 * static_cast<double>(s);
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n"
        "<text x=\"{}\" y=\"{}\" {} font-size=\"11\">{}</text>\n",
        number(legend_x), number(y), series[s].colour, number(legend_x + 18), number(y + 10), kFont,
        svg::xmlEscape(series[s].name));
  }
}

}  // namespace

std::vector<double> niceTicks(double low, double high, int target) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0, 1};
  if (low > high) std::swap(low, high);
  if (high - low < 1e-9) {
    const double pad = std::max(std::fabs(high) * 0.1, 1.0);
    low -= pad;
    high += pad;
  }
  const double rough = (high - low) / std::max(target, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  double step = magnitude * 10;
  for (const double m : {1.0, 2.0, 5.0, 10.0}) {
    if (rough <= m * magnitude) {
      step = m * magnitude;
      break;
    }
  }
  std::vector<double> ticks;
  const double first = std::floor(low / step) * step;
  for (double t = first; t < high + step * 0.999; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);  // no "-0"
  }
  return ticks;
}

std::vector<double> logTicks(double max) {
  std::vector<double> ticks = {1, 10};
  while (ticks.back() < max && ticks.size() < 16) ticks.push_back(ticks.back() * 10);
  return ticks;
}

std::string renderSvg(const Report& report) {
  const double height = kTitleHeight + 3 * (kPanelHeight + kPanelGap);
  std::string svg = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"24\" {3} font-size=\"16\" font-weight=\"bold\">Execution quality by {4}</text>\n"
      "<text x=\"{2}\" y=\"42\" {3} font-size=\"11\" fill=\"#555555\">orders that arrived {5} to {6} (UTC), "
      "{7} "
      "orders</text>\n",
      number(kWidth), number(height), number(kMarginLeft), kFont,
      svg::xmlEscape(groupingTitle(report.grouping)),
      svg::xmlEscape(audit_tools::formatUtcMicros(report.from_us)),
      svg::xmlEscape(audit_tools::formatUtcMicros(report.to_us)), report.totalOrders());

  // 1. Acknowledgement latency, log scale.
  double max_latency = 1;
  for (const GroupFigures& g : report.groups) {
    for (const auto& v : {g.ack_latency_p50_us, g.ack_latency_p90_us, g.ack_latency_p99_us}) {
      if (v && std::isfinite(*v)) max_latency = std::max(max_latency, *v);
    }
  }
  const auto latency_ticks = logTicks(max_latency);
  double top = kTitleHeight + 30;
  drawPanel(svg, report, top, "Venue acknowledgement latency (NewOrderSingle sent to acknowledged)",
            "microseconds (log scale)",
            {{"p50", "#9ecae1", [](const GroupFigures& g) { return g.ack_latency_p50_us; }, formatMicros},
             {"p90", "#4292c6", [](const GroupFigures& g) { return g.ack_latency_p90_us; }, formatMicros},
             {"p99", "#08519c", [](const GroupFigures& g) { return g.ack_latency_p99_us; }, formatMicros}},
            Scale{top, kPanelHeight, 1, latency_ticks.back(), true}, latency_ticks);

  // 2. Slippage, around zero.
  double low = 0;
  double high = 0;
  for (const GroupFigures& g : report.groups) {
    for (const auto& v : {g.slippage_bps_mean, g.slippage_bps_p50}) {
      if (v && std::isfinite(*v)) {
        low = std::min(low, *v);
        high = std::max(high, *v);
      }
    }
  }
  const auto slippage_ticks = niceTicks(low, high);
  top += kPanelHeight + kPanelGap;
  drawPanel(svg, report, top, "Slippage against the arrival price (+ = worse for the client)", "basis points",
            {{"mean", "#fdae6b", [](const GroupFigures& g) { return g.slippage_bps_mean; }, formatBps},
             {"median", "#e6550d", [](const GroupFigures& g) { return g.slippage_bps_p50; }, formatBps}},
            Scale{top, kPanelHeight, slippage_ticks.front(), slippage_ticks.back(), false}, slippage_ticks);

  // 3. Fill and reject ratios, in percent.
  const auto percent = [](std::optional<double> GroupFigures::*member) {
    return [member](const GroupFigures& g) -> std::optional<double> {
      const auto ratio = g.*member;
      if (!ratio) return std::nullopt;
      return *ratio * 100.0;
    };
  };
  const auto percent_label = [](std::optional<double> value) {
    return value ? fmt::format("{:.1f}%", *value) : std::string("-");
  };
  top += kPanelHeight + kPanelGap;
  drawPanel(svg, report, top, "Fill and reject ratios", "percent",
            {{"filled qty / ordered", "#74c476", percent(&GroupFigures::fill_ratio_qty), percent_label},
             {"orders with a fill", "#238b45", percent(&GroupFigures::fill_ratio_orders), percent_label},
             {"orders rejected", "#de2d26", percent(&GroupFigures::reject_ratio), percent_label}},
            Scale{top, kPanelHeight, 0, 100, false}, {0, 20, 40, 60, 80, 100});

  svg += "</svg>\n";
  return svg;
}

}  // namespace fixgate::exec_quality
