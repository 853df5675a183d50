#include "config/yaml_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

namespace fixgate::config {

std::string format(const ConfigError& e) {
  std::string where = e.file;
  if (e.line > 0) where += fmt::format(":{}", e.line);
  return e.key.empty() ? fmt::format("{}: {}", where, e.message)
                       : fmt::format("{}: {}: {}", where, e.key, e.message);
}

std::string formatAll(const std::vector<ConfigError>& errors) {
  std::string out;
  for (const auto& e : errors) out += format(e) + "\n";
  return out;
}

void ConfigErrors::add(int line, std::string key, std::string message) {
  errors_.push_back(ConfigError{file_, line, std::move(key), std::move(message)});
}

void ConfigErrors::add(const YAML::Node& node, std::string key, std::string message) {
  add(node.Mark().is_null() ? 0 : node.Mark().line + 1, std::move(key), std::move(message));
}

std::optional<YAML::Node> loadYamlFile(const std::string& path, ConfigErrors& errors) {
  if (!std::filesystem::exists(path)) {
    errors.add(0, "", "file not found; check the path (relative paths resolve against the main config file)");
    return std::nullopt;
  }
  try {
    return YAML::LoadFile(path);
  } catch (const YAML::ParserException& e) {
    errors.add(e.mark.line + 1, "", fmt::format("YAML syntax error: {}", e.msg));
  } catch (const YAML::Exception& e) {
    errors.add(0, "", fmt::format("cannot read YAML: {}", e.what()));
  }
  return std::nullopt;
}

std::optional<std::string> readFileBytes(const std::string& path, ConfigErrors& errors) {
  if (!std::filesystem::exists(path)) {
    errors.add(0, "", "file not found; check the path (relative paths resolve against the main config file)");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) {
    errors.add(0, "", "cannot read the file; check its permissions");
    return std::nullopt;
  }
  return bytes;
}

std::optional<YAML::Node> loadYamlText(const std::string& text, ConfigErrors& errors) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    errors.add(e.mark.line + 1, "", fmt::format("YAML syntax error: {}", e.msg));
  } catch (const YAML::Exception& e) {
    errors.add(0, "", fmt::format("cannot read YAML: {}", e.what()));
  }
  return std::nullopt;
}

MapReader::MapReader(const YAML::Node& node, std::string path, ConfigErrors& errors)
    // yaml-cpp throws on most calls on an undefined node (and on assigning over one), so an absent section is
    // replaced by an empty map before anything else touches it.
    : node_(node.IsDefined() && !node.IsNull() ? node : YAML::Node(YAML::NodeType::Map)),
      path_(std::move(path)),
      errors_(errors) {
  if (!node_.IsMap()) {
    errors_.add(node_, path_, "must be a map of key: value pairs");
    valid_ = false;
  }
}

MapReader::~MapReader() {
  if (!valid_) return;
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : node_) {
    const auto key = entry.first.as<std::string>("");
    // yaml-cpp keeps both entries of a repeated key and lookups see only the first: refuse the repeat.
    if (!seen.insert(key).second) {
      errors_.add(entry.first, keyPath(key), "key given twice in the same section; keep one");
      continue;
    }
    if (!read_.contains(key)) {
      errors_.add(entry.first, keyPath(key), "unknown key; check its spelling against the documented keys");
    }
  }
}

std::string MapReader::keyPath(std::string_view key) const {
  if (key.empty()) return path_;
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

int MapReader::line() const {
  return node_.Mark().is_null() ? 0 : node_.Mark().line + 1;
}

int MapReader::lineOf(std::string_view key) const {
  if (!valid_) return line();
  for (const auto& entry : node_) {
    if (entry.first.as<std::string>("") == key) return entry.first.Mark().line + 1;
  }
  return line();
}

std::optional<YAML::Node> MapReader::scalar(std::string_view key, bool required) {
  read_.emplace(key);
  if (!valid_) return std::nullopt;
  const YAML::Node value = std::as_const(node_)[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) {
    if (required) errors_.add(line(), keyPath(key), "required key is missing");
    return std::nullopt;
  }
  if (!value.IsScalar()) {
    errors_.add(value, keyPath(key), "must be a single value, not a list or map");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> MapReader::string(std::string_view key, std::optional<std::string> fallback) {
  auto value = scalar(key, !fallback.has_value());
  return value ? std::optional(value->Scalar()) : fallback;
}

std::optional<long long> MapReader::integer(std::string_view key, std::optional<long long> fallback,
                                            long long min, long long max) {
  auto value = scalar(key, !fallback.has_value());
  if (!value) return fallback;
  const auto& text = value->Scalar();
  long long parsed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    errors_.add(*value, keyPath(key), fmt::format("must be a whole number, got '{}'", text));
    return std::nullopt;
  }
  if (parsed < min || parsed > max) {
    errors_.add(*value, keyPath(key), fmt::format("must be between {} and {}, got {}", min, max, parsed));
    return std::nullopt;
  }
  return parsed;
}

std::optional<bool> MapReader::boolean(std::string_view key, std::optional<bool> fallback) {
  auto value = scalar(key, !fallback.has_value());
  if (!value) return fallback;
  const auto& text = value->Scalar();
  if (text == "true") return true;
  if (text == "false") return false;
  errors_.add(*value, keyPath(key), fmt::format("must be true or false, got '{}'", text));
  return std::nullopt;
}

std::optional<std::string> MapReader::decimal(std::string_view key, std::optional<std::string> fallback) {
  return string(key, std::move(fallback));
}

std::optional<long long> MapReader::positiveInteger(std::string_view key, bool required, long long max) {
  auto value = scalar(key, required);
  if (!value) return std::nullopt;
  const auto& text = value->Scalar();
  long long parsed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    errors_.add(*value, keyPath(key), fmt::format("must be a whole number, got '{}'", text));
    return std::nullopt;
  }
  if (parsed < 1) {
    errors_.add(*value, keyPath(key),
                fmt::format("must be greater than 0, got {}; a limit is never zero or negative", parsed));
    return std::nullopt;
  }
  if (parsed > max) {
    errors_.add(*value, keyPath(key), fmt::format("must be at most {}, got {}", max, parsed));
    return std::nullopt;
  }
  return parsed;
}

std::optional<core::Price> MapReader::positiveDecimal(std::string_view key, bool required) {
  auto value = scalar(key, required);
  if (!value) return std::nullopt;
  const auto& text = value->Scalar();
  const auto parsed = core::parsePrice(text);
  if (!parsed) {
    errors_.add(
        *value, keyPath(key),
        fmt::format("must be a decimal number such as 1000000 or 100.25 (at most 8 decimal places), got '{}'",
                    text));
    return std::nullopt;
  }
  if (parsed->units <= 0) {
    errors_.add(*value, keyPath(key),
                fmt::format("must be greater than 0, got {}; a limit is never zero or negative", text));
    return std::nullopt;
  }
  return parsed;
}

std::optional<double> MapReader::percent(std::string_view key, bool required) {
  auto value = scalar(key, required);
  if (!value) return std::nullopt;
  const auto& text = value->Scalar();
  const auto parsed = core::parsePrice(text);
  if (!parsed) {
    errors_.add(*value, keyPath(key), fmt::format("must be a percentage such as 70 or 12.5, got '{}'", text));
    return std::nullopt;
  }
  if (parsed->units <= 0 || parsed->units > 100 * core::Price::kScale) {
    errors_.add(*value, keyPath(key),
                fmt::format("must be a percentage above 0 and at most 100, got {}", text));
    return std::nullopt;
  }
  return parsed->toDouble();
}

std::optional<std::vector<ListItem>> MapReader::stringList(std::string_view key, bool required) {
  read_.emplace(key);
  if (!valid_) return std::nullopt;
  const YAML::Node value = std::as_const(node_)[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) {
    if (required) errors_.add(line(), keyPath(key), "required list is missing");
    return std::nullopt;
  }
  if (!value.IsSequence()) {
    errors_.add(value, keyPath(key), "must be a list such as [A, B], or [] for none");
    return std::nullopt;
  }
  std::vector<ListItem> items;
  bool ok = true;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const YAML::Node element = value[i];
    const auto element_key = fmt::format("{}[{}]", keyPath(key), i);
    if (!element.IsScalar() || element.Scalar().empty()) {
      errors_.add(element, element_key, "must be a name, not empty and not a list or map");
      ok = false;
      continue;
    }
    items.push_back(ListItem{element.Scalar(), element.Mark().line + 1, element_key});
  }
  if (!ok) return std::nullopt;
  return items;
}

bool MapReader::isNull(std::string_view key) {
  read_.emplace(key);
  if (!valid_) return false;
  const YAML::Node value = std::as_const(node_)[std::string(key)];
  return value.IsDefined() && value.IsNull();
}

bool MapReader::sequence(std::string_view key, bool required,
                         const std::function<void(MapReader&, std::size_t)>& each) {
  read_.emplace(key);
  if (!valid_) return false;
  const YAML::Node value = std::as_const(node_)[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) {
    if (required) errors_.add(line(), keyPath(key), "required list is missing");
    return false;
  }
  if (!value.IsSequence()) {
    errors_.add(value, keyPath(key), "must be a list (entries starting with '-')");
    return false;
  }
  for (std::size_t i = 0; i < value.size(); ++i) {
    MapReader element(value[i], fmt::format("{}[{}]", keyPath(key), i), errors_);
    if (element.valid_) each(element, i);
  }
  return true;
}

bool MapReader::has(std::string_view key) const {
  return valid_ && std::as_const(node_)[std::string(key)].IsDefined();
}

void MapReader::map(std::string_view key, bool required, const std::function<void(MapReader&)>& read) {
  read_.emplace(key);
  if (!valid_) return;
  const YAML::Node value = std::as_const(node_)[std::string(key)];
  if ((!value.IsDefined() || value.IsNull()) && required) {
    errors_.add(line(), keyPath(key), "required section is missing");
    return;
  }
  MapReader nested(value, keyPath(key), errors_);
  if (nested.valid_) read(nested);
}

}  // namespace fixgate::config
