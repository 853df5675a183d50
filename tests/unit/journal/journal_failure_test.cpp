// The journal when the disk refuses: a segment that cannot be created or extended fails the journal, that
// append and every later call return the error, and nothing faults (preallocation before mapping).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "journal_test_util.h"

namespace fixgate::journal {
namespace {

using namespace testutil;

// Lowers the file size limit for the test's duration with SIGXFSZ ignored (so exceeding it is EFBIG, not
// death), and restores both.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    ::sigaction(SIGXFSZ, &ignore, &saved_action_);
    ::getrlimit(RLIMIT_FSIZE, &saved_limit_);
    rlimit lowered = saved_limit_;
    lowered.rlim_cur = bytes;
    ok_ = ::setrlimit(RLIMIT_FSIZE, &lowered) == 0;
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_limit_);
    ::sigaction(SIGXFSZ, &saved_action_, nullptr);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;
  [[nodiscard]] bool ok() const { return ok_; }

 private:
  struct sigaction saved_action_ {};
  rlimit saved_limit_{};
  bool ok_ = false;
};

TEST(JournalFailure, SegmentLargerThanAllowedFailsOpen) {
  TempDir dir;
  FileSizeLimit limit(kSmallSegment / 2);
  ASSERT_TRUE(limit.ok());
  auto journal = Journal::open(smallSettings(dir.path()));
  ASSERT_FALSE(journal);
  EXPECT_EQ(journal.error().kind, JournalErrorKind::Io);
  EXPECT_EQ(journal.error().system_errno, EFBIG);
  EXPECT_NE(journal.error().message.find("cannot preallocate"), std::string::npos) << journal.error().message;
  EXPECT_TRUE(segmentFiles(dir.path()).empty());
}

TEST(JournalFailure, DiskRefusingTheNextSegmentFailsTheJournalForGood) {
  TempDir dir;
  auto journal = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(journal);
  for (int i = 0; i < 5'000 && journal->counters().segments_prepared == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  FileSizeLimit limit(kSmallSegment / 2);
  ASSERT_TRUE(limit.ok());

  // The prepared segment takes the first switch; preparing the one after fails, so the second switch does.
  std::uint64_t appended = 0;
  std::optional<JournalError> error;
  for (std::uint64_t n = 1; n <= 10'000 && !error; ++n) {
    auto seq = journal->append(1, 1, payloadFor(n));
    if (seq) {
      appended = *seq;
    } else {
      error = seq.error();
    }
  }
  ASSERT_TRUE(error) << "no error after 10,000 appends";
  EXPECT_GT(appended, 200u);
  EXPECT_EQ(error->kind, JournalErrorKind::Io);
  EXPECT_EQ(error->system_errno, EFBIG);
  EXPECT_NE(error->message.find("cannot preallocate"), std::string::npos) << error->message;
  EXPECT_TRUE(journal->failed());
  EXPECT_GE(journal->counters().synchronous_preparations, 1u);

  for (int i = 0; i < 3; ++i) {
    auto again = journal->append(1, 1, payloadFor(1));
    ASSERT_FALSE(again) << "an append succeeded after the journal failed";
    EXPECT_EQ(again.error().message, error->message);
  }
  auto commit = journal->commit();
  ASSERT_FALSE(commit);
  EXPECT_EQ(commit.error().message, error->message);
  EXPECT_EQ(journal->lastSeq(), appended);

  // Everything acknowledged before the failure is intact.
  journal.reset();
  const auto records = readAll(dir.path());
  ASSERT_EQ(records.size(), appended);
  for (std::uint64_t n = 1; n <= appended; ++n) ASSERT_EQ(records[n - 1].payload, payloadFor(n));
}

}  // namespace
}  // namespace fixgate::journal
