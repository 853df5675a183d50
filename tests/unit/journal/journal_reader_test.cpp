// JournalReader: reading from any seq, "none yet" at the live tail, and following a writer that appends
// and switches segments concurrently, every record exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "journal_test_util.h"

namespace fixgate::journal {
namespace {

using namespace testutil;

TEST(JournalReader, StartsAtTheRequestedSeqInAnySegment) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 1'000);
  }
  for (std::uint64_t from : {1u, 2u, 500u, 999u, 1'000u}) {
    const auto records = readAll(dir.path(), from);
    ASSERT_EQ(records.size(), 1'001 - from) << from;
    EXPECT_EQ(records.front().seq, from);
    EXPECT_EQ(records.front().payload, payloadFor(from));
  }
  EXPECT_TRUE(readAll(dir.path(), 1'001).empty());
}

TEST(JournalReader, ReportsNoneYetUntilTheRecordArrives) {
  TempDir dir;
  auto reader = JournalReader::open(dir.path(), 11);  // before the journal even exists
  ASSERT_TRUE(reader) << reader.error().message;
  auto none = reader->next();
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);

  auto journal = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(journal);
  appendN(*journal, 1, 10);
  none = reader->next();
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none) << "seq 10 and before are skipped, 11 is not there yet";
  EXPECT_EQ(reader->nextSeq(), 11u);
  appendN(*journal, 11, 1);
  auto record = reader->next();
  ASSERT_TRUE(record && *record);
  EXPECT_EQ((*record)->seq, 11u);
  EXPECT_TRUE(std::ranges::equal((*record)->payload, payloadFor(11)));
}

TEST(JournalReader, RefusesASeqOlderThanTheOldestSegment) {
  TempDir dir;
  {
    auto journal = openOrDie(smallSettings(dir.path()));
    ASSERT_TRUE(journal);
    appendN(*journal, 1, 1'000);
  }
  std::filesystem::remove(segmentFiles(dir.path()).front());
  auto reader = JournalReader::open(dir.path(), 1);
  ASSERT_FALSE(reader);
  EXPECT_NE(reader.error().message.find("no longer"), std::string::npos) << reader.error().message;
}

TEST(JournalReader, FollowsALiveWriterAndSeesEveryRecordExactlyOnce) {
  TempDir dir;
  constexpr std::uint64_t kRecords = 3'000;  // about 10 segment switches while the reader follows
  auto journal = openOrDie(smallSettings(dir.path()));
  ASSERT_TRUE(journal);
  std::atomic<bool> writer_failed{false};
  std::thread writer([&] {
    for (std::uint64_t n = 1; n <= kRecords; ++n) {
      if (!journal->append(static_cast<std::uint16_t>(n % 7), static_cast<std::int64_t>(n), payloadFor(n))) {
        writer_failed = true;
        return;
      }
      if (n % 64 == 0) std::this_thread::yield();
    }
  });

  auto reader = JournalReader::open(dir.path());
  ASSERT_TRUE(reader) << reader.error().message;
  std::uint64_t expected = 1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (expected <= kRecords && std::chrono::steady_clock::now() < deadline && !writer_failed) {
    auto record = reader->next();
    ASSERT_TRUE(record) << record.error().message;
    if (!*record) {
      std::this_thread::yield();
      continue;
    }
    const auto& r = **record;
    ASSERT_EQ(r.seq, expected);
    ASSERT_EQ(r.ts_us, static_cast<std::int64_t>(expected));
    ASSERT_TRUE(std::ranges::equal(r.payload, payloadFor(expected))) << "seq " << expected;
    ++expected;
  }
  writer.join();
  EXPECT_FALSE(writer_failed);
  EXPECT_EQ(expected, kRecords + 1);
  auto after = reader->next();
  ASSERT_TRUE(after);
  EXPECT_FALSE(*after) << "nothing twice, nothing beyond the end";
}

}  // namespace
}  // namespace fixgate::journal
