// A set of 64-bit fingerprints of strings (the ClOrdIDs of orders the engine has released, salted with their
// session), 8 bytes a slot in one flat array, so that remembering that an id was used costs 11-21 bytes
// instead of the order it belonged to. A fingerprint is a 64-bit hash: two different ids share one with
// probability ~n/2^64 per lookup (about 1 in 3 * 10^12 with 6 million ids), which would make a fresh
// ClOrdID look used.
//
// Sized at construction for the ids expected, so that it never grows on the order path in a normal day:
// growing rehashes every slot (tens of milliseconds at millions of ids). Past the expected count it still
// doubles, and insert() says so, so the caller can tell an operator.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/reference_data.h"

namespace fixgate::core {

class FingerprintSet {
 public:
  explicit FingerprintSet(std::size_t expected = 0) : expected_(expected) { clear(); }

  // Forgets every fingerprint, back to the size reserved at construction (a table grown past it shrinks).
  void clear() {
    std::vector<std::uint64_t>().swap(slots_);
    if (expected_ > 0) slots_.assign(std::bit_ceil(expected_ + expected_ / 3 + 1), kEmpty);
    size_ = 0;
  }

  enum class Inserted : std::uint8_t { Added, AlreadyThere, AddedAfterGrowing };
  Inserted insert(std::string_view id, std::uint64_t salt = 0) {
    const bool grows = (size_ + 1) * 4 > slots_.size() * 3;  // load at most 3/4: probes stay short
    if (grows) grow();
    if (!place(slots_, fingerprintOf(id, salt))) return Inserted::AlreadyThere;
    ++size_;
    return grows ? Inserted::AddedAfterGrowing : Inserted::Added;
  }
  [[nodiscard]] bool contains(std::string_view id, std::uint64_t salt = 0) const {
    if (slots_.empty()) return false;
    const std::uint64_t fp = fingerprintOf(id, salt);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = fp & mask;; i = (i + 1) & mask) {
      if (slots_[i] == fp) return true;
      if (slots_[i] == kEmpty) return false;
    }
  }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] std::size_t slots() const { return slots_.size(); }
  [[nodiscard]] std::size_t bytes() const { return slots_.capacity() * sizeof(std::uint64_t); }

 private:
  static constexpr std::uint64_t kEmpty = 0;
  static std::uint64_t fingerprintOf(std::string_view id, std::uint64_t salt) {
    // The salt (a session number) is spread over every bit, so equal ids of two sessions land apart.
    const std::uint64_t h = StringHash{}(id) ^ (salt * 0x9e3779b97f4a7c15ull);
    return h == kEmpty ? 1 : h;
  }
  // False when already there.
  static bool place(std::vector<std::uint64_t>& slots, std::uint64_t fp) {
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = fp & mask;; i = (i + 1) & mask) {
      if (slots[i] == fp) return false;
      if (slots[i] == kEmpty) {
        slots[i] = fp;
        return true;
      }
    }
  }
  void grow() {
    std::vector<std::uint64_t> bigger(slots_.empty() ? 1024 : slots_.size() * 2, kEmpty);
    for (const auto fp : slots_) {
      if (fp != kEmpty) place(bigger, fp);
    }
    slots_.swap(bigger);
  }

  std::size_t expected_ = 0;
  std::vector<std::uint64_t> slots_;  // a power of two long, kEmpty where free
  std::size_t size_ = 0;
};

}  // namespace fixgate::core
