// Command line -> SimConfig.
#pragma once

#include <expected>

#include "sim_config.h"

namespace fixgate::sim {

// On --help or a usage error, CLI11 has already printed; the error holds the exit code to return.
[[nodiscard]] std::expected<SimConfig, int> parseCommandLine(int argc, char** argv);

}  // namespace fixgate::sim
