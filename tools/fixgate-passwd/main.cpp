// fixgate-passwd: sets a user's password in the logon credentials file (security.credentials_file). The
// password is read from standard input (no echo on a terminal), never from the command line, and only its
// salted PBKDF2-SHA256 hash is written. The file is created with mode 0600 and replaced atomically.
#include <fmt/format.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "security/credentials.h"
#include "security/password_hash.h"

namespace {

// One line from stdin; without echo when stdin is a terminal.
std::string readPassword(const std::string& prompt) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  return password;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Set a user's password in fixgate's logon credentials file. The password is read from standard input "
      "(typed without echo on a terminal, or piped); only a salted PBKDF2-SHA256 hash is stored."};
  std::filesystem::path file;
  std::string user;
  int iterations = fixgate::security::kDefaultPbkdf2Iterations;
  bool remove = false;
  app.add_option("--file", file, "the credentials file (created with mode 0600 when missing)")->required();
  app.add_option("--user", user, "the username (client_sessions[].username in gateway.yaml)")->required();
  app.add_option("--iterations", iterations, "PBKDF2 iterations")
      ->check(CLI::Range(fixgate::security::kMinPbkdf2Iterations, 100'000'000))
      ->capture_default_str();
  app.add_flag("--remove", remove, "remove the user instead of setting a password");
  CLI11_PARSE(app, argc, argv);

  if (!fixgate::security::isValidUsername(user)) {
    std::cerr << "fixgate-passwd: the username must be 1 to 64 letters, digits, '.', '_', '-' or '@'\n";
    return 2;
  }
  // Keep every other line as it is (comments included); replace or drop this user's.
  std::vector<std::string> lines;
  bool found = false;
  if (std::filesystem::exists(file)) {
    if (auto existing = fixgate::security::loadCredentials(file); !existing) {
      for (const auto& e : existing.error())
        std::cerr << fmt::format("fixgate-passwd: {}:{}: {}\n", file.string(), e.line, e.message);
      std::cerr << "fixgate-passwd: fix the file first; nothing was changed\n";
      return 2;
    }
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(user + ":", 0) == 0) {
        found = true;
        continue;
      }
      lines.push_back(line);
    }
  }
  if (remove && !found) {
    std::cerr << fmt::format("fixgate-passwd: user {} is not in {}; nothing was changed\n", user,
                             file.string());
    return 1;
  }
  if (!remove) {
    const std::string password = readPassword(fmt::format("password for {}: ", user));
    if (password.size() < 12) {
      std::cerr << "fixgate-passwd: the password must have at least 12 characters; nothing was changed\n";
      return 2;
    }
    lines.push_back(user + ":" + fixgate::security::hashPassword(password, iterations));
  }
  const auto temp = std::filesystem::path(file.string() + ".tmp");
  {
    const mode_t old_mask = umask(077);
    std::ofstream out(temp, std::ios::trunc);
    umask(old_mask);
    for (const auto& line : lines) out << line << "\n";
    out.flush();
    if (!out) {
      std::cerr << fmt::format("fixgate-passwd: cannot write {}\n", temp.string());
      return 2;
    }
  }
  chmod(temp.c_str(), 0600);
  std::filesystem::rename(temp, file);
  std::cout << fmt::format("{} user {} in {}\n", remove ? "removed" : (found ? "updated" : "added"), user,
                           file.string());
  return 0;
}
