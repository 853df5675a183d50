// QuickFIX acceptor settings, built in code from SimConfig (no .cfg file to keep in sync).
#pragma once

#include <expected>
#include <filesystem>
#include <optional>
#include <string>

#include "quickfix/quickfix.h"
#include "sim_config.h"

namespace fixgate::sim {

// "none" -> nullopt (UseDataDictionary=N). A given path must exist. No argument: fix_spec/venue/FIX44.xml
// under the working directory, then under the repository this binary was built from. Error text when nothing
// fits.
[[nodiscard]] std::expected<std::optional<std::filesystem::path>, std::string> resolveDictionary(
    const std::string& arg);

// One acceptor session per client CompID: FIX.4.4, SenderCompID = venue, ResetOnLogon=Y, SocketNodelay=Y,
// no HTTP port. Throws FIX::ConfigError on inconsistent input.
[[nodiscard]] FIX::SessionSettings buildSessionSettings(
    const SimConfig& cfg, const std::optional<std::filesystem::path>& dictionary);

}  // namespace fixgate::sim
