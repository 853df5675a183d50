#include "svg_plot.h"

#include "xml_escape.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace fixgate::load {
namespace {

constexpr double kWidth = 860, kHeight = 520;
constexpr double kLeft = 80, kRight = 170, kTop = 50, kBottom = 60;  // margins; the legend is on the right
constexpr std::array<const char*, 6> kColors{"#1f77b4", "#d62728", "#2ca02c",
                                             "#ff7f0e", "#9467bd", "#8c564b"};

// "Nines" of a percentile: 0 at 0%, 1 at 90%, 2 at 99%, 3 at 99.9%.
double nines(double percentile) {
  return std::log10(1.0 / std::max(1e-9, 1.0 - percentile / 100.0));
}

std::string latencyLabel(double micros) {
  if (micros >= 1e6) return fmt::format("{:g} s", micros / 1e6);
  if (micros >= 1e3) return fmt::format("{:g} ms", micros / 1e3);
  return fmt::format("{:g} µs", micros);
}

std::string percentileLabel(int nine) {
  if (nine == 0) return "0%";
  if (nine == 1) return "90%";
  if (nine == 2) return "99%";
  return "99." + std::string(static_cast<std::size_t>(nine - 2), '9') + "%";
}

}  // namespace

std::string percentilePlotSvg(const std::string& title, const std::vector<PlotSeries>& series) {
  // Axis ranges from the data: whole decades of latency, whole nines of percentile plus one for the max.
  double low = std::numeric_limits<double>::max(), high = 0, most_nines = 1;
  for (const PlotSeries& s : series) {
    for (const PlotPoint& p : s.points) {
      low = std::min(low, std::max(p.micros, 1.0));
      high = std::max(high, std::max(p.micros, 1.0));
      if (p.percentile < 100.0) most_nines = std::max(most_nines, nines(p.percentile));
    }
  }
  if (high == 0) low = high = 1;
  const double y_low = std::floor(std::log10(low));
  const double y_high = std::max(y_low + 1, std::ceil(std::log10(high)));
  const int x_nines = static_cast<int>(std::ceil(most_nines - 1e-9));
  const double x_max = x_nines + 0.5;  // the maximum is drawn half a nine past the last percentile
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto x_of = [&](double percentile) {
    const double n = percentile >= 100.0 ? x_max : std::min(nines(percentile), double(x_nines));
    return kLeft + plot_w * n / x_max;
  };
  auto y_of = [&](double micros) {
    return kTop + plot_h * (1.0 - (std::log10(std::max(micros, 1.0)) - y_low) / (y_high - y_low));
  };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"28\" font-size=\"15\" font-weight=\"bold\">{3}</text>\n",
      kWidth, kHeight, kLeft, svg::xmlEscape(title));
  for (int decade = static_cast<int>(y_low); decade <= static_cast<int>(y_high); ++decade) {
    const double y = y_of(std::pow(10.0, decade));
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"#ddd\"/>"
        "<text x=\"{3}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>\n",
        kLeft, kLeft + plot_w, y, kLeft - 6, y + 4, latencyLabel(std::pow(10.0, decade)));
  }
  for (int nine = 0; nine <= x_nines; ++nine) {
    const double x = kLeft + plot_w * nine / x_max;
    svg += fmt::format(
        "<line x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#ddd\"/>"
        "<text x=\"{0:.1f}\" y=\"{3}\" text-anchor=\"middle\">{4}</text>\n",
        x, kTop, kTop + plot_h, kTop + plot_h + 18, percentileLabel(nine));
  }
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">max</text>\n", kLeft + plot_w,
                     kTop + plot_h + 18);
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"#444\"/>\n"
      "<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">percentile</text>\n"
      "<text transform=\"translate(18 {:.1f}) rotate(-90)\" text-anchor=\"middle\">latency (log)</text>\n",
      kLeft, kTop, plot_w, plot_h, kLeft + plot_w / 2, kHeight - 14, kTop + plot_h / 2);

  for (std::size_t i = 0; i < series.size(); ++i) {
    const PlotSeries& s = series[i];
    const char* color = kColors[i % kColors.size()];
    std::string points;
    for (const PlotPoint& p : s.points)
      points += fmt::format("{:.1f},{:.1f} ", x_of(p.percentile), y_of(p.micros));
    svg += fmt::format("<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"/>\n", color,
                       points);
    if (!s.points.empty() && s.points.back().percentile >= 100.0) {
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3.5\" fill=\"{}\"/>\n", x_of(100.0),
                         y_of(s.points.back().micros), color);
    }
    const double legend_y = kTop + 14 + 20.0 * static_cast<double>(i);
    svg += fmt::format(
        "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\" stroke-width=\"3\"/>"
        "<text x=\"{4}\" y=\"{5:.1f}\">{6}</text>\n",
        kWidth - kRight + 14, kWidth - kRight + 38, legend_y, color, kWidth - kRight + 44, legend_y + 4,
        svg::xmlEscape(s.name));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace fixgate::load
