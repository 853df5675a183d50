#include "settings.h"

#include <system_error>

#include <fmt/format.h>

namespace fixgate::sim {
namespace {

const std::filesystem::path kDefaultDictionary = "fix_spec/venue/FIX44.xml";

bool isFile(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec);
}

}  // namespace

std::expected<std::optional<std::filesystem::path>, std::string> resolveDictionary(const std::string& arg) {
  if (arg == "none") return std::optional<std::filesystem::path>{};
  if (!arg.empty()) {
    if (isFile(arg)) return std::filesystem::absolute(arg);
    return std::unexpected(fmt::format("FIX dictionary '{}' not found", arg));
  }
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  std::filesystem::path repo = FIXGATE_REPO_DIR;
  for (const auto& base : {cwd, repo}) {
    if (isFile(base / kDefaultDictionary)) return base / kDefaultDictionary;
  }
  return std::unexpected(
      fmt::format("default FIX dictionary {} not found under {} or {}; pass --dictionary PATH, or "
                  "--dictionary none to run "
                  "without validation",
                  kDefaultDictionary.string(), cwd.string(), repo.string()));
}

FIX::SessionSettings buildSessionSettings(const SimConfig& cfg,
                                          const std::optional<std::filesystem::path>& dictionary) {
  FIX::Dictionary defaults;
  defaults.setString(FIX::CONNECTION_TYPE, "acceptor");
  defaults.setString(FIX::BEGINSTRING, FIX::BeginString_FIX44);
  defaults.setInt(FIX::SOCKET_ACCEPT_PORT, cfg.port);
  defaults.setBool(FIX::SOCKET_NODELAY, true);
  defaults.setBool(FIX::SOCKET_REUSE_ADDRESS, true);
  // Always open: a simulator has no trading hours.
  defaults.setString(FIX::START_TIME, "00:00:00");
  defaults.setString(FIX::END_TIME, "00:00:00");
  // Sequence numbers continue across connections and restarts within one process (a client that asks
  // with ResetSeqNumFlag=Y resets them), so a reconnecting client can ask for what it missed
  // (ResendRequest) and gets it with PossDupFlag=Y. Every stored message is kept for that.
  defaults.setBool(FIX::RESET_ON_LOGON, false);
  defaults.setBool(FIX::PERSIST_MESSAGES, true);
  defaults.setInt(FIX::TIMESTAMP_PRECISION, 6);
  // A connection that stops reading should make its peer's writes block after a few KiB, not megabytes.
  if (cfg.faults.stopReadingAfter > 0) defaults.setInt(FIX::SOCKET_RECEIVE_BUFFER_SIZE, 4096);
  defaults.setString(FIX::FILE_STORE_PATH, (cfg.dataDir / "store").string());
  defaults.setString(FIX::FILE_LOG_PATH, (cfg.dataDir / "log").string());
  defaults.setBool(FIX::USE_DATA_DICTIONARY, dictionary.has_value());
  if (dictionary) defaults.setString(FIX::DATA_DICTIONARY, dictionary->string());
  if (cfg.heartbeatInterval > 0) defaults.setInt(FIX::HEARTBTINT, cfg.heartbeatInterval);
  if (!cfg.tlsCertificate.empty()) {
    // QuickFIX's SSL acceptor: "-all +TLSv1_2" leaves TLS 1.2 and 1.3 (it has no token to disable 1.3).
    defaults.setString("SSLProtocol", "-all +TLSv1_2");
    defaults.setString("ServerCertificateFile", cfg.tlsCertificate.string());
    defaults.setString("ServerCertificateKeyFile", cfg.tlsKey.string());
    if (cfg.tlsCa.empty()) {
      defaults.setInt("CertificateVerifyLevel", 0);
    } else {
      defaults.setString("CertificationAuthoritiesFile", cfg.tlsCa.string());
      defaults.setInt("CertificateVerifyLevel", 1);  // a certificate is required and must verify
    }
  }

  FIX::SessionSettings settings;
  settings.set(defaults);
  for (const auto& client : cfg.clientCompIds) {
    settings.set(FIX::SessionID(FIX::BeginString_FIX44, cfg.venue, client), FIX::Dictionary());
  }
  return settings;
}

}  // namespace fixgate::sim
