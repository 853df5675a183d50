// The risk limits file (config/limits.yaml): parsed and validated as a whole into one immutable core::Limits
// snapshot, checked against the reference data of gateway.yaml. Every key is documented in config/limits.yaml
// next to its default.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <vector>

#include "config/yaml_reader.h"
#include "core/limits.h"
#include "core/reference_data.h"

namespace fixgate::config {

// Reads `file` and validates every key; sessions, symbols and venues must exist in `refdata`. On success the
// snapshot's version is the lowercase hex SHA-256 of the file's bytes and its source is `file`. On failure
// returns every error found (file, 1-based line, dotted key, what to do) and no snapshot.
std::expected<std::shared_ptr<const core::Limits>, std::vector<ConfigError>> loadLimits(
    const std::filesystem::path& file, const core::ReferenceData& refdata);

// The same from text already read (a journaled snapshot during replay); `source` names it in errors.
std::expected<std::shared_ptr<const core::Limits>, std::vector<ConfigError>> loadLimitsText(
    const std::string& content, const std::string& source, const core::ReferenceData& refdata);

}  // namespace fixgate::config
