// The audit schema's migrations (sql/README.md): numbered files NNN_name.sql, applied in order, each in its
// own transaction together with its row in audit.schema_migrations, under an advisory lock so that two
// migrators cannot race; an applied file must never change (its SHA-256 is recorded and checked).
#pragma once

#include <pqxx/pqxx>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fixgate::db {

// One migration file as found on disk.
struct MigrationFile {
  int version = 0;
  std::string file_name;  // e.g. 001_audit_schema.sql; recorded as schema_migrations.name
  std::filesystem::path path;
  std::string sql;
  std::string sha256;  // lower-hex SHA-256 of the file's bytes
};

// One row of audit.schema_migrations.
struct AppliedMigration {
  int version = 0;
  std::string name;
  std::string sha256;
  std::string applied_at;
  std::string applied_by;
};

// The files NNN_name.sql of `dir` (NNN: one to nine digits), by version. Other files are ignored except
// ones ending in .sql, which are refused, as are two files with one version. Throws std::runtime_error with a
// message that names the file and says what to do.
[[nodiscard]] std::vector<MigrationFile> loadMigrationFiles(const std::filesystem::path& dir);

// Applied migrations by version; empty when audit.schema_migrations does not exist yet.
[[nodiscard]] std::map<int, AppliedMigration> readApplied(pqxx::transaction_base& tx);

// What the files and the database say together.
struct Plan {
  std::vector<const MigrationFile*> pending;  // not applied, in order
  std::vector<std::string> problems;          // each one a reason to refuse, with what to do
};
[[nodiscard]] Plan makePlan(const std::vector<MigrationFile>& files,
                            const std::map<int, AppliedMigration>& applied, const std::filesystem::path& dir);

// Where migrations are applied: the lock serialising migrators and the statements it runs first.
inline constexpr std::string_view kMigrationLockSql =
    "SELECT pg_advisory_xact_lock(hashtext('fixgate-db migrate'))";

// Applies the pending files, each in its own transaction with its schema_migrations row, re-planning under
// the lock before each one (another migrator may have applied it meanwhile). `report` receives one line per
// applied file. Returns how many were applied. Throws std::runtime_error (refusals, a failing file) or
// pqxx exceptions (connection lost).
int applyPending(pqxx::connection& connection, const std::vector<MigrationFile>& files,
                 const std::filesystem::path& dir, const std::function<void(const std::string&)>& report);

}  // namespace fixgate::db
