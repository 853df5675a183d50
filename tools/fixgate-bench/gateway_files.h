// The gateway.yaml, instruments.yaml and limits.yaml a benchmark run starts fixgate with, in the format
// config/gateway.yaml documents: one FIX.4.4 client session per load session, one venue (the simulator),
// the journal on, and limits far out of the load's way (no collar, no duplicate window, no throttle) so
// every order passes the full check chain without being refused.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_options.h"

namespace fixgate::bench {

inline constexpr const char* kGatewayCompId = "FIXGATE";
inline constexpr const char* kVenueName = "SIM";

struct GatewayFiles {
  std::filesystem::path dir;  // the three files go here, the data_dir under it
  std::uint16_t client_port = 0;
  std::uint16_t venue_port = 0;
  std::uint16_t metrics_port = 0;  // 0: no ops section
};

// Writes the files; returns the path of gateway.yaml. Throws std::runtime_error when a file cannot be
// written.
std::filesystem::path writeGatewayFiles(const BenchOptions& options,
                                        const std::vector<std::string>& load_comp_ids,
                                        const GatewayFiles& files);

[[nodiscard]] std::vector<std::string> accountNames(int count);  // BENCH1..BENCHn

}  // namespace fixgate::bench
