// Strict, error-collecting access to YAML maps. Every problem is recorded with file, line and key, and the
// caller decides after the whole file was read: an invalid file is refused as a whole, never half-applied.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace fixgate::config {

struct ConfigError {
  std::string file;
  int line = 0;     // 1-based; 0 when the problem is not tied to a line
  std::string key;  // dotted path, e.g. venues[1].port
  std::string message;
};

// "config/gateway.yaml:12: venues[1].port: must be between 1 and 65535, got 0"
std::string format(const ConfigError& error);
std::string formatAll(const std::vector<ConfigError>& errors);

class ConfigErrors {
 public:
  explicit ConfigErrors(std::string file) : file_(std::move(file)) {}
  void add(int line, std::string key, std::string message);
  void add(const YAML::Node& node, std::string key, std::string message);
  [[nodiscard]] bool empty() const { return errors_.empty(); }
  [[nodiscard]] const std::vector<ConfigError>& list() const { return errors_; }
  [[nodiscard]] std::vector<ConfigError> take() { return std::move(errors_); }
  [[nodiscard]] const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// Loads a YAML file; a syntax error or a missing file is recorded (with its line) and yields nullopt.
std::optional<YAML::Node> loadYamlFile(const std::string& path, ConfigErrors& errors);

class MapReader {
 public:
  // `node` must be a map (or null, read as empty); anything else is reported.
  MapReader(const YAML::Node& node, std::string path, ConfigErrors& errors);

  std::optional<std::string> string(std::string_view key, std::optional<std::string> fallback);
  std::optional<long long> integer(std::string_view key, std::optional<long long> fallback, long long min,
                                   long long max);
  std::optional<bool> boolean(std::string_view key, std::optional<bool> fallback);
  // A decimal kept as text so the caller parses it exactly (prices, tick sizes).
  std::optional<std::string> decimal(std::string_view key, std::optional<std::string> fallback);
  // Calls `each` for every element of a sequence of maps under `key`; a missing key is an empty sequence.
  // Returns whether a list was present.
  bool sequence(std::string_view key, bool required, const std::function<void(MapReader&, std::size_t)>& each);
  // A nested map.
  void map(std::string_view key, bool required, const std::function<void(MapReader&)>& read);

  [[nodiscard]] std::string keyPath(std::string_view key) const;
  [[nodiscard]] int line() const;
  [[nodiscard]] int lineOf(std::string_view key) const;
  ConfigErrors& errors() { return errors_; }

  // Reports every key that was present but never read: typos must not silently fall back to defaults.
  ~MapReader();
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

 private:
  std::optional<YAML::Node> scalar(std::string_view key, bool required);

  YAML::Node node_;
  std::string path_;
  ConfigErrors& errors_;
  std::set<std::string, std::less<>> read_;
  bool valid_ = true;
};

}  // namespace fixgate::config
