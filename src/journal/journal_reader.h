// Reads the journal's records in seq order, from any seq, while a Journal may be appending to the same
// directory from another thread or process: replay at startup, and the audit shipper following the tail.
// It never writes; corruption is reported, never skipped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>

#include "journal/journal_error.h"

namespace fixgate::journal {

class MappedSegment;

struct RecordView {
  std::uint64_t seq = 0;
  std::int64_t ts_us = 0;
  std::uint16_t type = 0;
  // Points into the mapped segment: valid until the next call to next() or the reader's destruction. Copy
  // it to keep it longer.
  std::span<const std::byte> payload;
};

class JournalReader {
 public:
  // A reader whose first record will be seq `from_seq` (1: everything). Fails if from_seq is older than the
  // oldest segment (removed by retention). A seq not appended yet is fine: next() reports "none yet" until
  // it arrives.
  [[nodiscard]] static std::expected<JournalReader, JournalError> open(std::filesystem::path directory,
                                                                       std::uint64_t from_seq = 1);

  JournalReader(JournalReader&&) noexcept;
  JournalReader& operator=(JournalReader&&) noexcept;
  ~JournalReader();

  // The next complete record; std::nullopt when there is none yet (the live tail: call again later); or a
  // Corrupt/Io error with file, offset and last good seq, returned again by every later call.
  [[nodiscard]] std::expected<std::optional<RecordView>, JournalError> next();

  // The seq of the record the next successful next() returns.
  [[nodiscard]] std::uint64_t nextSeq() const noexcept { return std::max(next_seq_, from_seq_); }

 private:
  JournalReader(std::filesystem::path directory, std::uint64_t from_seq);
  // Finds and maps the segment holding next_seq_ when none is mapped yet; false if there is none yet.
  std::expected<bool, JournalError> locate();
  std::expected<void, JournalError> mapSegment(const std::filesystem::path& path, std::uint64_t first_seq);
  JournalError remember(JournalError error);

  std::filesystem::path directory_;
  std::uint64_t from_seq_;
  std::uint64_t next_seq_ = 0;  // seq expected at offset_ in segment_
  std::unique_ptr<MappedSegment> segment_;
  std::size_t segment_bytes_ = 0;
  std::size_t offset_ = 0;
  std::unique_ptr<JournalError> error_;
};

}  // namespace fixgate::journal
