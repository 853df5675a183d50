// The admin command line, below the meaning of any verb: `verb key=value ...`, where a value may be quoted
// with "..." to hold spaces (inside quotes, \" and \\ are the only escapes). The server splits lines with
// it and the fixgate-admin tool quotes its arguments with it, so both sides share one grammar.
#pragma once

#include <cstddef>
#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace fixgate::admin {

struct Argument {
  std::string key;
  std::string value;
  std::size_t column = 0;  // 1-based position of the key in the line, for error messages
};

struct CommandLine {
  std::string verb;
  std::vector<Argument> args;
};

// Splits one line (without its newline). Errors name the column and what is wrong with the quoting.
std::expected<CommandLine, std::string> splitCommandLine(std::string_view line);

// The value as it must be written so splitCommandLine gives it back unchanged: bare when it can be,
// otherwise quoted and escaped.
std::string quoteValue(std::string_view value);

// Joins command-line words (a verb, then key=value words as a shell passed them) into one line, quoting
// values that need it. Refuses control characters: a newline in an argument would smuggle in a second
// command.
std::expected<std::string, std::string> joinWords(std::span<const std::string> words);

}  // namespace fixgate::admin
