// CRC-32C (Castagnoli), the checksum of every journal record. Module-internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace fixgate::journal {

// Continues a CRC-32C over more bytes: crc32c(crc32c(0, a), b) == crc32c(0, a + b). Start with 0.
// Uses the SSE4.2 crc32 instruction when the CPU has it, a slicing-by-8 table otherwise.
[[nodiscard]] std::uint32_t crc32c(std::uint32_t crc, std::span<const std::byte> bytes) noexcept;

// The table path alone, so tests can check it against the instruction path on any machine.
[[nodiscard]] std::uint32_t crc32cPortable(std::uint32_t crc, std::span<const std::byte> bytes) noexcept;

}  // namespace fixgate::journal
