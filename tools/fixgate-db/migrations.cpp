#include "migrations.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "digest/sha256.h"

namespace fixgate::db {
namespace {

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error(
        fmt::format("cannot read {}: check that it exists and is readable", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error(fmt::format("error reading {}", path.string()));
  return text.str();
}

std::string shortHash(const std::string& hash) {
  return hash.substr(0, 12);
}

// The version of a file named NNN_name.sql (1 to 9 digits, an underscore, a name of [A-Za-z0-9_.-]).
std::optional<int> migrationVersion(std::string_view name) {
  constexpr std::string_view kSuffix = ".sql";
  if (!name.ends_with(kSuffix)) return std::nullopt;
  name.remove_suffix(kSuffix.size());
  const auto underscore = name.find('_');
  if (underscore == std::string_view::npos || underscore == 0 || underscore > 9) return std::nullopt;
  const std::string_view digits = name.substr(0, underscore);
  const std::string_view rest = name.substr(underscore + 1);
  if (rest.empty()) return std::nullopt;
  for (const char c : rest) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') return std::nullopt;
  }
  int version = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return version;
}

}  // namespace

std::vector<MigrationFile> loadMigrationFiles(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    throw std::runtime_error(
        fmt::format("migrations directory {} does not exist or is not a directory: pass --dir with the "
                    "repository's sql/ folder",
                    dir.string()));
  }
  std::vector<MigrationFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".sql")) continue;
    const auto version = migrationVersion(name);
    if (!version) {
      throw std::runtime_error(fmt::format(
          "{} in {} is not named NNN_name.sql (a number, an underscore, a name): rename it or move it out",
          name, dir.string()));
    }
    MigrationFile file;
    file.version = *version;
    file.file_name = name;
    file.path = entry.path();
    file.sql = readFile(entry.path());
    file.sha256 = fixgate::digest::sha256Hex(file.sql);
    files.push_back(std::move(file));
  }
  std::sort(files.begin(), files.end(),
            [](const MigrationFile& a, const MigrationFile& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < files.size(); ++i) {
    if (files[i].version == files[i - 1].version) {
      throw std::runtime_error(fmt::format("{} and {} in {} have the same version {}: renumber one of them",
                                           files[i - 1].file_name, files[i].file_name, dir.string(),
                                           files[i].version));
    }
  }
  if (files.empty()) {
    throw std::runtime_error(fmt::format(
        "no migrations (NNN_name.sql) in {}: pass --dir with the repository's sql/ folder", dir.string()));
  }
  return files;
}

std::map<int, AppliedMigration> readApplied(pqxx::transaction_base& tx) {
  std::map<int, AppliedMigration> applied;
  if (tx.exec("SELECT to_regclass('audit.schema_migrations') IS NULL")[0][0].as<bool>()) return applied;
  const pqxx::result rows = tx.exec(
      "SELECT version, name, sha256, to_char(applied_at AT TIME ZONE 'UTC', "
      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
      "applied_by FROM audit.schema_migrations ORDER BY version");
  for (const auto& row : rows) {
    AppliedMigration migration;
    migration.version = row[0].as<int>();
    migration.name = row[1].as<std::string>();
    migration.sha256 = row[2].as<std::string>();
    migration.applied_at = row[3].as<std::string>();
    migration.applied_by = row[4].as<std::string>();
    applied.emplace(migration.version, std::move(migration));
  }
  return applied;
}

Plan makePlan(const std::vector<MigrationFile>& files, const std::map<int, AppliedMigration>& applied,
              const std::filesystem::path& dir) {
  Plan plan;
  std::map<int, const MigrationFile*> by_version;
  for (const MigrationFile& file : files) by_version.emplace(file.version, &file);
  const int highest_applied = applied.empty() ? 0 : applied.rbegin()->first;

  for (const auto& [version, migration] : applied) {
    const auto found = by_version.find(version);
    if (found == by_version.end()) {
      plan.problems.push_back(fmt::format(
          "the database has migration {} ({}, applied {} by {}) but {} has no file with that version: this "
          "fixgate is older than the database, or --dir is not the sql/ folder that migrated it",
          version, migration.name, migration.applied_at, migration.applied_by, dir.string()));
      continue;
    }
    const MigrationFile& file = *found->second;
    if (file.sha256 != migration.sha256) {
      plan.problems.push_back(fmt::format(
          "{} was changed after it was applied (applied {} by {} with sha256 {}, the file now has {}): an "
          "applied "
          "migration must never change; restore it (e.g. git checkout -- {}) and put the change in a new "
          "migration with the next number",
          file.path.string(), migration.applied_at, migration.applied_by, shortHash(migration.sha256),
          shortHash(file.sha256), file.path.string()));
    }
  }
  for (const MigrationFile& file : files) {
    if (applied.contains(file.version)) continue;
    if (file.version < highest_applied) {
      plan.problems.push_back(
          fmt::format("{} is not applied but the later migration {} is: migrations apply in order only; "
                      "renumber it above {}",
                      file.file_name, highest_applied, highest_applied));
      continue;
    }
    plan.pending.push_back(&file);
  }
  return plan;
}

int applyPending(pqxx::connection& connection, const std::vector<MigrationFile>& files,
                 const std::filesystem::path& dir, const std::function<void(const std::string&)>& report) {
  int applied_now = 0;
  // Each round applies one file; there are never more rounds than files (plus the last, empty one).
  for (std::size_t round = 0; round <= files.size(); ++round) {
    pqxx::work tx(connection, "fixgate-db migrate");
    tx.exec(std::string(kMigrationLockSql));
    const Plan plan = makePlan(files, readApplied(tx), dir);
    if (!plan.problems.empty()) {
      std::string message = "refused, nothing more applied:";
      for (const std::string& problem : plan.problems) message += "\n  " + problem;
      throw std::runtime_error(message);
    }
    if (plan.pending.empty()) return applied_now;
    const MigrationFile& file = *plan.pending.front();
    try {
      tx.exec(file.sql, file.file_name);
    } catch (const pqxx::sql_error& e) {
      throw std::runtime_error(fmt::format(
          "{} failed and none of it was applied (earlier migrations stay applied): {}fix the file (it is not "
          "applied anywhere yet, so it may still change) and run migrate again",
          file.path.string(), e.what()));
    }
    tx.exec_params("INSERT INTO audit.schema_migrations (version, name, sha256) VALUES ($1, $2, $3)",
                   file.version, file.file_name, file.sha256);
    tx.commit();
    ++applied_now;
    report(fmt::format("applied {} (version {}, sha256 {})", file.file_name, file.version,
                       shortHash(file.sha256)));
  }
  throw std::logic_error("fixgate-db: migrations still pending after one round per file");
}

}  // namespace fixgate::db
