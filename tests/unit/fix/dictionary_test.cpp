// What the gateway sends must pass the data dictionaries it publishes in fix_spec/: a client validating with
// them (as QuickFIX does with UseDataDictionary=Y) would otherwise answer a report with a session-level
// Reject and never see it. Every report builder's output, for every version, is framed with a session header,
// serialized, parsed back with the dictionary and validated the way QuickFIX's Session::next validates an
// inbound application message. Orders the venue adapter sends are checked against fix_spec/venue/FIX44.xml.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "fix/field_codes.h"
#include "fix/reports.h"
#include "fix_test_messages.h"
#include "quickfix/quickfix.h"
#include "venues/fix44_venue.h"

#ifndef FIXGATE_SOURCE_DIR
#error "FIXGATE_SOURCE_DIR must point at the repository root"
#endif

namespace fixgate::fix {
namespace {

std::filesystem::path specPath(const std::string& file) {
  return std::filesystem::path(FIXGATE_SOURCE_DIR) / "fix_spec" / file;
}

// Loaded once per file; nullptr (with a test failure) when the file is missing or does not load.
const FIX::DataDictionary* dictionary(const std::string& file) {
  static std::map<std::string, std::unique_ptr<FIX::DataDictionary>> cache;
  auto& slot = cache[file];
  if (!slot) {
    const auto path = specPath(file);
    if (!std::filesystem::exists(path)) {
      ADD_FAILURE() << path << " does not exist";
      return nullptr;
    }
    try {
      slot = std::make_unique<FIX::DataDictionary>(path.string());
    } catch (const FIX::Exception& e) {
      ADD_FAILURE() << path << " does not load: " << e.what();
      return nullptr;
    }
  }
  return slot.get();
}

struct Profile {
  const char* begin_string;
  const char* session_dictionary;  // FIX 4.x dictionary, or the FIXT transport dictionary
  const char* app_dictionary;      // empty unless FIXT
};

Profile profileOf(FixVersion v) {
  switch (v) {
    case FixVersion::Fix42:
      return {"FIX.4.2", "FIX42.xml", ""};
    case FixVersion::Fix44:
      return {"FIX.4.4", "FIX44.xml", ""};
    case FixVersion::Fix50Sp2:
      return {"FIXT.1.1", "FIXT11.xml", "FIX50SP2.xml"};
  }
  return {"", "", ""};
}

std::string readable(std::string wire) {
  for (char& c : wire) {
    if (c == '\x01') c = '|';
  }
  return wire;
}

template <typename E>
bool blame(const FIX::Exception& e, std::string& out) {
  if (const auto* specific = dynamic_cast<const E*>(&e)) {
    out = e.type + " (tag " + std::to_string(specific->field) + ")";
    return true;
  }
  return false;
}

std::string describe(const FIX::Exception& e) {
  std::string out;
  if (blame<FIX::RequiredTagMissing>(e, out) || blame<FIX::IncorrectTagValue>(e, out) ||
      blame<FIX::IncorrectDataFormat>(e, out) || blame<FIX::InvalidTagNumber>(e, out) ||
      blame<FIX::TagNotDefinedForMessage>(e, out) || blame<FIX::NoTagValue>(e, out) ||
      blame<FIX::TagOutOfOrder>(e, out) || blame<FIX::RepeatedTag>(e, out) ||
      blame<FIX::RepeatingGroupCountMismatch>(e, out) || blame<FIX::FieldNotFound>(e, out)) {
    return out;
  }
  return e.what();
}

// Empty when the message passes; otherwise what QuickFIX objects to, and the message itself.
std::string validationError(FIX::Message message, const Profile& p) {
  const FIX::DataDictionary* session = dictionary(p.session_dictionary);
  const FIX::DataDictionary* app = *p.app_dictionary ? dictionary(p.app_dictionary) : session;
  if (session == nullptr || app == nullptr) return "dictionary not available";
  auto& header = message.getHeader();
  header.setField(8, p.begin_string);
  header.setField(49, "FIXGATE");
  header.setField(56, "CLIENT1");
  header.setField(34, "2");
  header.setField(52, "20231114-22:13:20.123456");
  const std::string wire = message.toString();
  try {
    if (*p.app_dictionary) {
      FIX::Message parsed(wire, *session, *app, true);
      FIX::DataDictionary::validate(parsed, session, app);
    } else {
      FIX::Message parsed(wire, *session, true);
      session->validate(parsed);
    }
  } catch (const FIX::Exception& e) {
    return describe(e) + " in " + readable(wire);
  }
  return "";
}

// ---------------------------------------------------------------------------------------------------------------
// What the gateway sends to clients

constexpr core::Timestamp kTransactTime = 1'700'000'000'123'456;

core::ExecReport execReport(core::ExecKind kind, core::OrdStatus status) {
  core::ExecReport r;
  r.kind = kind;
  r.status = status;
  r.order_id = "FG1-1";
  r.exec_id = "FG1-E1";
  r.cl_ord_id = "C-1";
  r.account = "ACC-7";
  r.symbol = "VOD.L";
  r.side = core::Side::Buy;
  r.ord_type = core::OrdType::Limit;
  r.time_in_force = core::TimeInForce::GoodTillCancel;
  r.order_qty = 1000;
  r.price = core::Price::fromUnits(10'050'000'000);
  r.leaves_qty = 1000;
  r.transact_time = kTransactTime;
  return r;
}

std::vector<std::pair<std::string, core::ExecReport>> everyExecutionReport() {
  std::vector<std::pair<std::string, core::ExecReport>> all;
  all.emplace_back("new", execReport(core::ExecKind::New, core::OrdStatus::New));
  for (const auto status : {core::OrdStatus::PartiallyFilled, core::OrdStatus::Filled}) {
    auto r = execReport(core::ExecKind::Trade, status);
    r.last_qty = 400;
    r.last_px = core::Price::fromUnits(10'025'000'000);
    r.cum_qty = status == core::OrdStatus::Filled ? 1000 : 400;
    r.leaves_qty = 1000 - r.cum_qty;
    r.avg_px = r.last_px;
    all.emplace_back(std::string("trade ") + std::string(core::toString(status)), r);
  }
  auto stop = execReport(core::ExecKind::New, core::OrdStatus::New);
  stop.ord_type = core::OrdType::StopLimit;
  stop.stop_price = core::Price::fromUnits(10'100'000'000);
  all.emplace_back("stop-limit new", stop);
  auto canceled = execReport(core::ExecKind::Canceled, core::OrdStatus::Canceled);
  canceled.cl_ord_id = "C-2";
  canceled.orig_cl_ord_id = "C-1";
  canceled.leaves_qty = 0;
  all.emplace_back("canceled", canceled);
  auto replaced = execReport(core::ExecKind::Replaced, core::OrdStatus::New);
  replaced.cl_ord_id = "C-3";
  replaced.orig_cl_ord_id = "C-1";
  all.emplace_back("replaced", replaced);
  all.emplace_back("pending cancel",
                   execReport(core::ExecKind::PendingCancel, core::OrdStatus::PendingCancel));
  all.emplace_back("pending replace",
                   execReport(core::ExecKind::PendingReplace, core::OrdStatus::PendingReplace));
  all.emplace_back("expired", execReport(core::ExecKind::Expired, core::OrdStatus::Expired));
  all.emplace_back("done for day", execReport(core::ExecKind::DoneForDay, core::OrdStatus::DoneForDay));
  all.emplace_back("status", execReport(core::ExecKind::Status, core::OrdStatus::New));
  auto unknown = execReport(core::ExecKind::Status, core::OrdStatus::Rejected);
  unknown.order_id = "NONE";
  unknown.reject = core::RejectCode::UnknownOrder;
  unknown.text = "FG201 unknown order";
  all.emplace_back("status of an unknown order", unknown);
  // The refusal normalize() builds: no order quantity it could read, no symbol maybe.
  for (int n = 100; n < 500; ++n) {
    const auto code = static_cast<core::RejectCode>(n);
    if (core::name(code) == "Unknown") continue;
    auto r = execReport(core::ExecKind::Rejected, core::OrdStatus::Rejected);
    r.order_id = "NONE";
    r.leaves_qty = 0;
    r.reject = code;
    r.text = core::makeReject(code, "detail").text;
    all.emplace_back("reject " + std::string(core::name(code)), r);
  }
  auto bare = execReport(core::ExecKind::Rejected, core::OrdStatus::Rejected);
  bare.symbol.clear();
  bare.account.clear();
  bare.order_qty = 0;
  bare.price.reset();
  bare.leaves_qty = 0;
  bare.reject = core::RejectCode::InvalidQuantity;
  bare.text = "FG101 OrderQty (38) 'NaN' is not a whole number of units";
  all.emplace_back("reject of an unreadable order", bare);
  return all;
}

class ReportsPassTheDictionary : public ::testing::TestWithParam<FixVersion> {};

TEST_P(ReportsPassTheDictionary, ExecutionReports) {
  for (const auto& [label, report] : everyExecutionReport()) {
    EXPECT_EQ(validationError(buildExecutionReport(report, GetParam()), profileOf(GetParam())), "") << label;
  }
}

TEST_P(ReportsPassTheDictionary, OrderCancelRejects) {
  for (int n = 100; n < 500; ++n) {
    const auto code = static_cast<core::RejectCode>(n);
    if (core::name(code) == "Unknown") continue;
    for (const bool for_replace : {false, true}) {
      core::CancelReject r;
      r.for_replace = for_replace;
      r.cl_ord_id = "C-2";
      r.orig_cl_ord_id = n % 2 == 0 ? "C-1" : "";
      r.order_id = "NONE";
      r.status = core::OrdStatus::Rejected;
      r.reject = code;
      r.text = core::makeReject(code, "detail").text;
      r.transact_time = kTransactTime;
      EXPECT_EQ(validationError(buildOrderCancelReject(r, GetParam()), profileOf(GetParam())), "")
          << core::name(code) << (for_replace ? " replace" : " cancel");
    }
  }
}

TEST_P(ReportsPassTheDictionary, OrderMassCancelReports) {
  core::MassCancelReport all;
  all.cl_ord_id = "M-1";
  all.order_id = "FG1-M1";
  all.raw_scope = '7';
  all.affected_orders = 3;
  all.transact_time = kTransactTime;
  EXPECT_EQ(validationError(buildMassCancelReport(all, GetParam()), profileOf(GetParam())), "")
      << "all orders";

  auto by_symbol = all;
  by_symbol.raw_scope = '1';
  by_symbol.symbol = "VOD.L";
  EXPECT_EQ(validationError(buildMassCancelReport(by_symbol, GetParam()), profileOf(GetParam())), "")
      << "by symbol";

  auto unsupported = all;
  unsupported.raw_scope = '4';
  unsupported.affected_orders = 0;
  unsupported.reject = core::RejectCode::MassCancelUnsupportedScope;
  unsupported.text = "FG207 scope 4";
  EXPECT_EQ(validationError(buildMassCancelReport(unsupported, GetParam()), profileOf(GetParam())), "")
      << "unsupported scope";

  auto refused = by_symbol;
  refused.symbol.clear();
  refused.affected_orders = 0;
  refused.reject = core::RejectCode::UnsupportedValue;
  refused.text = "FG109 MassCancelRequestType 1 (by security) needs Symbol (55)";
  EXPECT_EQ(validationError(buildMassCancelReport(refused, GetParam()), profileOf(GetParam())), "")
      << "refused (99)";
}

TEST_P(ReportsPassTheDictionary, BusinessMessageRejects) {
  for (const char* ref_msg_type : {"E", "R", "V", "c", "x"}) {
    BusinessReject r;
    r.ref_msg_type = ref_msg_type;
    r.ref_seq_num = 42;
    r.text = "not supported";
    EXPECT_EQ(validationError(buildBusinessReject(r, GetParam()), profileOf(GetParam())), "") << ref_msg_type;
  }
}

INSTANTIATE_TEST_SUITE_P(AllVersions, ReportsPassTheDictionary,
                         ::testing::Values(FixVersion::Fix42, FixVersion::Fix44, FixVersion::Fix50Sp2),
                         [](const auto& info) {
                           switch (info.param) {
                             case FixVersion::Fix42:
                               return std::string("Fix42");
                             case FixVersion::Fix44:
                               return std::string("Fix44");
                             case FixVersion::Fix50Sp2:
                               return std::string("Fix50Sp2");
                           }
                           return std::string("unknown");
                         });

// ---------------------------------------------------------------------------------------------------------------
// What the gateway sends to venues

const Profile kVenue{"FIX.4.4", "venue/FIX44.xml", ""};

core::OrderTerms venueTerms() {
  core::OrderTerms t;
  t.account = "ACC-7";
  t.symbol = "VOD.L";
  t.security_id = "GB00BH4HKS39";
  t.security_id_source = '4';
  t.security_exchange = "XLON";
  t.currency = "GBP";
  t.side = core::Side::Sell;
  t.ord_type = core::OrdType::StopLimit;
  t.time_in_force = core::TimeInForce::GoodTillDate;
  t.expire = "20231115-16:30:00.000";
  t.quantity = 1500;
  t.price = core::Price::fromUnits(10'125'000'000);
  t.stop_price = core::Price::fromUnits(10'150'000'000);
  t.capacity = core::TradingCapacity::Agency;
  t.parties.client = {"90001", 'P', 0};
  t.parties.investment_decision = {"4711", 'P', 24};
  t.parties.execution_within_firm = {"ALGO-9", 'P', 22};
  return t;
}

TEST(VenueMessagesPassTheVenueDictionary, NewOrderSingle) {
  EXPECT_EQ(validationError(
                venues::buildVenueNewOrder({0, "FG1-V1", venueTerms(), kTransactTime, "O1", false}), kVenue),
            "");
  auto t = venueTerms();
  t.expire = "20231115";
  t.ord_type = core::OrdType::Market;
  t.price.reset();
  t.stop_price.reset();
  t.time_in_force = core::TimeInForce::ImmediateOrCancel;
  t.parties = {};
  EXPECT_EQ(validationError(venues::buildVenueNewOrder({0, "FG1-V2", t, kTransactTime, "O1", true}), kVenue),
            "");
}

TEST(VenueMessagesPassTheVenueDictionary, OrderCancelRequest) {
  core::VenueCancel c{0, "FG1-V3", "FG1-V1", "SIM-777", "VOD.L", core::Side::Sell, 1500, kTransactTime, "O1"};
  EXPECT_EQ(validationError(venues::buildVenueCancel(c), kVenue), "");
}

TEST(VenueMessagesPassTheVenueDictionary, OrderCancelReplaceRequest) {
  core::VenueReplace r{0, "FG1-V4", "FG1-V1", "SIM-777", venueTerms(), kTransactTime, "O1"};
  EXPECT_EQ(validationError(venues::buildVenueReplace(r), kVenue), "");
}

}  // namespace
}  // namespace fixgate::fix
