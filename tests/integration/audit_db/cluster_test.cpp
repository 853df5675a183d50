// The private cluster itself (tools/pg/fixgate-pg.sh): passwords only in a private password file, SCRAM for
// every connection, idempotent init and start, and a crash (immediate stop) that loses no committed row.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
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
  for (const char* command :
       {"init DIR", "start DIR", "stop DIR", "status DIR", "conninfo DIR ROLE", "migrate DIR"}) {
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

}  // namespace
}  // namespace fixgate::testing::audit_db
