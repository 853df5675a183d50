#include "journal/record_format.h"

#include <fmt/format.h>
#include <atomic>
#include <charconv>
#include <cstring>

#include "journal/crc32c.h"

namespace fixgate::journal::format {
namespace {

constexpr std::string_view kSegmentPrefix = "journal-";
constexpr std::string_view kSegmentSuffix = ".seg";
constexpr std::size_t kSeqDigits = 20;

std::span<const std::byte> bytesOf(const RecordHeader& header) noexcept {
  return std::as_bytes(std::span(&header, 1));
}

std::uint32_t payloadCrc(std::span<const std::byte> mapped, std::size_t offset,
                         const RecordHeader& h) noexcept {
  return crc32c(0, mapped.subspan(offset + kRecordHeaderBytes, h.payload_bytes));
}

}  // namespace

std::uint32_t recordCrc(std::uint32_t payload_crc, const RecordHeader& header) noexcept {
  const auto bytes = bytesOf(header);
  const std::uint32_t with_length = crc32c(payload_crc, bytes.first(sizeof header.record_bytes));
  return crc32c(with_length, bytes.subspan(offsetof(RecordHeader, seq)));
}

std::uint32_t loadSlotWord(const std::byte* slot) noexcept {
  // atomic_ref needs a non-const object; the load never writes.
  auto* word = reinterpret_cast<std::uint32_t*>(const_cast<std::byte*>(slot));
  return std::atomic_ref<std::uint32_t>(*word).load(std::memory_order_acquire);
}

void publishSlotWord(std::byte* slot, std::uint32_t value) noexcept {
  std::atomic_ref<std::uint32_t>(*reinterpret_cast<std::uint32_t*>(slot))
      .store(value, std::memory_order_release);
}

std::string segmentFileName(std::uint64_t first_seq) {
  return fmt::format("{}{:020}{}", kSegmentPrefix, first_seq, kSegmentSuffix);
}

std::optional<std::uint64_t> parseSegmentFileName(std::string_view name) {
  if (name.size() != kSegmentPrefix.size() + kSeqDigits + kSegmentSuffix.size() ||
      !name.starts_with(kSegmentPrefix) || !name.ends_with(kSegmentSuffix)) {
    return std::nullopt;
  }
  const auto digits = name.substr(kSegmentPrefix.size(), kSeqDigits);
  std::uint64_t seq = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
  if (ec != std::errc{} || end != digits.data() + digits.size() || seq == 0) return std::nullopt;
  return seq;
}

SlotCheck checkSlot(std::span<const std::byte> mapped, std::size_t segment_bytes, std::size_t offset,
                    std::uint64_t expected_seq) {
  SlotCheck check;
  const auto invalid = [&check](std::string problem) {
    check.kind = SlotKind::Invalid;
    check.problem = std::move(problem);
    return check;
  };
  if (offset + sizeof(std::uint32_t) > mapped.size()) {
    return invalid(
        fmt::format("the file ends at byte {} before the data does (truncated file)", mapped.size()));
  }
  const std::uint32_t word = loadSlotWord(mapped.data() + offset);
  if (word == 0) {
    check.kind = SlotKind::End;
    return check;
  }
  if (word == kSealed) {
    check.kind = SlotKind::Sealed;
    return check;
  }
  if (word < kRecordHeaderBytes) {
    return invalid(
        fmt::format("record length {} is shorter than the {}-byte record header", word, kRecordHeaderBytes));
  }
  if (offset + alignUp(word) + kSealBytes > segment_bytes) {
    return invalid(
        fmt::format("record length {} runs past the end of the {}-byte segment", word, segment_bytes));
  }
  if (offset + word > mapped.size()) {
    return invalid(fmt::format("record length {} runs past the end of the file at byte {} (truncated file)",
                               word, mapped.size()));
  }
  std::memcpy(&check.header, mapped.data() + offset, sizeof check.header);
  const RecordHeader& h = check.header;
  if (h.payload_bytes != word - kRecordHeaderBytes) {
    return invalid(
        fmt::format("record length {} disagrees with its payload length {}", word, h.payload_bytes));
  }
  const std::uint32_t computed = recordCrc(payloadCrc(mapped, offset, h), h);
  if (computed != h.crc) {
    return invalid(fmt::format("CRC mismatch (stored {:08x}, computed {:08x})", h.crc, computed));
  }
  if (h.seq != expected_seq) {
    return invalid(fmt::format("record carries seq {} where seq {} was expected", h.seq, expected_seq));
  }
  check.kind = SlotKind::Record;
  check.next_offset = offset + alignUp(word);
  return check;
}

bool validRecordFollows(std::span<const std::byte> mapped, std::size_t segment_bytes, std::size_t from,
                        std::uint64_t last_good_seq) {
  const std::size_t limit = std::min(mapped.size(), segment_bytes);
  for (std::size_t offset = alignUp(from); offset + kRecordHeaderBytes <= limit; offset += kRecordAlignment) {
    RecordHeader h;
    std::memcpy(&h, mapped.data() + offset, sizeof h);
    const bool plausible = h.record_bytes >= kRecordHeaderBytes && h.record_bytes != kSealed &&
                           h.payload_bytes == h.record_bytes - kRecordHeaderBytes &&
                           offset + h.record_bytes <= limit && h.seq > last_good_seq;
    if (plausible && recordCrc(payloadCrc(mapped, offset, h), h) == h.crc) return true;
  }
  return false;
}

std::optional<std::string> checkSegmentHeader(std::span<const std::byte> mapped,
                                              std::uint64_t seq_from_name) {
  if (mapped.size() < kSegmentHeaderBytes) {
    return fmt::format("the file has {} bytes, fewer than the {}-byte segment header", mapped.size(),
                       kSegmentHeaderBytes);
  }
  SegmentHeader h;
  std::memcpy(&h, mapped.data(), sizeof h);
  if (h.magic != kSegmentMagic) return std::string("not a journal segment (wrong magic number)");
  if (h.version != kFormatVersion || h.header_bytes != kSegmentHeaderBytes) {
    return fmt::format("segment format version {} (header {} bytes) is not the supported version {}",
                       h.version, h.header_bytes, kFormatVersion);
  }
  if (h.segment_bytes % kRecordAlignment != 0 ||
      h.segment_bytes < kSegmentHeaderBytes + kRecordHeaderBytes + kSealBytes) {
    return fmt::format("declared segment size {} is not usable", h.segment_bytes);
  }
  if (h.first_seq != seq_from_name) {
    return fmt::format("the header says the first seq is {}, the file name says {}", h.first_seq,
                       seq_from_name);
  }
  return std::nullopt;
}

}  // namespace fixgate::journal::format
