// QuickFIX's message store for fixgate's sessions, without a system call per message.
//
// QuickFIX's FileStore writes and flushes its files for every message in and out (a stored message, and the
// sequence numbers on each side): several blocking writes on the order path per order, measured at about a
// fifth of the gateway's CPU per request and most of its in-gateway latency. This store keeps:
//   - the sequence numbers and the session's creation time in one memory-mapped page (a store is a memcpy);
//   - each outgoing message in a journal of its own (src/journal: a memcpy into a mapped, preallocated
//     segment; msync'ed by the journal's flusher every 200 ms, off the order path, and the page with it).
// A process crash (even SIGKILL) loses nothing: the page cache holds both. Both are msync'ed every 200 ms,
// so a machine crash can lose the last 200 ms of them; QuickFIX's FileStore never fsyncs at all.
//
// Resend requests read the session's journal back (get()): rare, and a scan of the session's records since
// its last reset. Segments holding only messages from before the last reset are deleted at the reset (a
// session resets at least daily, at its schedule's boundary) and at open. Sessions move over from a FileStore
// on first start: its sequence numbers are taken over (its stored messages are not; a resend of those is
// answered with a gap fill).
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "journal/journal.h"
#include "quickfix/quickfix.h"

namespace fixgate::session_store {

// The memory-mapped page of sequence numbers.
struct SeqNumPage;

class SessionStore final : public FIX::MessageStore {
 public:
  // Opens (or creates) the store in `directory`. When it is new and `legacy_seqnums_file` (a FileStore's
  // "<prefix>.seqnums") exists, its sequence numbers are taken over. Fails with what to check.
  [[nodiscard]] static std::expected<std::unique_ptr<SessionStore>, std::string> open(
      const std::filesystem::path& directory, const std::filesystem::path& legacy_seqnums_file = {});
  ~SessionStore() override;
  SessionStore(const SessionStore&) = delete;
  SessionStore& operator=(const SessionStore&) = delete;

  bool set(int msg_seq_num, const std::string& message) override;
  void get(int begin, int end, std::vector<std::string>& messages) const override;
  int getNextSenderMsgSeqNum() const override;
  int getNextTargetMsgSeqNum() const override;
  void setNextSenderMsgSeqNum(int value) override;
  void setNextTargetMsgSeqNum(int value) override;
  void incrNextSenderMsgSeqNum() override;
  void incrNextTargetMsgSeqNum() override;
  FIX::UtcTimeStamp getCreationTime() const override;
  void reset() override;
  void refresh() override {}  // the mapped page is the file: nothing to reload

  [[nodiscard]] std::int64_t creationTimeMicros() const;

 private:
  SessionStore(std::filesystem::path directory, std::unique_ptr<journal::Journal> messages, int page_fd,
               SeqNumPage* page);
  // The session's messages are kept only back to its last reset (nothing reads further back); without
  // this, a busy session's store would grow by its whole traffic every day.
  void removeMessagesBeforeReset();

  std::filesystem::path directory_;
  std::unique_ptr<journal::Journal> messages_;
  int page_fd_ = -1;
  SeqNumPage* page_ = nullptr;
  std::string record_;  // reused: seq number + message
};

// Creates one SessionStore per session under `root`/<BeginString>-<Sender>-<Target>[-<Qualifier>]/;
// `legacy_file_store_dir` is the FileStorePath a FileStore used before (its .seqnums files are taken over).
class SessionStoreFactory final : public FIX::MessageStoreFactory {
 public:
  SessionStoreFactory(std::filesystem::path root, std::filesystem::path legacy_file_store_dir);
  // Throws FIX::ConfigError naming the directory and the cause when a store cannot be opened (at start).
  FIX::MessageStore* create(const FIX::SessionID& id) override;
  void destroy(FIX::MessageStore* store) override;

 private:
  std::filesystem::path root_;
  std::filesystem::path legacy_dir_;
};

// "FIX.4.4-FIXGATE-C44A": the name QuickFIX's FileStore gives a session's files.
[[nodiscard]] std::string storePrefix(const FIX::SessionID& id);

}  // namespace fixgate::session_store
