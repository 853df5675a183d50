// fixgate-db migrate and status: every file applied once, in order, each recorded with its SHA-256; a second
// run applies nothing; an applied file that changed is refused by name; a failing file leaves nothing behind;
// two migrators at once apply each file once.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "audit_db_support.h"
#include "child_process.h"
#include "digest/sha256.h"

namespace fixgate::testing::audit_db {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct SqlFile {
  int version;
  std::string name;
  std::string sha256;
};

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The migrations of the repository's sql/, by version.
std::vector<SqlFile> repositoryMigrations() {
  std::vector<SqlFile> files;
  for (const auto& entry : std::filesystem::directory_iterator(PostgresUnderTest::sqlDir())) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    files.push_back({std::stoi(name.substr(0, name.find('_'))), name,
                     fixgate::digest::sha256Hex(readFile(entry.path()))});
  }
  std::sort(files.begin(), files.end(),
            [](const SqlFile& a, const SqlFile& b) { return a.version < b.version; });
  return files;
}

// A copy of sql/ under the test dir, to change without touching the repository.
std::filesystem::path copyOfSqlDir(const std::string& name) {
  const auto copy = cluster().dir() / name;
  std::filesystem::create_directories(copy);
  for (const auto& entry : std::filesystem::directory_iterator(PostgresUnderTest::sqlDir())) {
    if (entry.path().extension() == ".sql")
      std::filesystem::copy_file(entry.path(), copy / entry.path().filename());
  }
  return copy;
}

void appendTo(const std::filesystem::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::app);
  out << text;
}

std::vector<SqlFile> recorded(const std::string& database) {
  auto connection = connect(Role::Admin, database);
  pqxx::work tx(*connection);
  std::vector<SqlFile> rows;
  for (const auto& row :
       tx.exec("SELECT version, name, sha256 FROM audit.schema_migrations ORDER BY version")) {
    rows.push_back({row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::string>()});
  }
  return rows;
}

MATCHER_P(SameMigrations, expected, "") {
  if (arg.size() != expected.size()) {
    *result_listener << arg.size() << " rows, " << expected.size() << " files";
    return false;
  }
  for (std::size_t i = 0; i < arg.size(); ++i) {
    if (arg[i].version != expected[i].version || arg[i].name != expected[i].name ||
        arg[i].sha256 != expected[i].sha256) {
      *result_listener << "row " << i << " is " << arg[i].version << " " << arg[i].name << " "
                       << arg[i].sha256 << ", file " << expected[i].version << " " << expected[i].name << " "
                       << expected[i].sha256;
      return false;
    }
  }
  return true;
}

TEST(Migrations, ApplyInOrderOnAnEmptyDatabaseAndRecordEachFile) {
  cluster().createDatabase("mig_empty");
  const auto result = cluster().migrate("mig_empty");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto files = repositoryMigrations();
  ASSERT_GE(files.size(), 2u);
  std::size_t previous = 0;
  for (const SqlFile& file : files) {
    const auto at = result.output.find("applied " + file.name);
    ASSERT_NE(at, std::string::npos) << file.name << " not reported applied:\n" << result.output;
    EXPECT_GT(at, previous) << file.name << " reported out of order:\n" << result.output;
    previous = at;
  }
  EXPECT_THAT(recorded("mig_empty"), SameMigrations(files));
  EXPECT_EQ(queryValue(Role::Admin,
                       "SELECT count(*) FROM audit.schema_migrations "
                       "WHERE applied_by = 'fixgate_admin' AND applied_at > now() - interval '10 minutes'",
                       "mig_empty"),
            std::to_string(files.size()));
  // The roles got their grants in this database too.
  EXPECT_EQ(errorOf(Role::Writer, "SELECT audit.ensure_partitions(DATE '2031-04-01')", "mig_empty"), "");
}

TEST(Migrations, ASecondRunAppliesNothingAndSaysSo) {
  const auto before = recorded("fixgate");
  const auto result = cluster().migrate();
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_THAT(result.output, HasSubstr("nothing to apply")) << result.output;
  EXPECT_THAT(result.output, Not(HasSubstr("applied 0"))) << result.output;
  EXPECT_THAT(recorded("fixgate"), SameMigrations(before));
  EXPECT_THAT(recorded("fixgate"), SameMigrations(repositoryMigrations()));

  const auto status = cluster().fixgateDb(
      {"status", "--db", cluster().conninfo(Role::Admin), "--dir", PostgresUnderTest::sqlDir().string()});
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_THAT(status.output, HasSubstr("up to date"));
}

TEST(Migrations, AnAppliedFileThatChangedIsRefusedByName) {
  const auto dir = copyOfSqlDir("sql-changed");
  cluster().createDatabase("mig_changed");
  ASSERT_EQ(cluster().migrate("mig_changed", dir).exit_code, 0);

  appendTo(dir / "001_audit_schema.sql", "-- an edit after the fact\n");
  const auto result = cluster().migrate("mig_changed", dir);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("001_audit_schema.sql was changed after it was applied"))
      << result.output;
  EXPECT_THAT(result.output, HasSubstr("new migration")) << "the message must say what to do:\n"
                                                         << result.output;

  const auto status = cluster().fixgateDb(
      {"status", "--db", cluster().conninfo(Role::Admin, "mig_changed"), "--dir", dir.string()});
  EXPECT_EQ(status.exit_code, 1) << status.output;
  EXPECT_THAT(status.output, HasSubstr("CHANGED  001_audit_schema.sql"));
}

TEST(Migrations, StatusListsAppliedAndPendingAndMigrateAppliesTheRest) {
  const auto first_only = cluster().dir() / "sql-first";
  std::filesystem::create_directories(first_only);
  std::filesystem::copy_file(PostgresUnderTest::sqlDir() / "001_audit_schema.sql",
                             first_only / "001_audit_schema.sql");
  cluster().createDatabase("mig_partial");
  ASSERT_EQ(cluster().migrate("mig_partial", first_only).exit_code, 0);

  const std::vector<std::string> status_args{"status", "--db", cluster().conninfo(Role::Admin, "mig_partial"),
                                             "--dir", PostgresUnderTest::sqlDir().string()};
  const auto pending = cluster().fixgateDb(status_args);
  EXPECT_EQ(pending.exit_code, 3) << pending.output;
  EXPECT_THAT(pending.output, HasSubstr("applied  001_audit_schema.sql"));
  EXPECT_THAT(pending.output, HasSubstr("pending  002_roles.sql"));

  const auto rest = cluster().migrate("mig_partial");
  ASSERT_EQ(rest.exit_code, 0) << rest.output;
  EXPECT_THAT(rest.output, Not(HasSubstr("applied 001_audit_schema.sql")));
  EXPECT_THAT(rest.output, HasSubstr("applied 002_roles.sql"));
  EXPECT_EQ(cluster().fixgateDb(status_args).exit_code, 0);
}

TEST(Migrations, AFailingFileLeavesNothingOfItBehind) {
  const auto dir = copyOfSqlDir("sql-broken");
  appendTo(dir / "900_broken.sql",
           "CREATE TABLE audit.half_made (a integer);\nSELECT audit.no_such_function();\n");
  cluster().createDatabase("mig_broken");
  const auto result = cluster().migrate("mig_broken", dir);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("900_broken.sql failed and none of it was applied")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("no_such_function")) << result.output;
  EXPECT_EQ(queryValue(Role::Admin, "SELECT to_regclass('audit.half_made') IS NULL", "mig_broken"), "t");
  EXPECT_EQ(queryValue(Role::Admin, "SELECT count(*) FROM audit.schema_migrations WHERE version = 900",
                       "mig_broken"),
            "0");
  // The earlier files stay applied.
  EXPECT_THAT(recorded("mig_broken"), SameMigrations(repositoryMigrations()));
}

TEST(Migrations, FilesNotNamedByNumberAreRefused) {
  const auto dir = copyOfSqlDir("sql-misnamed");
  appendTo(dir / "extra.sql", "SELECT 1;\n");
  const auto result = cluster().migrate("fixgate", dir);
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_THAT(result.output, HasSubstr("extra.sql")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("NNN_name.sql")) << result.output;
}

TEST(Migrations, TwoMigratorsAtOnceApplyEachFileOnce) {
  cluster().createDatabase("mig_race");
  const std::vector<std::string> args{"migrate", "--db", cluster().conninfo(Role::Admin, "mig_race"), "--dir",
                                      PostgresUnderTest::sqlDir().string()};
  ChildProcess first("fixgate-db-1", PostgresUnderTest::fixgateDbBinary(), args,
                     cluster().nextLogFile("race-1"));
  ChildProcess second("fixgate-db-2", PostgresUnderTest::fixgateDbBinary(), args,
                      cluster().nextLogFile("race-2"));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while ((first.running() || second.running()) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(first.stop(), 0) << first.log();
  EXPECT_EQ(second.stop(), 0) << second.log();

  const auto files = repositoryMigrations();
  for (const SqlFile& file : files) {
    const std::string line = "applied " + file.name;
    const bool by_first = first.log().find(line) != std::string::npos;
    const bool by_second = second.log().find(line) != std::string::npos;
    EXPECT_NE(by_first, by_second) << file.name << " must be applied by exactly one migrator:\n"
                                   << first.log() << second.log();
  }
  EXPECT_THAT(recorded("mig_race"), SameMigrations(files));
}

}  // namespace
}  // namespace fixgate::testing::audit_db
