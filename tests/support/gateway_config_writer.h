// Writes the gateway.yaml and instruments.yaml a GatewayUnderTest starts the gateway with, in the format
// documented in config/gateway.yaml. Only keys the test needs are written; the rest keep their defaults.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "gateway_options.h"

namespace fixgate::testing {

struct GatewayConfigPaths {
  std::filesystem::path dir;             // where both files go; the gateway's data_dir is dir/data
  std::filesystem::path dictionary_dir;  // absolute path of the repository's fix_spec/
};

// Returns the path of the gateway.yaml written. venue_ports maps each venue name to its simulator's port.
std::filesystem::path writeGatewayConfig(const GatewayOptions& options, const GatewayConfigPaths& paths,
                                         std::uint16_t listen_port,
                                         const std::map<std::string, std::uint16_t>& venue_ports);

}  // namespace fixgate::testing
