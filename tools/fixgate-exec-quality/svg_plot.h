// The report as a self-contained SVG image (no scripts, no external fonts or styles), written by hand so that
// the tool needs no plotting library. Three panels, one group of bars per venue/session:
//   1. venue acknowledgement latency p50/p90/p99 in microseconds, on a log scale (venues differ by orders
//      of magnitude);
//   2. slippage against the arrival price, mean and median in basis points, around a zero line;
//   3. fill ratio (quantity and orders) and reject ratio, in percent.
// Every bar carries its value; a group without a value shows "n/a".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "report.h"

namespace fixgate::exec_quality {

[[nodiscard]] std::string renderSvg(const Report& report);

// Evenly spaced "nice" tick values (steps of 1, 2 or 5 times a power of ten) covering [low, high], about
// `target` of them, the first <= low and the last >= high. low == high gives a small range around it.
[[nodiscard]] std::vector<double> niceTicks(double low, double high, int target = 5);

// Powers of ten from 1 up to the first one >= max (at least {1, 10}).
[[nodiscard]] std::vector<double> logTicks(double max);

}  // namespace fixgate::exec_quality
