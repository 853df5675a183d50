// A private PostgreSQL 15 cluster for tests of the audit store: created fresh in a temp dir with
// tools/pg/fixgate-pg.sh (init --fast, start on a free loopback port and its Unix socket), migrated with
// fixgate-db, and always stopped when the object goes away - also when the test fails; a watcher started with
// the server stops it (immediate mode) if the test process dies before any destructor runs.
//
// initdb costs a second or two, so create one per test binary, e.g. through PostgresEnvironment:
//
//   const auto* const kPostgres = ::testing::AddGlobalTestEnvironment(new
//   fixgate::testing::PostgresEnvironment); TEST(Audit, X) { pqxx::connection
//   c(fixgate::testing::PostgresEnvironment::get().conninfo(Role::Writer)); }
//
// A failed test keeps the temp dir (server log, command logs) and prints its path; FIXGATE_KEEP_TEST_DIRS=1
// keeps it for passing tests too.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace fixgate::testing {

// What a command that ran to completion (or was stopped) left behind.
struct CommandResult {
  int exit_code = -1;      // exit status, 128 + signal number when killed by a signal
  bool timed_out = false;  // it ran past its timeout and was stopped (SIGTERM, then SIGKILL)
  std::string output;      // its stdout and stderr together
};

// Runs `binary args...` to completion through ChildProcess (stopped by PID when over `timeout`), its output
// appended to `log_file`. Throws std::runtime_error when it cannot be started.
[[nodiscard]] CommandResult runCommand(const std::string& name, const std::filesystem::path& binary,
                                       const std::vector<std::string>& args,
                                       const std::filesystem::path& log_file,
                                       std::chrono::milliseconds timeout);

class PostgresUnderTest {
 public:
  enum class Role { Admin, Writer, Compliance };

  struct Options {
    bool migrate = true;  // apply sql/ with fixgate-db after the first start
  };

  // Creates, starts and (by default) migrates the cluster. Throws std::runtime_error with the command output
  // and the server log's tail when a step fails; whatever was started is stopped first.
  PostgresUnderTest() : PostgresUnderTest(Options{}) {}
  explicit PostgresUnderTest(Options options);
  ~PostgresUnderTest();
  PostgresUnderTest(const PostgresUnderTest&) = delete;
  PostgresUnderTest& operator=(const PostgresUnderTest&) = delete;

  // libpq connection string for `role` (fixgate_admin, fixgate_writer, fixgate_compliance) over the Unix
  // socket; the password comes from the cluster's password file (passfile=).
  [[nodiscard]] std::string conninfo(Role role, const std::string& database = "fixgate") const;
  // The same over TCP to 127.0.0.1:port().
  [[nodiscard]] std::string tcpConninfo(Role role, const std::string& database = "fixgate") const;
  [[nodiscard]] static std::string roleName(Role role);

  // The test's temp dir; the cluster lives in clusterDir() = dir()/pg (data/, socket/, log/, pgpass).
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_; }
  [[nodiscard]] std::filesystem::path clusterDir() const { return dir_ / "pg"; }
  [[nodiscard]] std::uint16_t port() const { return port_; }

  // Server control through fixgate-pg.sh; each throws std::runtime_error (with output and log) on failure.
  void start();  // no-op when running
  void stop();   // fast shutdown
  void kill();   // immediate shutdown (pg_ctl stop -m immediate): like a crash, recovery on the next start
  [[nodiscard]] bool running();

  // fixgate-pg.sh <args...> and fixgate-db <args...>, run to completion.
  [[nodiscard]] CommandResult script(const std::vector<std::string>& args,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(120));
  [[nodiscard]] CommandResult fixgateDb(const std::vector<std::string>& args,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(120));
  // fixgate-db migrate on `database` with the migrations in `sql_dir`.
  [[nodiscard]] CommandResult migrate(const std::string& database = "fixgate",
                                      const std::filesystem::path& sql_dir = sqlDir());

  // CREATE DATABASE `name` as fixgate_admin: an empty database to migrate from scratch.
  void createDatabase(const std::string& name);

  [[nodiscard]] std::string serverLogTail(std::size_t max_lines = 40) const;
  // A fresh path under dir() for a command's log.
  [[nodiscard]] std::filesystem::path nextLogFile(const std::string& name);

  [[nodiscard]] static std::filesystem::path sqlDir();
  [[nodiscard]] static std::filesystem::path scriptPath();
  [[nodiscard]] static std::filesystem::path fixgateDbBinary();

 private:
  void runScriptOrThrow(const std::string& what, const std::vector<std::string>& args);
  // Stops the server however it can: fixgate-pg.sh stop, then signals to the postmaster's PID.
  void shutdown() noexcept;

  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  int commands_run_ = 0;
};

// One PostgresUnderTest for the whole test binary: created in SetUp (a failure there fails the run and skips
// every test), destroyed in TearDown.
class PostgresEnvironment : public ::testing::Environment {
 public:
  explicit PostgresEnvironment(PostgresUnderTest::Options options = {}) : options_(options) {}
  void SetUp() override;
  void TearDown() override;

  // The cluster; throws std::logic_error outside SetUp..TearDown.
  [[nodiscard]] static PostgresUnderTest& get();

 private:
  PostgresUnderTest::Options options_;
  static std::unique_ptr<PostgresUnderTest> instance_;
};

}  // namespace fixgate::testing
