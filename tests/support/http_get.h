// A plain HTTP/1.0 GET to 127.0.0.1, for tests of the gateway's metrics and health endpoints: one request,
// the whole answer read until the server closes, bounded by a timeout.
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace fixgate::testing {

struct HttpAnswer {
  int status = 0;
  std::string headers;
  std::string body;
};

[[nodiscard]] std::expected<HttpAnswer, std::string> httpGet(
    std::uint16_t port, const std::string& path, std::chrono::milliseconds timeout = std::chrono::seconds(5));

// The value of the first sample line of Prometheus text `exposition` whose name is `metric` and whose labels
// include every one of `labels` (each written as in the exposition, e.g. `venue="SIM-A"`); nullopt when none.
[[nodiscard]] std::optional<double> metricValue(const std::string& exposition, const std::string& metric,
                                                const std::vector<std::string>& labels = {});

}  // namespace fixgate::testing
