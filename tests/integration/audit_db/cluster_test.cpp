// The private cluster itself (tools/pg/fixgate-pg.sh): passwords only in a private password file, SCRAM for
// every connection, idempotent init and start, and a crash (immediate stop) that loses no committed row.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "audit_db_support.h"

namespace fixgate::testing::audit_db {
namespace {

using ::testing::HasSubstr;

TEST(Cluster, PasswordsLiveOnlyInAPrivatePasswordFile) {
  const auto pgpass = cluster().clusterDir() / "pgpass";
  struct stat info {};
  ASSERT_EQ(stat(pgpass.c_str(), &info), 0) << pgpass;
  EXPECT_EQ(info.st_mode & 07777, 0600u) << "the password file must be readable by its owner only";
  EXPECT_EQ(info.st_uid, geteuid()) << "the password file belongs to whoever ran init, not to postgres";

  std::ifstream in(pgpass);
  std::stringstream text;
  text << in.rdbuf();
  for (const Role role : {Role::Admin, Role::Writer, Role::Compliance}) {
    EXPECT_THAT(text.str(), HasSubstr(fmt::format("*:*:*:{}:", PostgresUnderTest::roleName(role))));
  }
}

TEST(Cluster, EveryRoleLogsInWithItsPasswordFromThePasswordFile) {
  for (const Role role : {Role::Admin, Role::Writer, Role::Compliance}) {
    EXPECT_EQ(queryValue(role, "SELECT current_user"), PostgresUnderTest::roleName(role));
  }
  // And over TCP on the loopback port.
  pqxx::connection tcp(cluster().tcpConninfo(Role::Writer));
  pqxx::work tx(tcp);
  EXPECT_EQ(tx.exec("SELECT inet_server_addr()::text")[0][0].as<std::string>(), "127.0.0.1/32");
}

TEST(Cluster, ConnectionsWithoutTheRightPasswordAreRefused) {
  const std::string socket_host = (cluster().clusterDir() / "socket").string();
  const std::string no_password = fmt::format(
      "host={} port={} dbname=fixgate user=fixgate_admin passfile=/dev/null", socket_host, cluster().port());
  try {
    pqxx::connection connection(no_password);
    ADD_FAILURE() << "connected without a password";
  } catch (const pqxx::broken_connection& e) {
    EXPECT_THAT(e.what(), HasSubstr("no password supplied"));
  }
  try {
    pqxx::connection connection(no_password + " password=wrong");
    ADD_FAILURE() << "connected with a wrong password";
  } catch (const pqxx::broken_connection& e) {
    EXPECT_THAT(e.what(), HasSubstr("password authentication failed"));
  }
}

TEST(Cluster, InitAndStartOnARunningClusterChangeNothing) {
  const std::string dir = cluster().clusterDir().string();
  const auto init = cluster().script({"init", dir, "--port", std::to_string(cluster().port())});
  EXPECT_EQ(init.exit_code, 0) << init.output;
  EXPECT_THAT(init.output, HasSubstr("already holds a cluster")) << init.output;
  const auto start = cluster().script({"start", dir});
  EXPECT_EQ(start.exit_code, 0) << start.output;
  EXPECT_THAT(start.output, HasSubstr("already running")) << start.output;
  EXPECT_EQ(queryValue(Role::Writer, "SELECT 1"), "1");
}

TEST(Cluster, ConninfoPrintsTheSameConnectionStringAsTheFixture) {
  const auto printed = cluster().script({"conninfo", cluster().clusterDir().string(), "compliance"});
  ASSERT_EQ(printed.exit_code, 0) << printed.output;
  EXPECT_EQ(printed.output, cluster().conninfo(Role::Compliance) + "\n");
  const auto unknown = cluster().script({"conninfo", cluster().clusterDir().string(), "root"});
  EXPECT_NE(unknown.exit_code, 0);
  EXPECT_THAT(unknown.output, HasSubstr("unknown role 'root'"));
}

TEST(Cluster, HelpNamesEverySubcommand) {
  const auto help = cluster().script({"--help"});
  EXPECT_EQ(help.exit_code, 0) << help.output;
  for (const char* command : {"init DIR", "start DIR", "stop DIR", "status DIR", "conninfo DIR ROLE",
                              "migrate DIR", "backup DIR FILE", "restore DIR FILE"}) {
    EXPECT_THAT(help.output, HasSubstr(command));
  }
}

TEST(Cluster, CommittedRowsSurviveAnImmediateStopAndAFastOne) {
  const Day d = day(2031, 3, 1);
  insertRowInEveryTable(d, 1);

  cluster().kill();
  EXPECT_FALSE(cluster().running());
  EXPECT_THROW(connect(Role::Compliance), pqxx::broken_connection);
  cluster().start();
  ASSERT_TRUE(cluster().running());
  EXPECT_EQ(queryValue(Role::Compliance,
                       fmt::format("SELECT count(*) FROM audit.order_events WHERE trade_date = {}", d.sql())),
            "1");

  cluster().stop();
  EXPECT_FALSE(cluster().running());
  const auto stopped_again = cluster().script({"stop", cluster().clusterDir().string()});
  EXPECT_EQ(stopped_again.exit_code, 0) << stopped_again.output;
  EXPECT_THAT(stopped_again.output, HasSubstr("not running"));
  cluster().start();
  EXPECT_EQ(
      queryValue(Role::Compliance,
                 fmt::format("SELECT count(*) FROM audit.journal_records WHERE trade_date = {}", d.sql())),
      "1");
}

std::int64_t rowsOfDay(const Day& d, const std::string& database = "fixgate") {
  return std::stoll(queryValue(
      Role::Admin, fmt::format("SELECT count(*) FROM audit.journal_records WHERE trade_date = {}", d.sql()),
      database));
}

TEST(Cluster, ARestorePutsTheBackupBackAndKeepsTheDatabaseItReplaced) {
  const Day before = day(2031, 4, 1);
  const Day after = day(2031, 4, 2);
  insertRowInEveryTable(before, 1);
  const auto file = cluster().dir() / "audit.backup";
  const auto dir = cluster().clusterDir().string();
  const auto backup = cluster().script({"backup", dir, file.string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.output;
  EXPECT_THAT(backup.output, HasSubstr("journal records up to seq 1 at least"));
  EXPECT_FALSE(std::filesystem::exists(file.string() + ".partial"));
  insertRowInEveryTable(after, 2);

  const auto restore = cluster().script({"restore", dir, file.string()});
  ASSERT_EQ(restore.exit_code, 0) << restore.output;
  EXPECT_THAT(restore.output, HasSubstr("audit.journal_records ends at seq 1;"));
  EXPECT_EQ(rowsOfDay(before), 1);
  EXPECT_EQ(rowsOfDay(after), 0) << "the restored database holds a row written after the backup";
  // The roles have their privileges on it as before (the database's own come from the script, not the
  // dump), and the append-only triggers came back with it.
  EXPECT_EQ(
      queryValue(Role::Compliance,
                 fmt::format("SELECT count(*) FROM audit.order_events WHERE trade_date = {}", before.sql())),
      "1");
  EXPECT_EQ(queryValue(Role::Writer, "SELECT has_table_privilege('audit.order_events', 'INSERT')"), "t");
  EXPECT_EQ(queryValue(Role::Writer, "SELECT has_database_privilege(current_database(), 'TEMPORARY')"), "f");
  EXPECT_THAT(errorOf(Role::Admin, "DELETE FROM audit.journal_records"),
              HasSubstr("audit record change refused"));

  std::smatch kept;
  ASSERT_TRUE(std::regex_search(restore.output, kept, std::regex(R"(renamed (fixgate_old_[0-9_]+))")))
      << restore.output;
  EXPECT_EQ(rowsOfDay(after, kept[1].str()), 1) << "the replaced database was not kept as it was";
}

TEST(Cluster, ARestoreThatCannotReadItsFileChangesNothing) {
  const Day d = day(2031, 5, 1);
  insertRowInEveryTable(d, 1);
  const auto dir = cluster().clusterDir().string();
  const auto junk = cluster().dir() / "junk.backup";
  std::ofstream(junk) << "not a backup\n";

  const auto databases = [] {
    return queryValue(Role::Admin, "SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database");
  };
  const auto databases_before = databases();
  const auto refused = cluster().script({"restore", dir, junk.string()});
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_THAT(refused.output, HasSubstr("is not a backup made by fixgate-pg.sh backup"));
  EXPECT_THAT(refused.output, HasSubstr("nothing changed"));
  const auto missing = cluster().script({"restore", dir, (cluster().dir() / "none.backup").string()});
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_THAT(missing.output, HasSubstr("no backup file"));
  const auto bad_name = cluster().script({"backup", dir, junk.string(), "--database", "Fix;gate"});
  EXPECT_EQ(bad_name.exit_code, 1) << bad_name.output;
  EXPECT_THAT(bad_name.output, HasSubstr("--database 'Fix;gate'"));

  EXPECT_EQ(rowsOfDay(d), 1);
  EXPECT_EQ(databases(), databases_before) << "a failed restore added, removed or renamed a database";
}

}  // namespace
}  // namespace fixgate::testing::audit_db
