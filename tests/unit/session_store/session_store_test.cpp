// The sessions' message store: sequence numbers and stored messages survive the process (a reopen stands in
// for a restart), resends see only what was sent since the last reset, and a FileStore's sequence numbers
// are taken over on the first start.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "session_store/session_store.h"
#include "temp_dir.h"

namespace fixgate::session_store {
namespace {

// A temp dir removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() : path_(fixgate::testing::makeTempDir("fixgate-session-store-")) {}
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<SessionStore> openStore(const std::filesystem::path& dir,
                                        const std::filesystem::path& legacy = {}) {
  auto store = SessionStore::open(dir, legacy);
  EXPECT_TRUE(store) << (store ? "" : store.error());
  return store ? std::move(*store) : nullptr;
}

std::vector<std::string> stored(const SessionStore& store, int begin, int end) {
  std::vector<std::string> out;
  store.get(begin, end, out);
  return out;
}

TEST(SessionStore, StartsAtOneAndKeepsSequenceNumbersAcrossARestart) {
  TempDir dir;
  {
    auto store = openStore(dir.path() / "s");
    ASSERT_TRUE(store);
    EXPECT_EQ(store->getNextSenderMsgSeqNum(), 1);
    EXPECT_EQ(store->getNextTargetMsgSeqNum(), 1);
    store->incrNextSenderMsgSeqNum();
    store->incrNextSenderMsgSeqNum();
    store->setNextTargetMsgSeqNum(41);
    store->incrNextTargetMsgSeqNum();
  }
  auto again = openStore(dir.path() / "s");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->getNextSenderMsgSeqNum(), 3);
  EXPECT_EQ(again->getNextTargetMsgSeqNum(), 42);
}

TEST(SessionStore, ResendReturnsTheStoredMessagesInOrderAcrossARestart) {
  TempDir dir;
  {
    auto store = openStore(dir.path() / "s");
    ASSERT_TRUE(store);
    for (int seq = 1; seq <= 5; ++seq) ASSERT_TRUE(store->set(seq, "msg-" + std::to_string(seq)));
  }
  auto store = openStore(dir.path() / "s");
  ASSERT_TRUE(store);
  EXPECT_EQ(stored(*store, 2, 4), (std::vector<std::string>{"msg-2", "msg-3", "msg-4"}));
  EXPECT_EQ(stored(*store, 5, 999), (std::vector<std::string>{"msg-5"}));
  EXPECT_TRUE(stored(*store, 6, 10).empty());
  ASSERT_TRUE(store->set(6, "msg-6"));  // the reopened store appends after what it found
  EXPECT_EQ(stored(*store, 1, 0x7fffffff).size(), 6u);
}

TEST(SessionStore, AResetForgetsEarlierMessagesAndStartsNumbersAtOne) {
  TempDir dir;
  auto store = openStore(dir.path() / "s");
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->set(1, "old-1"));
  ASSERT_TRUE(store->set(2, "old-2"));
  store->setNextSenderMsgSeqNum(3);
  const auto created = store->creationTimeMicros();
  store->reset();
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 1);
  EXPECT_EQ(store->getNextTargetMsgSeqNum(), 1);
  EXPECT_GE(store->creationTimeMicros(), created);
  EXPECT_TRUE(stored(*store, 1, 2).empty());
  ASSERT_TRUE(store->set(1, "new-1"));
  EXPECT_EQ(stored(*store, 1, 2), (std::vector<std::string>{"new-1"}));
  const auto ts = store->getCreationTime();
  EXPECT_EQ(static_cast<std::int64_t>(ts.getTimeT()), store->creationTimeMicros() / 1'000'000);
}

std::set<std::filesystem::path> messageSegments(const std::filesystem::path& store_dir) {
  std::set<std::filesystem::path> segments;
  for (const auto& entry : std::filesystem::directory_iterator(store_dir / "messages")) {
    if (entry.path().extension() == ".seg") segments.insert(entry.path());
  }
  return segments;
}

// About 3 segments (2 MiB each) of stored messages numbered 1..5000.
void storeManyMessages(SessionStore& store) {
  const std::string body(1000, 'x');
  for (int seq = 1; seq <= 5000; ++seq) ASSERT_TRUE(store.set(seq, std::to_string(seq) + body));
}

TEST(SessionStore, AResetRemovesTheSegmentsHoldingOnlyMessagesFromBeforeIt) {
  TempDir dir;
  const auto store_dir = dir.path() / "s";
  auto store = openStore(store_dir);
  ASSERT_TRUE(store);
  storeManyMessages(*store);
  ASSERT_GE(messageSegments(store_dir).size(), 3u);
  store->reset();
  ASSERT_EQ(messageSegments(store_dir).size(), 1u) << "only the segment holding the reset is kept";
  ASSERT_TRUE(store->set(1, "new-1"));
  EXPECT_EQ(stored(*store, 1, 5000), (std::vector<std::string>{"new-1"}));
  store.reset();
  auto reopened = openStore(store_dir);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(stored(*reopened, 1, 5000), (std::vector<std::string>{"new-1"}));
  EXPECT_EQ(reopened->getNextSenderMsgSeqNum(), 1);
}

TEST(SessionStore, SegmentsLeftFromBeforeTheLastResetAreRemovedAtOpen) {
  TempDir dir;
  const auto store_dir = dir.path() / "s";
  const auto aside = dir.path() / "aside";
  std::filesystem::create_directories(aside);
  {
    auto store = openStore(store_dir);
    ASSERT_TRUE(store);
    storeManyMessages(*store);
    for (const auto& segment : messageSegments(store_dir)) {
      std::filesystem::copy_file(segment, aside / segment.filename());
    }
    store->reset();
  }
  // As if the process had stopped between the reset and the clean-up: put back what the reset removed.
  std::size_t put_back = 0;
  for (const auto& entry : std::filesystem::directory_iterator(aside)) {
    const auto target = store_dir / "messages" / entry.path().filename();
    if (std::filesystem::exists(target)) continue;
    std::filesystem::copy_file(entry.path(), target);
    ++put_back;
  }
  ASSERT_GE(put_back, 2u);
  auto reopened = openStore(store_dir);
  ASSERT_TRUE(reopened);
  EXPECT_EQ(messageSegments(store_dir).size(), 1u);
  EXPECT_TRUE(stored(*reopened, 1, 5000).empty());
}

TEST(SessionStore, TakesOverAFileStoresSequenceNumbersOnlyWhenNew) {
  TempDir dir;
  const auto legacy = dir.path() / "FIX.4.4-FIXGATE-C44A.seqnums";
  std::ofstream(legacy) << "0000000017 : 0000000023";
  // The creation time comes over too: QuickFIX resets a session created before today's session period.
  std::ofstream(dir.path() / "FIX.4.4-FIXGATE-C44A.session") << "20261204-18:30:05.123";
  {
    auto store = openStore(dir.path() / "s", legacy);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->getNextSenderMsgSeqNum(), 17);
    EXPECT_EQ(store->getNextTargetMsgSeqNum(), 23);
    EXPECT_EQ(store->creationTimeMicros(), 1'796'409'005'000'000);  // 2026-12-04 18:30:05 UTC
    store->incrNextSenderMsgSeqNum();
  }
  std::ofstream(legacy) << "0000000099 : 0000000099";  // read once, on the first start only
  auto store = openStore(dir.path() / "s", legacy);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 18);
  EXPECT_EQ(store->getNextTargetMsgSeqNum(), 23);
}

TEST(SessionStore, WithoutTheFileStoresCreationTimeTheSessionCountsAsOld) {
  TempDir dir;
  const auto legacy = dir.path() / "FIX.4.4-FIXGATE-C44B.seqnums";
  std::ofstream(legacy) << "0000000005 : 0000000006";
  auto store = openStore(dir.path() / "s", legacy);
  ASSERT_TRUE(store);
  EXPECT_EQ(store->getNextSenderMsgSeqNum(), 5);
  EXPECT_EQ(store->creationTimeMicros(), 0);  // QuickFIX then decides at logon whether the day rolled
}

TEST(SessionStore, ATornTailIsRepairedNotFatal) {
  TempDir dir;
  {
    auto store = openStore(dir.path() / "s");
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->set(1, "kept"));
    ASSERT_TRUE(store->set(2, "torn"));
  }
  // Garbage after the last record, as a machine crash in the middle of an append can leave.
  std::filesystem::path segment;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "s" / "messages")) {
    if (entry.path().extension() == ".seg") segment = entry.path();
  }
  ASSERT_FALSE(segment.empty());
  {
    std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(65536);
    file << "not a record at all";
  }
  auto store = openStore(dir.path() / "s");
  ASSERT_TRUE(store);
  EXPECT_EQ(stored(*store, 1, 2).front(), "kept");
}

TEST(SessionStore, AForeignPageIsRefusedWithWhatToDo) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "s");
  std::ofstream(dir.path() / "s" / "seqnums") << std::string(4096, 'x');
  auto store = SessionStore::open(dir.path() / "s");
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().find("is not a fixgate session store page; move it away"), std::string::npos)
      << store.error();
}

TEST(SessionStore, FactoryNamesEachSessionsDirectoryLikeFileStore) {
  TempDir dir;
  SessionStoreFactory factory(dir.path() / "sessions", dir.path() / "store");
  const FIX::SessionID id("FIX.4.4", "FIXGATE", "C44A");
  EXPECT_EQ(storePrefix(id), "FIX.4.4-FIXGATE-C44A");
  FIX::MessageStore* store = factory.create(id);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "sessions" / "FIX.4.4-FIXGATE-C44A" / "seqnums"));
  factory.destroy(store);
}

}  // namespace
}  // namespace fixgate::session_store
