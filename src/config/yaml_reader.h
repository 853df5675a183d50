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

#include "core/types.h"

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
// The bytes of a file exactly as stored (for hashing); a missing or unreadable file is recorded.
std::optional<std::string> readFileBytes(const std::string& path, ConfigErrors& errors);
// Parses YAML already read into memory, so what is hashed is exactly what is parsed.
std::optional<YAML::Node> loadYamlText(const std::string& text, ConfigErrors& errors);

// One element of a list of plain values, with where it was written.
struct ListItem {
  std::string value;
  int line = 0;
  std::string key;  // e.g. sessions[0].accounts[1]
};

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
  // Helpers for limits: absent (or ~) yields nullopt, with an error only when `required`. Values that are
  // present but wrong are reported and yield nullopt.
  // A whole number from 1 (limits are never zero or negative) to `max`.
  std::optional<long long> positiveInteger(std::string_view key, bool required, long long max);
  // A decimal parsed exactly into fixed point (at most 8 decimal places), greater than zero.
  std::optional<core::Price> positiveDecimal(std::string_view key, bool required);
  // A percentage in (0, 100].
  std::optional<double> percent(std::string_view key, bool required);
  // A list of plain values (block or flow style, `[]` for none); nullopt when absent.
  std::optional<std::vector<ListItem>> stringList(std::string_view key, bool required);
  // Whether `key` is written with an explicit null (`~` or `null`): "this check is off". Marks it read.
  bool isNull(std::string_view key);

  // Calls `each` for every element of a sequence of maps under `key`; a missing key is an empty sequence.
  // Returns whether a list was present.
  bool sequence(std::string_view key, bool required,
                const std::function<void(MapReader&, std::size_t)>& each);
  // Whether `key` is written (any value, null included); does not mark it read.
  [[nodiscard]] bool has(std::string_view key) const;
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
