// No secret is ever committed under config/ (issue 6, point 4): private keys and certificates, password
// hashes, passwords in connection strings or YAML. Secrets live outside the repository (gateway.yaml says
// where) and the gateway checks their permissions at start.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// What a line gives away, or "" when it looks clean. Documentation may name the keys; it may not carry
// values.
std::string secretIn(std::string_view line) {
  const std::string l = lower(line);
  const auto comment = l.find('#');
  const std::string code = comment == std::string::npos ? l : l.substr(0, comment);
  if (l.find("-----begin") != std::string::npos) return "a PEM block (private key or certificate)";
  if (l.find("pbkdf2-sha256$") != std::string::npos && l.find("pbkdf2-sha256$...") == std::string::npos)
    return "a password hash";
  for (const std::string_view key : {"password=", "pgpassword=", "sslpassword="}) {
    if (const auto at = code.find(key); at != std::string::npos) {
      const auto value = code.substr(at + key.size());
      if (!value.empty() && value[0] != ' ' && value[0] != '"' && value[0] != '\'')
        return "a password in a connection string";
    }
  }
  for (const std::string_view key : {"password:", "secret:", "private_key:", "api_key:", "token:"}) {
    if (const auto at = code.find(key); at != std::string::npos) {
      std::string value = code.substr(at + key.size());
      value.erase(0, value.find_first_not_of(" \t"));
      if (!value.empty() && value != "\"\"" && value != "''" && value != "~")
        return "a secret-looking key with a value";
    }
  }
  if (l.find("554=") != std::string::npos && l.find("554=***") == std::string::npos)
    return "a FIX Password (554)";
  return {};
}

TEST(NoSecrets, TheDetectorCatchesWhatItShould) {
  EXPECT_NE(secretIn("-----BEGIN PRIVATE KEY-----"), "");
  EXPECT_NE(secretIn("alice:pbkdf2-sha256$600000$00ff$aa"), "");
  EXPECT_NE(secretIn("  database: \"host=x password=hunter2\""), "");
  EXPECT_NE(secretIn("  password: hunter2"), "");
  EXPECT_NE(secretIn("8=FIX.4.4|35=A|554=hunter2|"), "");
  EXPECT_EQ(secretIn("  # Never put a password here: use passfile= (mode 0600) or PGPASSWORD."), "");
  EXPECT_EQ(secretIn("  credentials_file: \"\""), "");
  EXPECT_EQ(secretIn("# one \"username:pbkdf2-sha256$...\" line per user"), "");
}

TEST(NoSecrets, NothingUnderConfigLooksLikeASecret) {
  const fs::path config = fs::path(FIXGATE_SOURCE_DIR) / "config";
  ASSERT_TRUE(fs::is_directory(config));
  std::vector<std::string> findings;
  std::size_t files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(config)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const auto name = entry.path().filename().string();
    for (const std::string_view ext : {".pem", ".key", ".crt", ".p12", ".pfx"}) {
      if (name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0)
        findings.push_back(entry.path().string() + ": a key or certificate file");
    }
    std::ifstream in(entry.path());
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      if (const auto what = secretIn(line); !what.empty())
        findings.push_back(entry.path().string() + ":" + std::to_string(number) + ": " + what);
    }
  }
  EXPECT_GT(files, 0u);
  for (const auto& f : findings) ADD_FAILURE() << f << " — secrets belong outside the repository";
}

}  // namespace
