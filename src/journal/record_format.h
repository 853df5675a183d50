// The on-disk format, shared by the writer and the reader. Module-internal.
//
// Segment file: a 32-byte SegmentHeader, then records from offset 32, each starting on an 8-byte boundary.
// Record: a 32-byte RecordHeader, then the payload, then zero padding to the next 8-byte boundary.
// The first u32 of a record slot says what is there:
//   0            nothing yet: the end of the data (everything after it in the segment is zero)
//   kSealed      the writer moved on to the next segment, journal-<this segment's last seq + 1>.seg
//   otherwise    record_bytes = 32 + payload length (never 0, so an empty payload is still a record)
// A segment always keeps kSealBytes free at its end, so there is room to seal it.
//
// The CRC-32C covers the payload, then record_bytes, then header bytes 8..31 (seq, ts_us, type, reserved,
// payload_bytes): the payload goes first so append() can checksum it before taking the lock.
// payload_bytes repeats the payload length; the writer stores it before the payload, so a record torn by
// a process crash still says how far it reaches.
// All integers are little-endian (the host's; other hosts are refused at compile time).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace fixgate::journal::format {

static_assert(std::endian::native == std::endian::little, "the journal format is little-endian");

inline constexpr std::uint64_t kSegmentMagic = 0x31304C4E524A4746ull;  // "FGJRNL01"
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kSegmentHeaderBytes = 32;
inline constexpr std::size_t kRecordHeaderBytes = 32;
inline constexpr std::size_t kRecordAlignment = 8;
inline constexpr std::size_t kSealBytes = 8;
inline constexpr std::uint32_t kSealed = 0xFFFF'FFFFu;
inline constexpr std::size_t kMinSegmentBytes = 64 * 1024;
inline constexpr std::size_t kSegmentGranularity = 4096;

struct SegmentHeader {
  std::uint64_t magic;
  std::uint32_t version;
  std::uint32_t header_bytes;
  std::uint64_t segment_bytes;
  std::uint64_t first_seq;  // 0 while the file is only prepared, set before it gets its final name
};
static_assert(sizeof(SegmentHeader) == kSegmentHeaderBytes);

struct RecordHeader {
  std::uint32_t record_bytes;
  std::uint32_t crc;
  std::uint64_t seq;
  std::int64_t ts_us;
  std::uint16_t type;
  std::uint16_t reserved;
  std::uint32_t payload_bytes;
};
static_assert(sizeof(RecordHeader) == kRecordHeaderBytes);

constexpr std::size_t alignUp(std::size_t n) noexcept {
  return (n + kRecordAlignment - 1) & ~(kRecordAlignment - 1);
}

// The CRC of a record whose payload's CRC-32C is already known.
[[nodiscard]] std::uint32_t recordCrc(std::uint32_t payload_crc, const RecordHeader& header) noexcept;

// Loads a slot's first word with acquire ordering: the writer's release store of it publishes the record.
[[nodiscard]] std::uint32_t loadSlotWord(const std::byte* slot) noexcept;
void publishSlotWord(std::byte* slot, std::uint32_t value) noexcept;

[[nodiscard]] std::string segmentFileName(std::uint64_t first_seq);
[[nodiscard]] std::optional<std::uint64_t> parseSegmentFileName(std::string_view name);

enum class SlotKind { Record, End, Sealed, Invalid };

struct SlotCheck {
  SlotKind kind = SlotKind::Invalid;
  RecordHeader header{};        // valid when kind == Record
  std::size_t next_offset = 0;  // where the following slot starts (Record)
  std::string problem;          // why it is invalid, without the position (Invalid)
};

// Reads the slot at `offset` of a segment: `mapped` is what is mapped of the file (its actual size, which
// truncation may have made smaller than the declared `segment_bytes`). A record must carry expected_seq.
[[nodiscard]] SlotCheck checkSlot(std::span<const std::byte> mapped, std::size_t segment_bytes,
                                  std::size_t offset, std::uint64_t expected_seq);

// Whether a valid record with a seq above last_good_seq starts anywhere at or after `from`: tells a torn
// tail (nothing valid follows, safe to cut) from a corrupt record in the middle (cutting would lose data).
[[nodiscard]] bool validRecordFollows(std::span<const std::byte> mapped, std::size_t segment_bytes,
                                      std::size_t from, std::uint64_t last_good_seq);

// Checks a segment header against the file it was read from; returns the problem, or nothing if valid.
[[nodiscard]] std::optional<std::string> checkSegmentHeader(std::span<const std::byte> mapped,
                                                            std::uint64_t seq_from_name);

}  // namespace fixgate::journal::format
