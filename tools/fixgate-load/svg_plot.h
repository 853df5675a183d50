// A latency percentile plot drawn by hand as SVG (no plotting dependency): x is the percentile on a
// "nines" axis (0%, 90%, 99%, 99.9%, ... equally spaced, i.e. log10 of 1/(1-p)), y the latency on a log
// axis in decades, one line per series, the maximum marked at the right edge.
#pragma once

#include <string>
#include <vector>

namespace fixgate::load {

struct PlotPoint {
  double percentile;  // 0..100
  double micros;
};

struct PlotSeries {
  std::string name;
  std::vector<PlotPoint> points;  // rising percentiles; 100 is the maximum
};

[[nodiscard]] std::string percentilePlotSvg(const std::string& title, const std::vector<PlotSeries>& series);

}  // namespace fixgate::load
