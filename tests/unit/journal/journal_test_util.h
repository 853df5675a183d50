// Shared helpers of the journal tests: a temporary directory removed afterwards, payloads that say which
// seq they belong to, and direct access to segment files for damaging them.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "journal/journal.h"
#include "journal/journal_reader.h"
#include "journal/record_format.h"

namespace fixgate::journal::testutil {

inline constexpr std::size_t kSmallSegment = 64 * 1024;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "journal-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A payload whose content and length both depend on `n`, so a record in the wrong place or damaged is seen.
inline std::vector<std::byte> payloadFor(std::uint64_t n, std::size_t base_size = 200) {
  std::vector<std::byte> bytes(base_size + n % 37);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::byte>((n * 131 + i * 7) & 0xFF);
  return bytes;
}

inline JournalSettings smallSettings(const std::filesystem::path& dir,
                                     FlushPolicy flush = FlushPolicy::Batch) {
  JournalSettings s;
  s.directory = dir;
  s.segment_bytes = kSmallSegment;
  s.flush = flush;
  return s;
}

inline std::unique_ptr<Journal> openOrDie(const JournalSettings& settings) {
  auto journal = Journal::open(settings);
  if (!journal) ADD_FAILURE() << journal.error().message;
  return journal ? std::move(*journal) : nullptr;
}

struct CopiedRecord {
  std::uint64_t seq;
  std::int64_t ts_us;
  std::uint16_t type;
  std::vector<std::byte> payload;
};

// Everything from `from_seq` up to the current end; fails the test on a read error.
inline std::vector<CopiedRecord> readAll(const std::filesystem::path& dir, std::uint64_t from_seq = 1) {
  std::vector<CopiedRecord> out;
  auto reader = JournalReader::open(dir, from_seq);
  if (!reader) {
    ADD_FAILURE() << reader.error().message;
    return out;
  }
  for (std::size_t guard = 0; guard < 10'000'000; ++guard) {
    auto record = reader->next();
    if (!record) {
      ADD_FAILURE() << record.error().message;
      break;
    }
    if (!*record) break;
    const auto& r = **record;
    out.push_back({r.seq, r.ts_us, r.type, {r.payload.begin(), r.payload.end()}});
  }
  return out;
}

inline std::vector<std::filesystem::path> segmentFiles(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (format::parseSegmentFileName(entry.path().filename().string())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline std::vector<std::byte> readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chars((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(chars.size());
  std::memcpy(bytes.data(), chars.data(), chars.size());
  return bytes;
}

inline void writeBytes(const std::filesystem::path& path, std::uint64_t offset,
                       const std::vector<std::byte>& bytes) {
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(f.good()) << "cannot write " << path;
}

struct RecordPosition {
  std::uint64_t offset;
  std::uint64_t seq;
  std::uint32_t record_bytes;
};

// Where each valid record of a segment file starts, from its own bytes.
inline std::vector<RecordPosition> recordPositions(const std::filesystem::path& segment) {
  const auto bytes = readFile(segment);
  const auto first = format::parseSegmentFileName(segment.filename().string()).value();
  std::vector<RecordPosition> out;
  std::size_t offset = format::kSegmentHeaderBytes;
  for (std::uint64_t seq = first;; ++seq) {
    const auto slot = format::checkSlot(bytes, bytes.size(), offset, seq);
    if (slot.kind != format::SlotKind::Record) break;
    out.push_back({offset, seq, slot.header.record_bytes});
    offset = slot.next_offset;
  }
  return out;
}

inline void appendN(Journal& journal, std::uint64_t first, std::uint64_t count) {
  for (std::uint64_t n = first; n < first + count; ++n) {
    const auto payload = payloadFor(n);
    auto seq =
        journal.append(static_cast<std::uint16_t>(n % 7), static_cast<std::int64_t>(n) * 1000, payload);
    ASSERT_TRUE(seq) << seq.error().message;
    ASSERT_EQ(*seq, n);
  }
}

}  // namespace fixgate::journal::testutil
