// fixgate-db: applies and reports the audit schema's migrations (sql/NNN_name.sql, sql/README.md).
// Exit codes: 0 done / up to date, 1 refused or failed, 2 bad command line, 3 (status only) migrations
// pending.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <pqxx/pqxx>

#include <libpq-fe.h>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include "migrations.h"

namespace {

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;
constexpr int kPending = 3;

// The connection string as it may be shown: parsed by libpq (keyword=value or URI form) and printed back as
// keyword=value with any password masked. One libpq cannot parse is not shown at all.
std::string printableConninfo(const std::string& conninfo) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    if (error != nullptr) PQfreemem(error);
    return "(a connection string libpq cannot parse)";
  }
  std::string printable;
  for (const PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (option->val == nullptr) continue;
    if (!printable.empty()) printable += ' ';
    printable += option->keyword;
    printable += '=';
    printable += std::string_view(option->keyword) == "password" ? "***" : option->val;
  }
  PQconninfoFree(options);
  return printable;
}

std::string describe(pqxx::connection& connection) {
  const char* host = connection.hostname();
  return fmt::format("database {} on {}:{} as {}", connection.dbname(), host != nullptr ? host : "(default)",
                     connection.port(), connection.username());
}

std::unique_ptr<pqxx::connection> connect(const std::string& conninfo, int lock_timeout_s) {
  std::unique_ptr<pqxx::connection> connection;
  try {
    connection = std::make_unique<pqxx::connection>(conninfo);
  } catch (const pqxx::broken_connection& e) {
    throw std::runtime_error(fmt::format(
        "cannot connect to the database ({}): {}check --db (host, port, dbname, user, passfile) and that the "
        "server runs (for the private cluster: tools/pg/fixgate-pg.sh status DIR)",
        printableConninfo(conninfo), e.what()));
  }
  pqxx::nontransaction setup(*connection, "fixgate-db setup");
  setup.exec("SET application_name = 'fixgate-db'");
  setup.exec("SET client_min_messages = warning");
  setup.exec(fmt::format("SET lock_timeout = '{}s'", lock_timeout_s));
  setup.commit();
  return connection;
}

int runMigrate(const std::string& conninfo, const std::filesystem::path& dir, int lock_timeout_s) {
  const auto files = fixgate::db::loadMigrationFiles(dir);
  auto connection = connect(conninfo, lock_timeout_s);
  fmt::print("fixgate-db: {}; {} migration files in {}\n", describe(*connection), files.size(), dir.string());
  std::fflush(stdout);
  int applied = 0;
  try {
    applied = fixgate::db::applyPending(*connection, files, dir, [](const std::string& line) {
      fmt::print("fixgate-db: {}\n", line);
      std::fflush(stdout);
    });
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() == "55P03") {
      throw std::runtime_error(
          fmt::format("waited {}s for a lock, in vain: another fixgate-db migrate (or a session holding "
                      "locks on the audit "
                      "tables) is busy; let it finish and run migrate again (pg_locks shows who holds it)",
                      lock_timeout_s));
    }
    throw;
  }
  const int latest = files.back().version;
  if (applied == 0) {
    fmt::print(
        "fixgate-db: nothing to apply: all {} migrations are already applied (database at version {})\n",
        files.size(), latest);
  } else {
    fmt::print("fixgate-db: applied {} migration(s); database at version {}\n", applied, latest);
  }
  return kOk;
}

int runStatus(const std::string& conninfo, const std::filesystem::path& dir, int lock_timeout_s) {
  const auto files = fixgate::db::loadMigrationFiles(dir);
  auto connection = connect(conninfo, lock_timeout_s);
  pqxx::read_transaction tx(*connection, "fixgate-db status");
  const auto applied = fixgate::db::readApplied(tx);
  const auto plan = fixgate::db::makePlan(files, applied, dir);
  fmt::print("fixgate-db: {}; {} migration files in {}\n", describe(*connection), files.size(), dir.string());
  for (const auto& file : files) {
    const auto found = applied.find(file.version);
    if (found == applied.end()) {
      fmt::print("  pending  {}\n", file.file_name);
    } else if (found->second.sha256 != file.sha256) {
      fmt::print("  CHANGED  {}  applied {} by {}, file differs since\n", file.file_name,
                 found->second.applied_at, found->second.applied_by);
    } else {
      fmt::print("  applied  {}  {} by {}\n", file.file_name, found->second.applied_at,
                 found->second.applied_by);
    }
  }
  for (const auto& [version, migration] : applied) {
    const bool has_file =
        std::any_of(files.begin(), files.end(), [&](const auto& f) { return f.version == version; });
    if (!has_file)
      fmt::print("  UNKNOWN  {}  applied {} by {}, no such file\n", migration.name, migration.applied_at,
                 migration.applied_by);
  }
  if (!plan.problems.empty()) {
    for (const auto& problem : plan.problems) fmt::print(stderr, "fixgate-db: {}\n", problem);
    return kFailed;
  }
  if (!plan.pending.empty()) {
    fmt::print("fixgate-db: {} pending: apply with fixgate-db migrate\n", plan.pending.size());
    return kPending;
  }
  fmt::print("fixgate-db: up to date (version {})\n", files.back().version);
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fixgate-db: apply and report the audit schema's migrations (sql/NNN_name.sql) in PostgreSQL"};
  app.footer(
      "\nEach migration runs in its own transaction together with its row in audit.schema_migrations "
      "(version,\n"
      "name, SHA-256), under an advisory lock so that two migrators never race. Applied versions are "
      "skipped; a\n"
      "file changed after it was applied is refused, by name: add a new numbered migration instead.\n"
      "\nConnection strings are libpq's; keep passwords out of them with passfile= (the private cluster's\n"
      "tools/pg/fixgate-pg.sh conninfo DIR admin prints one).\n"
      "\nExit status: 0 done / up to date, 1 refused or failed, 2 bad command line, 3 (status) migrations "
      "pending.\n"
      "\nExamples:\n"
      "  fixgate-db migrate --db \"$(tools/pg/fixgate-pg.sh conninfo var/pg admin)\" --dir sql\n"
      "  fixgate-db status --db \"host=db.example port=5432 dbname=fixgate user=fixgate_admin\"\n");
  app.require_subcommand(1);
  std::string conninfo;
  std::filesystem::path dir = "sql";
  int lock_timeout_s = 60;
  auto add_common = [&](CLI::App* command) {
    command
        ->add_option("--db", conninfo, "libpq connection string of the audit database (a role that owns it)")
        ->required();
    command->add_option("--dir", dir, "folder of the NNN_name.sql migrations")->capture_default_str();
    command->add_option("--lock-timeout", lock_timeout_s, "seconds to wait for another migrator's lock")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
  };
  auto* migrate = app.add_subcommand("migrate", "apply the pending migrations, in order");
  add_common(migrate);
  auto* status =
      app.add_subcommand("status", "list applied and pending migrations (exit 3 when some are pending)");
  add_common(status);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kOk : kUsage;
  }

  try {
    if (migrate->parsed()) return runMigrate(conninfo, dir, lock_timeout_s);
    return runStatus(conninfo, dir, lock_timeout_s);
  } catch (const std::exception& e) {
    std::string message = e.what();
    while (!message.empty() && message.back() == '\n') message.pop_back();
    fmt::print(stderr, "fixgate-db: {}\n", message);
    return kFailed;
  }
}
