#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "fix/recording_log.h"
#include "security/credentials.h"
#include "security/logon_guard.h"
#include "security/network.h"
#include "security/password_hash.h"
#include "security/secret_file.h"
#include "temp_dir.h"

namespace fixgate::security {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr int kFewIterations = kMinPbkdf2Iterations;  // tests stay fast; the format is the same

// ---------------------------------------------------------------------------------------------------------
// Password hashes

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  const auto hash = hashPassword("correct horse", kFewIterations);
  EXPECT_THAT(hash, ::testing::StartsWith("pbkdf2-sha256$1000$"));
  EXPECT_TRUE(verifyPassword("correct horse", hash));
  EXPECT_FALSE(verifyPassword("correct hors", hash));
  EXPECT_FALSE(verifyPassword("", hash));
  EXPECT_TRUE(checkHashFormat(hash).has_value());
}

TEST(PasswordHash, EveryHashHasItsOwnSalt) {
  EXPECT_NE(hashPassword("same", kFewIterations), hashPassword("same", kFewIterations));
}

TEST(PasswordHash, KnownVectorOfPbkdf2HmacSha256) {
  // The published PBKDF2-HMAC-SHA256 vector (P = "passwordPASSWORDpassword",
  // S = "saltSALTsaltSALTsaltSALTsaltSALTsalt", c = 4096), first 32 bytes: the stored format is that
  // function.
  const std::string encoded =
      "pbkdf2-sha256$4096$73616c7453414c5473616c7453414c5473616c7453414c5473616c7453414c5473616c74$"
      "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1";
  EXPECT_TRUE(verifyPassword("passwordPASSWORDpassword", encoded));
  EXPECT_FALSE(verifyPassword("passwordPASSWORDpassworD", encoded));
}

TEST(PasswordHash, MalformedHashesAreRefusedWithAReason) {
  EXPECT_THAT(checkHashFormat("plain-text-password").error(), HasSubstr("not of the form"));
  EXPECT_THAT(checkHashFormat("md5$1000$00112233445566778899aabbccddeeff$00").error(),
              HasSubstr("unknown scheme"));
  EXPECT_THAT(
      checkHashFormat("pbkdf2-sha256$10$00112233445566778899aabbccddeeff$" + std::string(64, 'a')).error(),
      HasSubstr("at least 1000"));
  EXPECT_THAT(checkHashFormat("pbkdf2-sha256$1000$zz$" + std::string(64, 'a')).error(), HasSubstr("salt"));
  EXPECT_THAT(checkHashFormat("pbkdf2-sha256$1000$00112233445566778899aabbccddeeff$abcd").error(),
              HasSubstr("64 hex digits"));
  EXPECT_FALSE(verifyPassword("anything", "plain-text-password"));
}

// ---------------------------------------------------------------------------------------------------------
// Networks

TEST(Network, CidrMatching) {
  const auto lan = parseNetwork("10.1.0.0/16");
  ASSERT_TRUE(lan.has_value());
  EXPECT_TRUE(contains(*lan, "10.1.200.3"));
  EXPECT_FALSE(contains(*lan, "10.2.0.1"));
  EXPECT_TRUE(contains(*lan, "::ffff:10.1.0.9"));  // IPv4-mapped
  const auto host = parseNetwork("127.0.0.1");
  ASSERT_TRUE(host.has_value());
  EXPECT_TRUE(contains(*host, "127.0.0.1"));
  EXPECT_FALSE(contains(*host, "127.0.0.2"));
  const auto v6 = parseNetwork("2001:db8::/32");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(contains(*v6, "2001:db8:1::5"));
  EXPECT_FALSE(contains(*v6, "2001:db9::5"));
  EXPECT_FALSE(contains(*v6, "10.1.0.1"));
  EXPECT_TRUE(contains(*parseNetwork("0.0.0.0/0"), "192.0.2.1"));
  EXPECT_FALSE(contains(*lan, ""));
  EXPECT_FALSE(contains(*lan, "not-an-address"));
}

TEST(Network, BadNetworksAreRefusedWithAReason) {
  EXPECT_THAT(parseNetwork("10.1.0.0/33").error(), HasSubstr("0 to 32"));
  EXPECT_THAT(parseNetwork("10.1.0.1/16").error(), HasSubstr("host bits"));
  EXPECT_THAT(parseNetwork("example.com").error(), HasSubstr("not an IPv4 or IPv6 address"));
  EXPECT_THAT(parseNetwork("10.1.0.0/x").error(), HasSubstr("prefix"));
}

// ---------------------------------------------------------------------------------------------------------
// Secret files and the credentials file

class SecretFiles : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& name, const std::string& text, mode_t mode) {
    const auto path = dir_ / name;
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
    return path;
  }
  std::filesystem::path dir_ = testing::makeTempDir("security");
  ~SecretFiles() override { std::filesystem::remove_all(dir_); }
};

TEST_F(SecretFiles, GroupOrWorldReadableSecretsAreRefusedWithTheFix) {
  EXPECT_TRUE(checkSecretFile(write("ok", "x", 0600), "the key").has_value());
  EXPECT_TRUE(checkSecretFile(write("ro", "x", 0400), "the key").has_value());
  const auto group = write("group", "x", 0640);
  EXPECT_THAT(checkSecretFile(group, "the key").error(),
              ::testing::AllOf(HasSubstr("the key"), HasSubstr("mode 0640"),
                               HasSubstr("chmod 600 " + group.string())));
  EXPECT_FALSE(checkSecretFile(write("world", "x", 0604), "the key").has_value());
  EXPECT_THAT(checkSecretFile(dir_ / "missing", "the key").error(), HasSubstr("cannot be read"));
  EXPECT_THAT(checkSecretFile(dir_, "the key").error(), HasSubstr("not a regular file"));
}

TEST_F(SecretFiles, CredentialsFileLoads) {
  const auto alice = hashPassword("a-secret", kFewIterations);
  const auto path =
      write("credentials",
            "# users\n\nalice:" + alice + "\nbob@acme:" + hashPassword("b", kFewIterations) + "\n", 0600);
  const auto loaded = loadCredentials(path);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->size(), 2u);
  EXPECT_EQ(loaded->at("alice"), alice);
}

TEST_F(SecretFiles, CredentialsFileErrorsNameTheirLines) {
  const std::string good = hashPassword("x", kFewIterations);
  const auto path = write("credentials",
                          "alice:" + good +
                              "\n"               // 1
                              "no colon here\n"  // 2
                              "bad user!:" +
                              good +
                              "\n"                 // 3
                              "carol:plaintext\n"  // 4
                              "alice:" +
                              good + "\n",  // 5
                          0600);
  const auto loaded = loadCredentials(path);
  ASSERT_FALSE(loaded.has_value());
  ASSERT_EQ(loaded.error().size(), 4u);
  EXPECT_EQ(loaded.error()[0].line, 2);
  EXPECT_EQ(loaded.error()[1].line, 3);
  EXPECT_EQ(loaded.error()[2].line, 4);
  EXPECT_THAT(loaded.error()[2].message, ::testing::AllOf(HasSubstr("carol"), Not(HasSubstr("plaintext"))));
  EXPECT_EQ(loaded.error()[3].line, 5);
  EXPECT_THAT(loaded.error()[3].message, HasSubstr("listed twice"));
}

TEST_F(SecretFiles, ReadableCredentialsFileIsRefused) {
  const auto path = write("credentials", "alice:" + hashPassword("x", kFewIterations) + "\n", 0644);
  const auto loaded = loadCredentials(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error()[0].line, 0);
  EXPECT_THAT(loaded.error()[0].message, HasSubstr("chmod 600"));
}

// ---------------------------------------------------------------------------------------------------------
// The logon guard

class Guard : public ::testing::Test {
 protected:
  Guard()
      : guard_({SessionLogonPolicy{"alice", {*parseNetwork("10.0.0.0/8")}}, SessionLogonPolicy{"", {}}},
               Credentials{{"alice", hashPassword("right", kFewIterations)}},
               LockoutPolicy{.max_failures = 3, .window = 60s, .lockout = 600s}) {}

  LogonDecision logon(std::size_t session, std::string_view address, std::optional<std::string_view> user,
                      std::optional<std::string_view> password, LogonGuard::Clock::time_point at) {
    return guard_.check(
        LogonAttempt{session, session == 0 ? "acme" : "open", address, user, password, std::nullopt}, at);
  }

  LogonGuard guard_;
  LogonGuard::Clock::time_point t0_ = LogonGuard::Clock::now();
};

TEST_F(Guard, RightUserPasswordAndAddressLogOn) {
  const auto d = logon(0, "10.1.2.3", "alice", "right", t0_);
  EXPECT_TRUE(d.accepted());
  EXPECT_THAT(d.operator_text, HasSubstr("accepted (user alice)"));
}

TEST_F(Guard, SessionWithoutUsernameNeedsNoCredentials) {
  EXPECT_TRUE(logon(1, "192.0.2.1", std::nullopt, std::nullopt, t0_).accepted());
}

TEST_F(Guard, WrongUsernameAndWrongPasswordLookTheSameToTheClient) {
  const auto wrong_password = logon(0, "10.1.2.3", "alice", "wrong", t0_);
  const auto wrong_user = logon(0, "10.1.2.4", "mallory", "right", t0_);
  const auto no_password = logon(0, "10.1.2.5", "alice", std::nullopt, t0_);
  for (const auto* d : {&wrong_password, &wrong_user, &no_password}) {
    EXPECT_EQ(d->outcome, LogonOutcome::BadCredentials);
    EXPECT_EQ(d->client_text, wrong_password.client_text);
    EXPECT_THAT(d->client_text, HasSubstr("Username (553) and Password (554)"));
  }
  // The operator is told exactly what was wrong, never the password.
  EXPECT_THAT(wrong_password.operator_text, HasSubstr("wrong Password (554)"));
  EXPECT_THAT(wrong_user.operator_text, HasSubstr("Username 'mallory' is not the session's"));
  EXPECT_THAT(no_password.operator_text, HasSubstr("no Password (554)"));
  EXPECT_THAT(wrong_password.operator_text, Not(HasSubstr("wrong\"")));
  EXPECT_THAT(wrong_user.operator_text, Not(HasSubstr("right")));
}

TEST_F(Guard, AddressOutsideTheAllowlistIsRefusedEvenWithTheRightPassword) {
  const auto d = logon(0, "192.0.2.1", "alice", "right", t0_);
  EXPECT_EQ(d.outcome, LogonOutcome::AddressNotAllowed);
  EXPECT_THAT(d.client_text, HasSubstr("may not log on from your network address"));
  EXPECT_THAT(d.operator_text, HasSubstr("192.0.2.1 is not in the session's allowed_addresses"));
}

TEST_F(Guard, RepeatedFailuresLockTheAddressOutThenExpire) {
  EXPECT_EQ(logon(0, "10.9.9.9", "alice", "w1", t0_).outcome, LogonOutcome::BadCredentials);
  EXPECT_EQ(logon(0, "10.9.9.9", "alice", "w2", t0_ + 1s).outcome, LogonOutcome::BadCredentials);
  const auto third = logon(0, "10.9.9.9", "alice", "w3", t0_ + 2s);
  EXPECT_THAT(third.operator_text, HasSubstr("locked out for 600 s"));
  // Locked: even the right password is refused, without a password check.
  const auto locked = logon(0, "10.9.9.9", "alice", "right", t0_ + 3s);
  EXPECT_EQ(locked.outcome, LogonOutcome::LockedOut);
  EXPECT_THAT(locked.client_text, HasSubstr("try again in 10 minute(s)"));
  // Other addresses are unaffected.
  EXPECT_TRUE(logon(0, "10.9.9.8", "alice", "right", t0_ + 3s).accepted());
  // After the lockout the right password works again.
  EXPECT_TRUE(logon(0, "10.9.9.9", "alice", "right", t0_ + 2s + 601s).accepted());
}

TEST_F(Guard, FailuresOutsideTheWindowDoNotAddUp) {
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(logon(0, "10.7.7.7", "alice", "wrong", t0_ + i * 61s).outcome, LogonOutcome::BadCredentials)
        << i;
  }
}

TEST_F(Guard, ASuccessfulLogonClearsEarlierFailures) {
  EXPECT_FALSE(logon(0, "10.6.6.6", "alice", "w", t0_).accepted());
  EXPECT_FALSE(logon(0, "10.6.6.6", "alice", "w", t0_ + 1s).accepted());
  EXPECT_TRUE(logon(0, "10.6.6.6", "alice", "right", t0_ + 2s).accepted());
  EXPECT_FALSE(logon(0, "10.6.6.6", "alice", "w", t0_ + 3s).accepted());
  EXPECT_EQ(logon(0, "10.6.6.6", "alice", "right", t0_ + 4s).outcome, LogonOutcome::Accepted);
}

TEST_F(Guard, CertificateMismatchesCountTowardTheLockoutWithTheRightPassword) {
  const auto attempt = [&](LogonGuard::Clock::time_point at) {
    return guard_.check(
        LogonAttempt{0, "acme", "10.5.5.5", "alice", "right", "the client certificate's subject CN is 'bob'"},
        at);
  };
  const auto first = attempt(t0_);
  EXPECT_EQ(first.outcome, LogonOutcome::CertificateMismatch);
  EXPECT_THAT(first.client_text, HasSubstr("requires the client certificate issued for it"));
  EXPECT_THAT(first.operator_text,
              HasSubstr("refused (certificate-mismatch): the client certificate's subject CN"));
  EXPECT_EQ(attempt(t0_ + 1s).outcome, LogonOutcome::CertificateMismatch);
  EXPECT_THAT(attempt(t0_ + 2s).operator_text, HasSubstr("locked out for 600 s"));
  // Locked: even the right certificate and password are refused now.
  EXPECT_EQ(logon(0, "10.5.5.5", "alice", "right", t0_ + 3s).outcome, LogonOutcome::LockedOut);
}

TEST_F(Guard, ConnectionsClosedBeforeLogonCountTowardTheLockout) {
  EXPECT_EQ(guard_.recordFailure("10.4.4.4", t0_), "");
  EXPECT_EQ(guard_.recordFailure("10.4.4.4", t0_ + 1s), "");
  // A refused Logon and the closures add up: the third failure locks the address out.
  const auto third = logon(0, "10.4.4.4", "alice", "wrong", t0_ + 2s);
  EXPECT_THAT(third.operator_text, HasSubstr("locked out for 600 s"));
  EXPECT_EQ(logon(0, "10.4.4.4", "alice", "right", t0_ + 3s).outcome, LogonOutcome::LockedOut);
  // Closures alone lock out too, and say so.
  EXPECT_EQ(guard_.recordFailure("10.3.3.3", t0_), "");
  EXPECT_EQ(guard_.recordFailure("10.3.3.3", t0_ + 1s), "");
  EXPECT_THAT(guard_.recordFailure("10.3.3.3", t0_ + 2s), HasSubstr("locked out for 600 s"));
  EXPECT_EQ(logon(0, "10.3.3.3", "alice", "right", t0_ + 3s).outcome, LogonOutcome::LockedOut);
  EXPECT_TRUE(logon(0, "10.3.3.2", "alice", "right", t0_ + 3s).accepted());
}

// ---------------------------------------------------------------------------------------------------------
// Passwords never reach the journal, the audit store or the file log

TEST(RecordedMessages, PasswordsAreMasked) {
  const std::string logon =
      "8=FIX.4.4\x01"
      "9=80\x01"
      "35=A\x01"
      "553=alice\x01"
      "554=s3cret\x01"
      "925=n3w\x01"
      "10=123\x01";
  const std::string masked = fix::withSecretsMasked(logon);
  EXPECT_EQ(masked,
            "8=FIX.4.4\x01"
            "9=80\x01"
            "35=A\x01"
            "553=alice\x01"
            "554=***\x01"
            "925=***\x01"
            "10=123\x01");
  EXPECT_EQ(fix::withSecretsMasked("8=FIX.4.4\x01"
                                   "35=D\x01"
                                   "58=1554=x\x01"),
            "8=FIX.4.4\x01"
            "35=D\x01"
            "58=1554=x\x01");
}

}  // namespace
}  // namespace fixgate::security
