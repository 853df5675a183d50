#include "journal/journal_reader.h"

#include <fmt/format.h>
#include <algorithm>
#include <system_error>
#include <vector>

#include "journal/record_format.h"
#include "journal/segment_file.h"

namespace fixgate::journal {
namespace {

using namespace format;

JournalError corruptError(const std::filesystem::path& file, std::uint64_t offset,
                          std::uint64_t last_good_seq, std::string_view problem) {
  JournalError e;
  e.kind = JournalErrorKind::Corrupt;
  e.file = file;
  e.offset = offset;
  e.last_good_seq = last_good_seq;
  e.message = fmt::format(
      "journal reader: corrupt data in {} at byte offset {} (last good seq {}): {}. Reading stops here; the "
      "writer's Journal::open() reports the same and says how to repair it",
      file.string(), offset, last_good_seq, problem);
  return e;
}

}  // namespace

JournalReader::JournalReader(std::filesystem::path directory, std::uint64_t from_seq)
    : directory_(std::move(directory)), from_seq_(std::max<std::uint64_t>(from_seq, 1)) {}
JournalReader::JournalReader(JournalReader&&) noexcept = default;
JournalReader& JournalReader::operator=(JournalReader&&) noexcept = default;
JournalReader::~JournalReader() = default;

std::expected<JournalReader, JournalError> JournalReader::open(std::filesystem::path directory,
                                                               std::uint64_t from_seq) {
  JournalReader reader(std::move(directory), from_seq);
  if (auto located = reader.locate(); !located) return std::unexpected(std::move(located.error()));
  return reader;
}

JournalError JournalReader::remember(JournalError error) {
  error_ = std::make_unique<JournalError>(error);
  return error;
}

std::expected<void, JournalError> JournalReader::mapSegment(const std::filesystem::path& path,
                                                            std::uint64_t first_seq) {
  segment_.reset();
  auto mapped = mapSegmentFile(path, Access::ReadOnly);
  if (!mapped) return std::unexpected(std::move(mapped.error()));
  if (auto problem = checkSegmentHeader((*mapped)->bytes(), first_seq)) {
    return std::unexpected(corruptError(path, 0, first_seq - 1, *problem));
  }
  segment_ = std::move(*mapped);
  segment_bytes_ = segment_->header().segment_bytes;
  offset_ = kSegmentHeaderBytes;
  next_seq_ = first_seq;
  return {};
}

std::expected<bool, JournalError> JournalReader::locate() {
  auto listing = listJournalDirectory(directory_);
  if (!listing) return std::unexpected(std::move(listing.error()));
  const auto& segments = listing->segments;
  if (segments.empty()) return false;
  if (from_seq_ < segments.front().first_seq) {
    JournalError e;
    e.kind = JournalErrorKind::InvalidArgument;
    e.file = directory_;
    e.message = fmt::format(
        "journal reader: seq {} is no longer in {}: the oldest segment starts at seq {}. Start from there or "
        "from a copy of the removed segments",
        from_seq_, directory_.string(), segments.front().first_seq);
    return std::unexpected(std::move(e));
  }
  const auto holding =
      std::prev(std::ranges::upper_bound(segments, from_seq_, {}, &SegmentOnDisk::first_seq));
  if (auto mapped = mapSegment(holding->path, holding->first_seq); !mapped) {
    return std::unexpected(std::move(mapped.error()));
  }
  return true;
}

std::expected<std::optional<RecordView>, JournalError> JournalReader::next() {
  if (error_) return std::unexpected(*error_);
  if (!segment_) {
    auto located = locate();
    if (!located) return std::unexpected(remember(std::move(located.error())));
    if (!*located) return std::nullopt;
  }
  // Each pass either returns or moves forward by one record or one segment, so the loop ends.
  for (;;) {
    auto slot = checkSlot(segment_->bytes(), segment_bytes_, offset_, next_seq_);
    switch (slot.kind) {
      case SlotKind::Record: {
        const std::size_t at = offset_;
        offset_ = slot.next_offset;
        ++next_seq_;
        if (slot.header.seq < from_seq_) continue;
        return RecordView{slot.header.seq, slot.header.ts_us, slot.header.type,
                          segment_->bytes().subspan(at + kRecordHeaderBytes, slot.header.payload_bytes)};
      }
      case SlotKind::End:
        return std::nullopt;
      case SlotKind::Sealed: {
        const auto next_path = directory_ / segmentFileName(next_seq_);
        std::error_code ec;
        if (!std::filesystem::exists(next_path, ec)) {
          return std::unexpected(
              remember(corruptError(segment_->path(), offset_, next_seq_ - 1,
                                    fmt::format("the segment is sealed but the next one, {}, does not exist",
                                                next_path.string()))));
        }
        if (auto mapped = mapSegment(next_path, next_seq_); !mapped) {
          return std::unexpected(remember(std::move(mapped.error())));
        }
        continue;
      }
      case SlotKind::Invalid:
        return std::unexpected(
            remember(corruptError(segment_->path(), offset_, next_seq_ - 1, slot.problem)));
    }
  }
}

}  // namespace fixgate::journal
