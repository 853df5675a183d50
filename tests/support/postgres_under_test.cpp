#include "postgres_under_test.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <pqxx/pqxx>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "child_process.h"
#include "tcp_ports.h"
#include "temp_dir.h"

namespace fixgate::testing {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

std::string tail(const std::string& text, std::size_t max_lines) {
  std::size_t start = text.size();
  std::size_t lines = 0;
  while (start > 0) {
    if (text[start - 1] == '\n' && start != text.size() && ++lines == max_lines) break;
    --start;
  }
  return text.substr(start);
}

std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// True while `pid` exists and is not a zombie (a daemon's zombie may linger when PID 1 does not reap).
bool processAlive(pid_t pid) {
  const std::string stat = readText(fmt::format("/proc/{}/stat", pid));
  const auto paren = stat.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
  const char state = stat[paren + 2];
  return state != 'Z' && state != 'X';
}

}  // namespace

CommandResult runCommand(const std::string& name, const std::filesystem::path& binary,
                         const std::vector<std::string>& args, const std::filesystem::path& log_file,
                         std::chrono::milliseconds timeout) {
  ChildProcess process(name, binary, args, log_file);
  CommandResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (process.running()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  result.exit_code = process.stop();
  result.output = process.log();
  if (result.timed_out) {
    result.output +=
        fmt::format("\n[{} ran over its {} ms timeout and was stopped]\n", name, timeout.count());
  }
  return result;
}

std::filesystem::path PostgresUnderTest::sqlDir() {
  return std::filesystem::path(FIXGATE_SOURCE_DIR) / "sql";
}
std::filesystem::path PostgresUnderTest::scriptPath() {
  return std::filesystem::path(FIXGATE_SOURCE_DIR) / "tools" / "pg" / "fixgate-pg.sh";
}
std::filesystem::path PostgresUnderTest::fixgateDbBinary() {
  return FIXGATE_DB_BINARY;
}

std::string PostgresUnderTest::roleName(Role role) {
  switch (role) {
    case Role::Admin:
      return "fixgate_admin";
    case Role::Writer:
      return "fixgate_writer";
    case Role::Compliance:
      return "fixgate_compliance";
  }
  throw std::invalid_argument("unknown PostgresUnderTest::Role");
}

PostgresUnderTest::PostgresUnderTest(Options options) : dir_(makeTempDir("fixgate-pg")) {
  // The server runs as the postgres user, which must be able to reach dir()/pg; mkdtemp made dir() 0700.
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                                         std::filesystem::perms::others_exec);
  try {
    port_ = freeTcpPort();
    runScriptOrThrow("init", {"init", clusterDir().string(), "--port", std::to_string(port_), "--fast"});
    start();
    if (options.migrate) {
      const CommandResult migrated = migrate();
      if (migrated.exit_code != 0) {
        throw std::runtime_error(
            fmt::format("fixgate-db migrate failed (exit {}):\n{}", migrated.exit_code, migrated.output));
      }
    }
  } catch (const std::exception& e) {
    shutdown();
    throw std::runtime_error(fmt::format("PostgresUnderTest in {}: {}\n--- server log:\n{}", dir_.string(),
                                         e.what(), serverLogTail()));
  }
}

PostgresUnderTest::~PostgresUnderTest() {
  shutdown();
  if (::testing::Test::HasFailure() || ::testing::UnitTest::GetInstance()->Failed()) {
    std::cerr << "test failed: keeping " << dir_.string() << " (server log in "
              << (clusterDir() / "log").string() << ", command logs)\n--- server log:\n"
              << serverLogTail(30) << "\n";
    return;
  }
  if (std::getenv("FIXGATE_KEEP_TEST_DIRS") != nullptr) {
    std::cerr << "FIXGATE_KEEP_TEST_DIRS set: keeping " << dir_.string() << "\n";
    return;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresUnderTest::conninfo(Role role, const std::string& database) const {
  return fmt::format("host={} port={} dbname={} user={} passfile={}", (clusterDir() / "socket").string(),
                     port_, database, roleName(role), (clusterDir() / "pgpass").string());
}

std::string PostgresUnderTest::tcpConninfo(Role role, const std::string& database) const {
  return fmt::format("host=127.0.0.1 port={} dbname={} user={} passfile={}", port_, database, roleName(role),
                     (clusterDir() / "pgpass").string());
}

std::filesystem::path PostgresUnderTest::nextLogFile(const std::string& name) {
  return dir_ / "logs" / fmt::format("{:03}-{}.log", ++commands_run_, name);
}

CommandResult PostgresUnderTest::script(const std::vector<std::string>& args,
                                        std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{scriptPath().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand("fixgate-pg.sh", "/bin/bash", argv,
                    nextLogFile("fixgate-pg-" + (args.empty() ? std::string("help") : args.front())),
                    timeout);
}

CommandResult PostgresUnderTest::fixgateDb(const std::vector<std::string>& args,
                                           std::chrono::milliseconds timeout) {
  return runCommand("fixgate-db", fixgateDbBinary(), args,
                    nextLogFile("fixgate-db-" + (args.empty() ? std::string("help") : args.front())),
                    timeout);
}

CommandResult PostgresUnderTest::migrate(const std::string& database, const std::filesystem::path& sql_dir) {
  return fixgateDb({"migrate", "--db", conninfo(Role::Admin, database), "--dir", sql_dir.string()});
}

void PostgresUnderTest::runScriptOrThrow(const std::string& what, const std::vector<std::string>& args) {
  const CommandResult result = script(args);
  if (result.exit_code != 0) {
    throw std::runtime_error(
        fmt::format("fixgate-pg.sh {} failed (exit {}):\n{}", what, result.exit_code, result.output));
  }
}

void PostgresUnderTest::start() {
  // The watcher stops the server if this process dies without running its destructors.
  runScriptOrThrow("start", {"start", clusterDir().string(), "--watch-pid", std::to_string(getpid())});
}

void PostgresUnderTest::stop() {
  runScriptOrThrow("stop", {"stop", clusterDir().string()});
}

void PostgresUnderTest::kill() {
  runScriptOrThrow("stop --immediate", {"stop", clusterDir().string(), "--immediate"});
}

bool PostgresUnderTest::running() {
  return script({"status", clusterDir().string()}).exit_code == 0;
}

void PostgresUnderTest::createDatabase(const std::string& name) {
  pqxx::connection connection(conninfo(Role::Admin, "postgres"));
  pqxx::nontransaction tx(connection);
  tx.exec("CREATE DATABASE " + tx.quote_name(name));
}

std::string PostgresUnderTest::serverLogTail(std::size_t max_lines) const {
  return tail(readText(clusterDir() / "log" / "postgresql.log"), max_lines);
}

void PostgresUnderTest::shutdown() noexcept {
  const auto pid_file = clusterDir() / "data" / "postmaster.pid";
  std::error_code error;
  if (!std::filesystem::exists(pid_file, error)) return;
  try {
    const CommandResult stopped = script({"stop", clusterDir().string()}, std::chrono::seconds(90));
    if (stopped.exit_code != 0)
      std::cerr << "PostgresUnderTest: fixgate-pg.sh stop failed:\n" << stopped.output;
  } catch (const std::exception& e) {
    std::cerr << "PostgresUnderTest: fixgate-pg.sh stop: " << e.what() << "\n";
  }
  // Still there? Then by PID: SIGQUIT is PostgreSQL's immediate shutdown, SIGKILL the last resort. Only a
  // postgres process of this cluster's data directory is signalled, never a PID reused by someone else.
  std::istringstream first_line(readText(pid_file));
  pid_t pid = 0;
  if (!(first_line >> pid) || pid <= 0 || !processAlive(pid)) return;
  const std::string cmdline = readText(fmt::format("/proc/{}/cmdline", pid));
  if (cmdline.find((clusterDir() / "data").string()) == std::string::npos) return;
  std::cerr << "PostgresUnderTest: server pid " << pid << " still running after stop: sending SIGQUIT\n";
  ::kill(pid, SIGQUIT);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (processAlive(pid) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(kPollInterval);
  if (processAlive(pid)) {
    std::cerr << "PostgresUnderTest: server pid " << pid << " ignored SIGQUIT: sending SIGKILL\n";
    ::kill(pid, SIGKILL);
  }
}

std::unique_ptr<PostgresUnderTest> PostgresEnvironment::instance_;

void PostgresEnvironment::SetUp() {
  try {
    instance_ = std::make_unique<PostgresUnderTest>(options_);
  } catch (const std::exception& e) {
    FAIL() << "could not set up the PostgreSQL cluster these tests need: " << e.what();
  }
}

void PostgresEnvironment::TearDown() {
  instance_.reset();
}

PostgresUnderTest& PostgresEnvironment::get() {
  if (!instance_)
    throw std::logic_error("PostgresEnvironment::get() outside the environment's SetUp..TearDown");
  return *instance_;
}

}  // namespace fixgate::testing
