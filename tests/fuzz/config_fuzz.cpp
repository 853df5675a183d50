// libFuzzer target: hostile YAML through the configuration loaders of src/config.
//
// Every input is tried in three roles, so a plain copy of any file of config/ is a useful seed for all of
// them:
//  1. as gateway.yaml, beside valid copies of config/instruments.yaml and config/limits.yaml
//     (loadGatewayConfig on a path, which also reads the files the input names);
//  2. as instruments.yaml, named by a valid copy of config/gateway.yaml (loadGatewayConfig);
//  3. as limits.yaml text, against the reference data of the valid config/ (loadLimitsText, what a reload and
//     a journal replay call), and through the journal: an accepted snapshot, journaled in an ApplyLimits
//     event, must decode and re-parse to the same version (what replay on start relies on).
// The files live in one scratch directory per process (fuzz_support.h), rewritten for each input.
//
// Invariants: the loaders never throw; a refusal carries at least one error and every error names its file;
// an accepted gateway config has sessions, venues, limits and an instance id of 1 to 8 letters or digits; an
// accepted limits text keeps its bytes and a 64-hex-digit version, and parses again to the same version.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "config/gateway_config.h"
#include "config/limits_config.h"
#include "core/events.h"
#include "fuzz_support.h"
#include "records/codec.h"

namespace {

namespace fs = std::filesystem;
using fixgate::fuzz::fail;

struct Fixture {
  fs::path gateway_dir;      // role 1: gateway.yaml is the input
  fs::path instruments_dir;  // role 2: instruments.yaml is the input
  fixgate::core::ReferenceData refdata;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    const fs::path config = fixgate::fuzz::sourceDir() / "config";
    const std::string gateway = fixgate::fuzz::readFile(config / "gateway.yaml");
    const std::string instruments = fixgate::fuzz::readFile(config / "instruments.yaml");
    const std::string limits = fixgate::fuzz::readFile(config / "limits.yaml");
    const fs::path root = fixgate::fuzz::ScratchDir::get();
    // gateway.yaml says dictionary_dir: ../fix_spec; an empty directory satisfies the loader's check.
    fs::create_directories(root / "fix_spec");
    out.gateway_dir = root / "gateway";
    out.instruments_dir = root / "instruments";
    fs::create_directories(out.gateway_dir);
    fs::create_directories(out.instruments_dir);
    fixgate::fuzz::writeFile(out.gateway_dir / "instruments.yaml", instruments);
    fixgate::fuzz::writeFile(out.gateway_dir / "limits.yaml", limits);
    fixgate::fuzz::writeFile(out.instruments_dir / "gateway.yaml", gateway);
    fixgate::fuzz::writeFile(out.instruments_dir / "limits.yaml", limits);
    // The reference data of the valid configuration, for the limits role.
    fixgate::fuzz::writeFile(out.gateway_dir / "gateway.yaml", gateway);
    auto cfg = fixgate::config::loadGatewayConfig(out.gateway_dir / "gateway.yaml");
    if (!cfg) fail("config/ itself does not load", fixgate::config::formatAll(cfg.error()));
    out.refdata = cfg->refdata;
    return out;
  }();
  return f;
}

void checkErrors(const std::vector<fixgate::config::ConfigError>& errors, const char* role) {
  if (errors.empty()) fail("a configuration refused without any error", role);
  for (const auto& e : errors) {
    if (e.file.empty()) fail("a configuration error without its file", fixgate::config::format(e));
    if (e.message.empty()) fail("a configuration error without a message", fixgate::config::format(e));
    if (e.line < 0) fail("a configuration error with a negative line", fixgate::config::format(e));
  }
  (void)fixgate::config::formatAll(errors);
}

void loadGateway(const fs::path& file, const char* role) {
  std::expected<fixgate::config::GatewayConfig, std::vector<fixgate::config::ConfigError>> cfg =
      std::unexpected(std::vector<fixgate::config::ConfigError>{});
  try {
    cfg = fixgate::config::loadGatewayConfig(file);
  } catch (const std::exception& e) {
    fail("loadGatewayConfig threw", std::string(role) + ": " + e.what());
  } catch (...) {
    fail("loadGatewayConfig threw something that is not a std::exception", role);
  }
  if (!cfg) return checkErrors(cfg.error(), role);
  if (cfg->client_sessions.empty()) fail("an accepted gateway config without client sessions", role);
  if (cfg->venues.empty()) fail("an accepted gateway config without venues", role);
  if (!cfg->limits) fail("an accepted gateway config without limits", role);
  if (cfg->instance_id.empty() || cfg->instance_id.size() > 8) {
    fail("an accepted gateway config with an invalid instance_id", cfg->instance_id);
  }
  if (cfg->refdata.session_names.size() != cfg->client_sessions.size() ||
      cfg->refdata.venue_names.size() != cfg->venues.size()) {
    fail("reference data out of step with the sessions or venues of an accepted config", role);
  }
}

void limitsRole(const std::string& text) {
  const auto& f = fixture();
  using Result =
      std::expected<std::shared_ptr<const fixgate::core::Limits>, std::vector<fixgate::config::ConfigError>>;
  Result limits = std::unexpected(std::vector<fixgate::config::ConfigError>{});
  try {
    limits = fixgate::config::loadLimitsText(text, "fuzz/limits.yaml", f.refdata);
  } catch (const std::exception& e) {
    fail("loadLimitsText threw", e.what());
  } catch (...) {
    fail("loadLimitsText threw something that is not a std::exception");
  }
  if (!limits) return checkErrors(limits.error(), "limits");
  const auto& snapshot = **limits;
  if (snapshot.content != text) fail("accepted limits do not keep the file's bytes");
  if (snapshot.version.size() != 64 ||
      snapshot.version.find_first_not_of("0123456789abcdef") != std::string::npos) {
    fail("accepted limits with a version that is not a SHA-256 in hex", snapshot.version);
  }
  if (snapshot.credit_warning_pct <= 0 || snapshot.credit_warning_pct > 100) {
    fail("accepted limits with credit_warning_pct outside (0, 100]",
         std::to_string(snapshot.credit_warning_pct));
  }

  // Journaled in an ApplyLimits event, then replayed: the text must parse again to the same version.
  const fixgate::core::Event event{1'700'000'000'000'000, fixgate::core::ApplyLimits{*limits, "fuzz"}};
  std::string bytes;
  fixgate::records::encodeEvent(event, bytes);
  const auto replayed = fixgate::records::decodeEvent(
      bytes,
      [&](std::string_view content, std::string_view source)
          -> std::expected<std::shared_ptr<const fixgate::core::Limits>, std::string> {
        auto again = fixgate::config::loadLimitsText(std::string(content), std::string(source), f.refdata);
        if (!again) return std::unexpected(fixgate::config::formatAll(again.error()));
        return std::move(*again);
      });
  if (!replayed) fail("accepted limits do not replay from the journal", replayed.error());
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fixture();  // fail at start when config/ is missing or invalid
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 256 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto& f = fixture();

  fixgate::fuzz::writeFile(f.gateway_dir / "gateway.yaml", text);
  loadGateway(f.gateway_dir / "gateway.yaml", "gateway.yaml");

  fixgate::fuzz::writeFile(f.instruments_dir / "instruments.yaml", text);
  loadGateway(f.instruments_dir / "gateway.yaml", "instruments.yaml");

  limitsRole(text);
  return 0;
}
