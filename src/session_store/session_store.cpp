#include "session_store/session_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>

#include "clock/clock.h"
#include "journal/journal_reader.h"

namespace fixgate::session_store {

// One page, mapped shared: every field is written in place (aligned 8-byte stores), so a process crash
// leaves either the old or the new value of each.
struct SeqNumPage {
  static constexpr std::uint64_t kMagic = 0x3151'5345'5347'4647;  // "FGSGESQ1"
  std::uint64_t magic;
  std::int64_t next_sender;
  std::int64_t next_target;
  std::int64_t creation_time_us;  // UTC: the session's creation, or its last reset
  std::uint64_t reset_seq;        // journal seq of the last reset record; 0: none (read from the start)
};

namespace {

constexpr std::size_t kPageBytes = 4096;
constexpr std::uint16_t kMessageRecord = 1;  // payload: int32 MsgSeqNum, then the message as sent
constexpr std::uint16_t kResetRecord = 2;    // the session was reset: earlier messages are no longer its
// A segment holds about 8,000 messages; each session keeps one prepared ahead, so a gateway with many
// sessions reserves little disk.
constexpr std::size_t kSegmentBytes = 2 * 1024 * 1024;
constexpr std::uint32_t kFlushIntervalMs = 200;

// A FileStore's "<prefix>.session": the session's creation time, "YYYYMMDD-HH:MM:SS[.fff...]" UTC. QuickFIX
// resets a session whose store was created before the current session period (a new day here), so the
// time must come over with the numbers; when it cannot be read, the epoch lets QuickFIX decide at logon.
std::int64_t readLegacyCreationTime(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text;
  std::tm tm{};
  if (!(in >> text) || text.size() < 17 ||
      std::sscanf(text.c_str(), "%4d%2d%2d-%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6) {
    return 0;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(::timegm(&tm)) * 1'000'000;
}

// A FileStore's "<prefix>.seqnums": "%10.10d : %10.10d", sender then target.
std::optional<std::pair<int, int>> readLegacySeqNums(const std::filesystem::path& file) {
  std::ifstream in(file);
  int sender = 0;
  int target = 0;
  char colon = 0;
  if (!(in >> sender >> colon >> target) || colon != ':' || sender < 1 || target < 1) return std::nullopt;
  return std::pair{sender, target};
}

std::string errnoText(std::string_view what, const std::filesystem::path& path) {
  return fmt::format("{} {}: {}", what, path.string(), std::strerror(errno));
}

}  // namespace

std::string storePrefix(const FIX::SessionID& id) {
  std::string prefix = fmt::format("{}-{}-{}", id.getBeginString().getString(),
                                   id.getSenderCompID().getString(), id.getTargetCompID().getString());
  if (!id.getSessionQualifier().empty()) prefix += "-" + id.getSessionQualifier();
  return prefix;
}

std::expected<std::unique_ptr<SessionStore>, std::string> SessionStore::open(
    const std::filesystem::path& directory, const std::filesystem::path& legacy_seqnums_file) {
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec) return std::unexpected(fmt::format("cannot create {}: {}", directory.string(), ec.message()));

  const auto page_path = directory / "seqnums";
  const bool fresh = !std::filesystem::exists(page_path);
  const int fd = ::open(page_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return std::unexpected(errnoText("cannot open", page_path));
  if (::ftruncate(fd, kPageBytes) != 0) {
    const auto error = errnoText("cannot size", page_path);
    ::close(fd);
    return std::unexpected(error);
  }
  void* mapped = ::mmap(nullptr, kPageBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (mapped == MAP_FAILED) {
    const auto error = errnoText("cannot map", page_path);
    ::close(fd);
    return std::unexpected(error);
  }
  auto* page = static_cast<SeqNumPage*>(mapped);
  if (fresh || page->magic == 0) {
    page->next_sender = 1;
    page->next_target = 1;
    page->creation_time_us = clock::utcNowMicros();
    if (!legacy_seqnums_file.empty()) {
      if (const auto legacy = readLegacySeqNums(legacy_seqnums_file)) {
        page->next_sender = legacy->first;
        page->next_target = legacy->second;
        auto session_file = legacy_seqnums_file;
        page->creation_time_us = readLegacyCreationTime(session_file.replace_extension(".session"));
        spdlog::info(
            "session store {}: sequence numbers {} (out) and {} (in) and the creation time taken over "
            "from {}",
            directory.string(), legacy->first, legacy->second, legacy_seqnums_file.string());
      }
    }
    page->magic = SeqNumPage::kMagic;
  } else if (page->magic != SeqNumPage::kMagic) {
    ::munmap(mapped, kPageBytes);
    ::close(fd);
    return std::unexpected(fmt::format(
        "{} is not a fixgate session store page; move it away to start the session afresh (its sequence "
        "numbers are then 1) or restore it from a backup",
        page_path.string()));
  }

  journal::JournalSettings settings;
  settings.directory = directory / "messages";
  settings.segment_bytes = kSegmentBytes;
  settings.flush = journal::FlushPolicy::Interval;
  // Each session has a store; msync'ing every one every few milliseconds cost more CPU than the writes it
  // replaced. A machine crash may lose the last kFlushIntervalMs of stored copies: a resend of those is
  // answered with a gap fill, and the gateway's own journal (5 ms) still holds every message sent.
  settings.flush_interval_ms = kFlushIntervalMs;
  // The page is msync'ed as often: otherwise the kernel writes it back when it chooses (tens of seconds),
  // and after a machine crash the numbers could be far behind what was sent and received. Four KiB, and
  // only when dirty; on the journal's flusher thread, off the order path.
  settings.after_interval_flush = [page] { ::msync(page, kPageBytes, MS_SYNC); };
  // A torn tail (machine crash) costs only stored copies, which a resend gap-fills: repair it and go on
  // rather than refuse to start. The bad bytes are kept beside the segment.
  settings.repair_corrupt_tail = true;
  auto messages = journal::Journal::open(settings);
  if (!messages) {
    ::munmap(mapped, kPageBytes);
    ::close(fd);
    return std::unexpected(fmt::format("cannot open the session's messages in {}: {}",
                                       settings.directory.string(), messages.error().message));
  }
  if (const auto& repair = (*messages)->openReport().tail_repair) {
    spdlog::warn(
        "session store {}: {}; {} bytes saved to {}; stored messages after seq {} are gone (a resend of "
        "them is answered with a gap fill)",
        directory.string(), repair->problem, repair->bytes_saved, repair->saved_to.string(),
        repair->last_good_seq);
  }
  std::unique_ptr<SessionStore> store(new SessionStore(directory, std::move(*messages), fd, page));
  // A stop between a reset and its clean-up, or a store from before the clean-up existed.
  store->removeMessagesBeforeReset();
  return store;
}

void SessionStore::removeMessagesBeforeReset() {
  if (page_->reset_seq == 0) return;
  const auto removed = messages_->removeSegmentsBefore(page_->reset_seq);
  if (!removed) {
    spdlog::error(
        "session store {}: messages from before the session's last reset not removed, so they keep their "
        "disk space: {}. Resends are not affected; once the cause is mended they are removed at the next "
        "reset or start",
        directory_.string(), removed.error().message);
  } else if (removed->segments > 0) {
    spdlog::info(
        "session store {}: removed {} segment(s), {:.1f} MiB, of messages sent before the session's "
        "last reset (a resend reads only those since)",
        directory_.string(), removed->segments, static_cast<double>(removed->bytes) / (1024 * 1024));
  }
}

SessionStore::SessionStore(std::filesystem::path directory, std::unique_ptr<journal::Journal> messages,
                           int page_fd, SeqNumPage* page)
    : directory_(std::move(directory)), messages_(std::move(messages)), page_fd_(page_fd), page_(page) {}

SessionStore::~SessionStore() {
  messages_.reset();  // its flusher msyncs the page: stopped before the page is unmapped
  ::msync(page_, kPageBytes, MS_SYNC);
  ::munmap(page_, kPageBytes);
  ::close(page_fd_);
}

bool SessionStore::set(int msg_seq_num, const std::string& message) {
  record_.resize(sizeof(std::int32_t));
  const std::int32_t seq = msg_seq_num;
  std::memcpy(record_.data(), &seq, sizeof seq);
  record_ += message;
  auto appended = messages_->append(kMessageRecord, clock::utcNowMicros(), std::as_bytes(std::span(record_)));
  if (!appended) {
    // QuickFIX goes on without the stored copy (a later resend of it becomes a gap fill); say so.
    spdlog::error("session store {}: message {} not stored for resend: {}", directory_.string(), msg_seq_num,
                  appended.error().message);
    return false;
  }
  return true;
}

void SessionStore::get(int begin, int end, std::vector<std::string>& messages) const {
  messages.clear();
  auto reader =
      journal::JournalReader::open(directory_ / "messages", std::max<std::uint64_t>(1, page_->reset_seq));
  if (!reader) {
    spdlog::error("session store {}: cannot read stored messages for a resend: {}", directory_.string(),
                  reader.error().message);
    return;
  }
  // The latest copy of each number since the last reset (a number is stored again after a reset).
  std::map<int, std::string> found;
  while (true) {
    auto next = reader->next();
    if (!next) {
      spdlog::error("session store {}: stored messages unreadable, resend answered in part: {}",
                    directory_.string(), next.error().message);
      break;
    }
    if (!next->has_value()) break;
    const auto& record = **next;
    if (record.type == kResetRecord) {
      found.clear();
      continue;
    }
    if (record.type != kMessageRecord || record.payload.size() < sizeof(std::int32_t)) continue;
    std::int32_t seq = 0;
    std::memcpy(&seq, record.payload.data(), sizeof seq);
    if (seq < begin || seq > end) continue;
    found[seq].assign(reinterpret_cast<const char*>(record.payload.data()) + sizeof seq,
                      record.payload.size() - sizeof seq);
  }
  messages.reserve(found.size());
  for (auto& [seq, message] : found) messages.push_back(std::move(message));
}

int SessionStore::getNextSenderMsgSeqNum() const {
  return static_cast<int>(page_->next_sender);
}
int SessionStore::getNextTargetMsgSeqNum() const {
  return static_cast<int>(page_->next_target);
}
void SessionStore::setNextSenderMsgSeqNum(int value) {
  page_->next_sender = value;
}
void SessionStore::setNextTargetMsgSeqNum(int value) {
  page_->next_target = value;
}
void SessionStore::incrNextSenderMsgSeqNum() {
  ++page_->next_sender;
}
void SessionStore::incrNextTargetMsgSeqNum() {
  ++page_->next_target;
}

std::int64_t SessionStore::creationTimeMicros() const {
  return page_->creation_time_us;
}

FIX::UtcTimeStamp SessionStore::getCreationTime() const {
  const auto us = page_->creation_time_us;
  return FIX::UtcTimeStamp(static_cast<time_t>(us / 1'000'000), static_cast<int>(us % 1'000'000), 6);
}

void SessionStore::reset() {
  const auto now = clock::utcNowMicros();
  auto appended = messages_->append(kResetRecord, now, {});
  if (appended) {
    page_->reset_seq = *appended;  // resends read from here on
    // On disk before the older segments go: a page naming a removed segment could serve no resend.
    ::msync(page_, kPageBytes, MS_SYNC);
    removeMessagesBeforeReset();
  } else {
    spdlog::error(
        "session store {}: reset not recorded ({}); a later resend may return messages from before it",
        directory_.string(), appended.error().message);
  }
  page_->next_sender = 1;
  page_->next_target = 1;
  page_->creation_time_us = now;
  ::msync(page_, kPageBytes, MS_ASYNC);
}

SessionStoreFactory::SessionStoreFactory(std::filesystem::path root,
                                         std::filesystem::path legacy_file_store_dir)
    : root_(std::move(root)), legacy_dir_(std::move(legacy_file_store_dir)) {}

FIX::MessageStore* SessionStoreFactory::create(const FIX::SessionID& id) {
  const auto prefix = storePrefix(id);
  auto store = SessionStore::open(
      root_ / prefix, legacy_dir_.empty() ? std::filesystem::path() : legacy_dir_ / (prefix + ".seqnums"));
  if (!store) throw FIX::ConfigError("session store for " + id.toString() + ": " + store.error());
  return store->release();
}

void SessionStoreFactory::destroy(FIX::MessageStore* store) {
  delete store;
}

}  // namespace fixgate::session_store
