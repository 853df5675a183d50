// The duplicate guard's table itself: keys that share a home slot, reuse of expired slots without growing,
// growth that keeps every entry still inside the window.
#include <gtest/gtest.h>

#include "core/pre_trade.h"

namespace fixgate::core {
namespace {

constexpr int kWindowMs = 1'000;
constexpr Timestamp kWindow = 1'000'000;  // the same, in microseconds

TEST(DuplicateGuard, KeysSharingAHomeSlotAreTrackedApart) {
  DuplicateGuard guard(64);
  // 1, 65, 129 all land on slot 1 of a 64-slot table.
  for (std::uint64_t key : {1ull, 65ull, 129ull}) EXPECT_TRUE(guard.admit(key, 10, kWindowMs)) << key;
  for (std::uint64_t key : {1ull, 65ull, 129ull}) EXPECT_FALSE(guard.admit(key, 11, kWindowMs)) << key;
  EXPECT_TRUE(guard.admit(193, 12, kWindowMs));
}

TEST(DuplicateGuard, ZeroKeyIsAnOrdinaryKey) {
  DuplicateGuard guard(64);
  EXPECT_TRUE(guard.admit(0, 10, kWindowMs));
  EXPECT_FALSE(guard.admit(0, 11, kWindowMs));
}

TEST(DuplicateGuard, ExpiredEntriesAreReusedWithoutGrowing) {
  DuplicateGuard guard(64);
  // Ten windows' worth of distinct orders, each window fewer than the table holds: no growth.
  for (int round = 0; round < 10; ++round) {
    const Timestamp t = round * kWindow;
    for (std::uint64_t k = 0; k < 40; ++k) {
      EXPECT_TRUE(guard.admit(1 + round * 1'000 + k, t, kWindowMs));
    }
  }
  EXPECT_EQ(guard.capacity(), 64u);
}

TEST(DuplicateGuard, GrowingKeepsEveryEntryInsideTheWindow) {
  DuplicateGuard guard(64);
  constexpr std::uint64_t kOrders = 5'000;  // far more than 64 slots, all inside one window
  for (std::uint64_t k = 1; k <= kOrders; ++k) ASSERT_TRUE(guard.admit(k * 7919, 100, kWindowMs)) << k;
  EXPECT_GE(guard.capacity(), kOrders);
  for (std::uint64_t k = 1; k <= kOrders; ++k) EXPECT_FALSE(guard.admit(k * 7919, 200, kWindowMs)) << k;
  // After the window all of them pass again.
  for (std::uint64_t k = 1; k <= kOrders; ++k)
    EXPECT_TRUE(guard.admit(k * 7919, 100 + kWindow, kWindowMs)) << k;
}

TEST(DuplicateGuard, ARepeatExactlyAtTheWindowPassesAndRestartsIt) {
  DuplicateGuard guard(64);
  EXPECT_TRUE(guard.admit(42, 0, kWindowMs));
  EXPECT_FALSE(guard.admit(42, kWindow - 1, kWindowMs));
  EXPECT_TRUE(guard.admit(42, kWindow, kWindowMs));
  EXPECT_FALSE(guard.admit(42, 2 * kWindow - 1, kWindowMs));
}

}  // namespace
}  // namespace fixgate::core
