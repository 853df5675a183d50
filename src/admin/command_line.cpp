#include "admin/command_line.h"

#include <fmt/format.h>

namespace fixgate::admin {
namespace {

bool isBlank(char c) {
  return c == ' ' || c == '\t';
}

// Control characters would end up in logs and the audit trail; tab is allowed only as a separator.
bool isControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u < 0x20 && c != '\t') || u == 0x7f;
}

// Reads a "..." value starting at line[pos] == '"'; leaves pos just past the closing quote.
std::expected<std::string, std::string> readQuoted(std::string_view line, std::size_t& pos,
                                                   std::string_view key) {
  const std::size_t open = pos++;
  std::string value;
  while (pos < line.size()) {
    const char c = line[pos++];
    if (c == '"') {
      if (pos < line.size() && !isBlank(line[pos])) {
        return std::unexpected(
            fmt::format("bad quoting: text right after the closing quote of {}= at column {}", key, pos + 1));
      }
      return value;
    }
    if (c == '\\') {
      if (pos == line.size()) break;
      const char escaped = line[pos++];
      if (escaped != '"' && escaped != '\\') {
        return std::unexpected(fmt::format(
            "bad quoting: unknown escape \\{} in {}= at column {} (only \\\" and \\\\ are escapes)", escaped,
            key, pos - 1));
      }
      value.push_back(escaped);
      continue;
    }
    value.push_back(c);
  }
  return std::unexpected(
      fmt::format("bad quoting: unterminated quote in {}= opened at column {}", key, open + 1));
}

// Reads a bare value up to the next blank; a quote inside one is a mistake, not a character.
std::expected<std::string, std::string> readBare(std::string_view line, std::size_t& pos,
                                                 std::string_view key) {
  const std::size_t start = pos;
  while (pos < line.size() && !isBlank(line[pos])) {
    if (line[pos] == '"') {
      return std::unexpected(
          fmt::format("bad quoting: stray quote in {}= at column {}; quote the whole value: {}=\"...\"", key,
                      pos + 1, key));
    }
    ++pos;
  }
  return std::string(line.substr(start, pos - start));
}

std::expected<Argument, std::string> readArgument(std::string_view line, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < line.size() && line[pos] != '=' && !isBlank(line[pos])) ++pos;
  const std::string_view key = line.substr(start, pos - start);
  if (pos == line.size() || line[pos] != '=') {
    return std::unexpected(
        fmt::format("unknown argument \"{}\" at column {}: arguments are key=value", key, start + 1));
  }
  if (key.empty())
    return std::unexpected(fmt::format("an argument at column {} has no key before =", start + 1));
  if (key.find('"') != std::string_view::npos) {
    return std::unexpected(fmt::format("bad quoting: quote in the key \"{}\" at column {}", key, start + 1));
  }
  ++pos;  // '='
  auto value = pos < line.size() && line[pos] == '"' ? readQuoted(line, pos, key) : readBare(line, pos, key);
  if (!value) return std::unexpected(value.error());
  return Argument{std::string(key), std::move(*value), start + 1};
}

}  // namespace

std::expected<CommandLine, std::string> splitCommandLine(std::string_view line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (isControl(line[i])) {
      return std::unexpected(
          fmt::format("control character 0x{:02x} at column {}", static_cast<unsigned char>(line[i]), i + 1));
    }
  }
  CommandLine out;
  std::size_t pos = 0;
  while (pos < line.size() && isBlank(line[pos])) ++pos;
  const std::size_t verb_start = pos;
  while (pos < line.size() && !isBlank(line[pos])) ++pos;
  out.verb = line.substr(verb_start, pos - verb_start);
  while (true) {
    while (pos < line.size() && isBlank(line[pos])) ++pos;
    if (pos == line.size()) break;
    auto arg = readArgument(line, pos);
    if (!arg) return std::unexpected(arg.error());
    out.args.push_back(std::move(*arg));
  }
  return out;
}

std::string quoteValue(std::string_view value) {
  const bool bare = !value.empty() && value.find_first_of(" \t\"") == std::string_view::npos;
  if (bare) return std::string(value);
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::expected<std::string, std::string> joinWords(std::span<const std::string> words) {
  std::string line;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    for (const char c : word) {
      if (isControl(c)) {
        return std::unexpected(fmt::format(
            "argument {} (\"{}\") contains a control character such as a newline; a command is one line",
            i + 1, word.substr(0, word.find_first_of("\r\n"))));
      }
    }
    if (!line.empty()) line.push_back(' ');
    const auto eq = word.find('=');
    // The verb, and words that are not key=value, go as they are: the gateway names what is wrong with them.
    if (i == 0 || eq == std::string::npos) {
      line += word;
    } else {
      line += word.substr(0, eq + 1);
      line += quoteValue(std::string_view(word).substr(eq + 1));
    }
  }
  return line;
}

}  // namespace fixgate::admin
