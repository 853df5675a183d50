// Runtime::replay decides each earlier run's events with the settings that run journaled (ApplySettings),
// not with the configuration the gateway restarts on, and refuses a configuration that moved a venue or
// session away from the position the journal refers to it by.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "clock/clock.h"
#include "config/limits_config.h"
#include "core_fixture.h"
#include "journal/journal.h"
#include "journal_test_util.h"
#include "runtime/runtime.h"

namespace fixgate::runtime {
namespace {

using core::testing::kAlpha;
using core::testing::limit;
using core::testing::newOrder;
using ::testing::HasSubstr;

std::unique_ptr<journal::Journal> openJournal(const std::filesystem::path& dir) {
  auto opened = journal::Journal::open(journal::testutil::smallSettings(dir));
  EXPECT_TRUE(opened) << opened.error().message;
  return opened ? std::move(*opened) : nullptr;
}

std::unique_ptr<Runtime> runtimeOn(const core::ReferenceData& refdata, journal::Journal* journal) {
  core::Engine engine(refdata, std::string(core::testing::kIdPrefix),
                      core::testing::permissiveLimits(refdata));
  return std::make_unique<Runtime>(
      std::move(engine), [](const core::Action&) -> std::optional<core::Event> { return std::nullopt; },
      journal);
}

// XPAR holds new orders for a minute while it is disconnected.
core::ReferenceData holdingXpar() {
  auto refdata = core::testing::standardReferenceData();
  core::AckTimeouts hold;
  hold.hold_while_disconnected_us = 60'000'000;
  refdata.venue_ack_timeouts = {hold, core::AckTimeouts{}};
  return refdata;
}

std::size_t openOrdersOfAcc1(Runtime& rt) {
  return rt.inspect([](const core::Engine& engine) {
    const auto* account = engine.risk().findAccount("ACC1");
    return account == nullptr ? std::size_t{0} : static_cast<std::size_t>(account->open_orders);
  });
}

class RuntimeReplay : public ::testing::Test {
 protected:
  // A run configured with holdingXpar() journals its settings, then an order while XPAR is down: held.
  void SetUp() override {
    auto journal = openJournal(dir_.path());
    ASSERT_TRUE(journal);
    auto rt = runtimeOn(holdingXpar(), journal.get());
    rt->submit(core::Event{start_, core::settingsOf(holdingXpar())});
    rt->submit(core::Event{start_ + 1, newOrder(kAlpha, "A1", limit("AIR", 100, "10"))});
    ASSERT_EQ(openOrdersOfAcc1(*rt), 1U) << "the order was not held in the run that journaled it";
    rt.reset();
    journaled_ = journal->lastSeq();
  }

  std::expected<std::uint64_t, std::string> replayInto(
      Runtime& rt, const Runtime::JournaledLimitsParser& parse = nullptr) {
    return rt.replay(dir_.path(), journaled_, parse);
  }

  journal::testutil::TempDir dir_;
  // Event times near the real clock: the runtime's own thread applies a Tick when a deadline on that clock
  // has passed, so a held order stamped in the past (the core tests' kStart, in 2023) would have its
  // minute's hold expire, and the order be rejected and that Tick journaled, whenever the thread came round
  // first.
  const core::Timestamp start_ = clock::utcNowMicros();
  std::uint64_t journaled_ = 0;
};

TEST_F(RuntimeReplay, ARestartWithoutTheHoldStillReplaysTheOrderAsHeld) {
  auto rt = runtimeOn(core::testing::standardReferenceData(), nullptr);  // configured now: no hold
  const auto replayed = replayInto(*rt);
  ASSERT_TRUE(replayed) << replayed.error();
  EXPECT_EQ(*replayed, 2U);
  EXPECT_EQ(openOrdersOfAcc1(*rt), 1U) << "the replay rejected the order the earlier run held";
}

TEST_F(RuntimeReplay, AVenueMovedInTheConfigurationStopsTheReplayWithWhatToDo) {
  auto moved = holdingXpar();
  std::swap(moved.venue_names[0], moved.venue_names[1]);
  auto rt = runtimeOn(moved, nullptr);
  const auto replayed = replayInto(*rt);
  ASSERT_FALSE(replayed);
  EXPECT_THAT(replayed.error(),
              HasSubstr("journal record seq 1: the run that journaled this had venue 'XPAR' "
                        "at position 1 of venues where the configuration now has 'XAMS'"));
  EXPECT_EQ(openOrdersOfAcc1(*rt), 0U);
}

// Limits naming SAN in a run whose instruments file had SAN.
const std::string kLimitsNamingSan = R"(defaults:
  account:
    max_order_qty: 1000
    max_order_notional: 1000000
    max_gross_notional: 10000000
    max_net_notional: 10000000
    max_long_position: 100000
    max_short_position: 100000
    max_open_orders: 100
    max_daily_loss: 100000
accounts:
  - account: ACC1
symbols:
  - symbol: SAN
    reference_price: 10
sessions:
  - { session: ALPHA, default_account: ACC1 }
)";

// The gateway's parser: config::loadLimitsText against the reference data the replay hands it.
std::expected<std::shared_ptr<const core::Limits>, std::string> parseLimits(
    std::string_view content, std::string_view source, const core::ReferenceData& refdata) {
  auto limits = config::loadLimitsText(std::string(content), std::string(source), refdata);
  if (!limits) return std::unexpected(config::formatAll(limits.error()));
  return std::move(*limits);
}

std::string limitsVersion(Runtime& rt) {
  return rt.inspect([](const core::Engine& engine) { return engine.limits()->version; });
}

TEST_F(RuntimeReplay, LimitsNamingAnInstrumentRemovedSinceReplayAgainstTheInstrumentsOfTheirRun) {
  const auto journaled_limits = config::loadLimitsText(kLimitsNamingSan, "limits.yaml", holdingXpar());
  ASSERT_TRUE(journaled_limits) << config::formatAll(journaled_limits.error());
  {
    auto journal = openJournal(dir_.path());
    ASSERT_TRUE(journal);
    auto rt = runtimeOn(holdingXpar(), journal.get());
    rt->submit(core::Event{start_ + 2, core::settingsOf(holdingXpar())});
    rt->submit(core::Event{start_ + 3, core::ApplyLimits{*journaled_limits, "start"}});
    rt.reset();
    journaled_ = journal->lastSeq();
  }
  auto without_san = holdingXpar();
  without_san.instruments.erase("SAN");
  ASSERT_FALSE(config::loadLimitsText(kLimitsNamingSan, "limits.yaml", without_san))
      << "the limits must not parse against the instruments configured now, or this shows nothing";

  auto rt = runtimeOn(without_san, nullptr);
  const auto replayed = replayInto(*rt, parseLimits);
  ASSERT_TRUE(replayed) << replayed.error();
  EXPECT_EQ(*replayed, 4U);
  EXPECT_EQ(limitsVersion(*rt), (*journaled_limits)->version);
}

TEST_F(RuntimeReplay, LimitsJournaledBeforeAnySettingsAreCheckedAgainstTheConfigurationNow) {
  // A journal from before ApplySettings: its limits name SAN, which the configuration no longer has.
  journal::testutil::TempDir old_dir;
  auto journal = openJournal(old_dir.path());
  ASSERT_TRUE(journal);
  const auto limits = config::loadLimitsText(kLimitsNamingSan, "limits.yaml", holdingXpar());
  ASSERT_TRUE(limits) << config::formatAll(limits.error());
  runtimeOn(holdingXpar(), journal.get())
      ->submit(core::Event{clock::utcNowMicros(), core::ApplyLimits{*limits, "start"}});
  const auto journaled = journal->lastSeq();
  journal.reset();
  auto without_san = holdingXpar();
  without_san.instruments.erase("SAN");
  auto rt = runtimeOn(without_san, nullptr);
  const auto replayed = rt->replay(old_dir.path(), journaled, parseLimits);
  ASSERT_FALSE(replayed);
  EXPECT_THAT(replayed.error(), HasSubstr("journal record seq 1: "));
  EXPECT_THAT(replayed.error(), HasSubstr("'SAN' is not an instrument of the instruments file"));
}

}  // namespace
}  // namespace fixgate::runtime
