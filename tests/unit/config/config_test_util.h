// Helpers shared by the configuration tests: edit a valid text one change at a time, find the line of what
// was changed, and assert an error names the expected file, line and key.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "config/yaml_reader.h"

namespace fixgate::config::testutil {

// Replaces the one occurrence of `from` (which must exist) with `to`.
inline std::string edit(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "test setup: '" << from << "' not found";
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// 1-based line of the first occurrence of `needle` (after `after`, when given).
inline int lineOf(const std::string& text, const std::string& needle, const std::string& after = "") {
  const auto start = after.empty() ? 0 : text.find(after);
  const auto at = text.find(needle, start == std::string::npos ? 0 : start);
  EXPECT_NE(at, std::string::npos) << "test setup: '" << needle << "' not found";
  if (at == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

inline std::string listErrors(const std::vector<ConfigError>& errors) {
  return errors.empty() ? std::string("(no errors)\n") : formatAll(errors);
}

// Passes when `errors` holds an error for `key` in `file` at `line` whose message contains `says`.
inline ::testing::AssertionResult hasError(const std::vector<ConfigError>& errors, const std::string& file,
                                           int line, const std::string& key, const std::string& says) {
  for (const auto& e : errors) {
    if (e.key != key) continue;
    if (e.file == file && e.line == line && e.message.find(says) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected " << file << ":" << line << ": " << key << ": ..."
                                         << says << "...\n  got " << format(e) << "\nall errors:\n"
                                         << listErrors(errors);
  }
  return ::testing::AssertionFailure() << "no error for key '" << key << "'; all errors:\n"
                                       << listErrors(errors);
}

}  // namespace fixgate::config::testutil
