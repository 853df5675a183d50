// Tests for the gateway's QuickFIX data dictionaries in fix_spec/.
//
// Every check parses a raw FIX string with the dictionaries (as a QuickFIX session does) and then
// validates it the way QuickFIX 1.15.1's Session::next does: FIX 4.x messages against the one
// session dictionary; FIXT.1.1 session messages against the transport dictionary alone and
// application messages against transport (header/trailer) plus application (body) dictionaries.

#include "quickfix/quickfix.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#ifndef FIXGATE_SOURCE_DIR
#error "FIXGATE_SOURCE_DIR must point at the repository root"
#endif

namespace {

std::string specPath(const std::string& relative) {
  return std::string(FIXGATE_SOURCE_DIR) + "/fix_spec/" + relative;
}

// Dictionaries are loaded once per file and shared by all tests.
const FIX::DataDictionary& dictionary(const std::string& relative) {
  static std::map<std::string, std::unique_ptr<FIX::DataDictionary>> cache;
  auto& slot = cache[relative];
  if (!slot) slot = std::make_unique<FIX::DataDictionary>(specPath(relative));
  return *slot;
}

// Frames a body written with '|' as the field separator: adds BeginString, BodyLength and CheckSum.
std::string frame(const std::string& beginString, const std::string& body) {
  std::string payload = body;
  for (char& c : payload) {
    if (c == '|') c = '\x01';
  }
  std::string message =
      "8=" + beginString + "\x01" + "9=" + std::to_string(payload.size()) + "\x01" + payload;
  unsigned sum = 0;
  for (const unsigned char c : message) sum += c;
  const std::string checksum = std::to_string(sum % 256);
  return message + "10=" + std::string(3 - checksum.size(), '0') + checksum + "\x01";
}

// What validation did: "OK" or the QuickFIX exception, with the tag it blames (0 when none).
struct Outcome {
  std::string kind;
  int field = 0;
  bool operator==(const Outcome&) const = default;
};

void PrintTo(const Outcome& outcome, std::ostream* os) {
  *os << outcome.kind << "(" << outcome.field << ")";
}

const Outcome kOk{"OK", 0};

// One way clients (or the venue) talk to the gateway.
struct Profile {
  std::string name;
  std::string beginString;
  std::string sessionDictionary;  // FIX 4.x dictionary, or the FIXT transport dictionary
  std::string appDictionary;      // empty unless FIXT
  std::string logonExtra;         // fields a valid Logon needs on top of the common ones
};

void PrintTo(const Profile& profile, std::ostream* os) {
  *os << profile.name;
}

const Profile kFix42{"FIX42", "FIX.4.2", "FIX42.xml", "", ""};
const Profile kFix44{"FIX44", "FIX.4.4", "FIX44.xml", "", ""};
const Profile kFix50Sp2{"FIXT11_FIX50SP2", "FIXT.1.1", "FIXT11.xml", "FIX50SP2.xml", "1137=9|"};
const Profile kVenue44{"Venue_FIX44", "FIX.4.4", "venue/FIX44.xml", "", ""};

Outcome validateRaw(const Profile& profile, const std::string& raw, const FIX::DataDictionary* appOverride) {
  const FIX::DataDictionary& session = dictionary(profile.sessionDictionary);
  try {
    if (!profile.appDictionary.empty()) {
      const FIX::DataDictionary& app = appOverride ? *appOverride : dictionary(profile.appDictionary);
      FIX::Message message(raw, session, app, true);
      if (message.isAdmin()) {
        session.validate(message);
      } else {
        FIX::DataDictionary::validate(message, &session, &app);
      }
    } else {
      const FIX::DataDictionary& dd = appOverride ? *appOverride : session;
      FIX::Message message(raw, dd, true);
      dd.validate(message);
    }
    return kOk;
  } catch (const FIX::RequiredTagMissing& e) {
    return {"RequiredTagMissing", e.field};
  } catch (const FIX::IncorrectDataFormat& e) {
    return {"IncorrectDataFormat", e.field};
  } catch (const FIX::IncorrectTagValue& e) {
    return {"IncorrectTagValue", e.field};
  } catch (const FIX::InvalidTagNumber& e) {
    return {"InvalidTagNumber", e.field};
  } catch (const FIX::TagNotDefinedForMessage& e) {
    return {"TagNotDefinedForMessage", e.field};
  } catch (const FIX::RepeatingGroupCountMismatch& e) {
    return {"RepeatingGroupCountMismatch", e.field};
  } catch (const FIX::TagOutOfOrder& e) {
    return {"TagOutOfOrder", e.field};
  } catch (const FIX::RepeatedTag& e) {
    return {"RepeatedTag", e.field};
  } catch (const FIX::NoTagValue& e) {
    return {"NoTagValue", e.field};
  } catch (const FIX::InvalidMessageType&) {
    return {"InvalidMessageType", 0};
  } catch (const FIX::UnsupportedVersion&) {
    return {"UnsupportedVersion", 0};
  } catch (const FIX::Exception& e) {
    return {std::string("FIX::Exception: ") + e.type + " " + e.detail, 0};
  }
}

Outcome validate(const Profile& profile, const std::string& body) {
  return validateRaw(profile, frame(profile.beginString, body), nullptr);
}

// Standard header from a client; tests put the MsgType in front of it.
const std::string kHeader = "49=CLIENT1|56=FIXGATE|34=2|52=20240102-09:30:00.000|";
const std::string kTime = "20240102-09:30:00.000";

std::string msg(const std::string& msgType, const std::string& fields) {
  return "35=" + msgType + "|" + kHeader + fields;
}

// MiFID II parties: executing trader (natural person), algorithm as investment decision maker, and
// the executing firm by LEI.
const std::string kParties =
    "453=3|448=TRADER-7|447=D|452=12|2376=24|448=ALGO-42|447=D|452=122|2376=22|"
    "448=5493001KJTIIGC8Y1R12|447=N|452=1|2376=23|";

const std::string kInstrument = "55=VOD.L|48=GB00BH4HKS39|22=4|207=XLON|";
const std::string kOrderTail = "54=1|60=" + kTime + "|38=100|40=2|44=101.25|59=0|15=GBP|";

std::string newOrderSingle(const std::string& parties = kParties) {
  return msg("D", "11=ORD-1|" + parties + "1=ACC-1|21=1|" + kInstrument + kOrderTail);
}

// ---------------------------------------------------------------------------------------------
// Loading

TEST(FixSpecLoad, EveryDictionaryLoadsAndReportsItsVersion) {
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"FIX42.xml", "FIX.4.2"},       {"FIX44.xml", "FIX.4.4"}, {"FIXT11.xml", "FIXT.1.1"},
      {"FIX50SP2.xml", "FIX.5.0"},  // QuickFIX ignores servicepack; ApplVerID selects SP2
      {"venue/FIX44.xml", "FIX.4.4"},
  };
  for (const auto& [file, version] : expected) {
    SCOPED_TRACE(file);
    std::unique_ptr<FIX::DataDictionary> dd;
    ASSERT_NO_THROW(dd = std::make_unique<FIX::DataDictionary>(specPath(file)));
    EXPECT_EQ(dd->getVersion(), version);
  }
}

TEST(FixSpecLoad, MissingFileIsAConfigError) {
  EXPECT_THROW(FIX::DataDictionary{specPath("does-not-exist.xml")}, FIX::ConfigError);
}

TEST(FixSpecLoad, MessageAndFieldNamesFollowEachVersion) {
  const auto& fix42 = dictionary("FIX42.xml");
  const auto& fix44 = dictionary("FIX44.xml");
  const auto& fix50 = dictionary("FIX50SP2.xml");
  const auto& venue = dictionary("venue/FIX44.xml");
  std::string name;

  ASSERT_TRUE(fix42.getFieldName(22, name));
  EXPECT_EQ(name, "IDSource");
  ASSERT_TRUE(fix42.getFieldName(32, name));
  EXPECT_EQ(name, "LastShares");
  ASSERT_TRUE(fix44.getFieldName(22, name));
  EXPECT_EQ(name, "SecurityIDSource");
  ASSERT_TRUE(fix44.getFieldName(32, name));
  EXPECT_EQ(name, "LastQty");

  for (const auto* dd : {&fix42, &fix44, &fix50, &venue}) {
    int tag = 0;
    ASSERT_TRUE(dd->getFieldTag("PartyRoleQualifier", tag));
    EXPECT_EQ(tag, 2376);
    EXPECT_TRUE(dd->isMsgType("q"));
    EXPECT_TRUE(dd->isMsgType("r"));
    ASSERT_TRUE(dd->getValueName(35, "q", name));
    EXPECT_EQ(name, "OrderMassCancelRequest");
  }
}

TEST(FixSpecLoad, FixtSplitsSessionAndApplicationMessages) {
  const auto& transport = dictionary("FIXT11.xml");
  const auto& app = dictionary("FIX50SP2.xml");
  for (const char* type : {"0", "1", "2", "3", "4", "5", "A"}) {
    EXPECT_TRUE(transport.isMsgType(type)) << type;
    EXPECT_FALSE(app.isMsgType(type)) << type;
  }
  for (const char* type : {"D", "F", "G", "H", "q", "8", "9", "r", "j"}) {
    EXPECT_FALSE(transport.isMsgType(type)) << type;
    EXPECT_TRUE(app.isMsgType(type)) << type;
  }
  EXPECT_TRUE(transport.isHeaderField(1128));
}

// ---------------------------------------------------------------------------------------------
// Rules common to every client dictionary and the venue dictionary

class EveryDictionary : public ::testing::TestWithParam<Profile> {};

TEST_P(EveryDictionary, NewOrderSingleWithMifidPartiesValidates) {
  EXPECT_EQ(validate(GetParam(), newOrderSingle()), kOk);
}

TEST_P(EveryDictionary, NewOrderSingleWithoutSymbolIsRequiredTagMissing) {
  const std::string body = msg("D", "11=ORD-1|" + kParties + "21=1|48=GB00BH4HKS39|22=4|" + kOrderTail);
  EXPECT_EQ(validate(GetParam(), body), (Outcome{"RequiredTagMissing", 55}));
}

TEST_P(EveryDictionary, NewOrderSingleWithoutOrderQtyIsRequiredTagMissing) {
  const std::string body = msg("D", "11=ORD-1|21=1|" + kInstrument + "54=1|60=" + kTime + "|40=1|");
  EXPECT_EQ(validate(GetParam(), body), (Outcome{"RequiredTagMissing", 38}));
}

TEST_P(EveryDictionary, NonNumericOrderQtyIsIncorrectDataFormat) {
  const std::string body = msg("D", "11=ORD-1|21=1|" + kInstrument + "54=1|60=" + kTime + "|38=NaN|40=1|");
  EXPECT_EQ(validate(GetParam(), body), (Outcome{"IncorrectDataFormat", 38}));
}

TEST_P(EveryDictionary, UnknownSideIsIncorrectTagValue) {
  const std::string body = msg("D", "11=ORD-1|21=1|" + kInstrument + "54=Z|60=" + kTime + "|38=100|40=1|");
  EXPECT_EQ(validate(GetParam(), body), (Outcome{"IncorrectTagValue", 54}));
}

TEST_P(EveryDictionary, StandardTagOutsideTheRulesOfEngagementIsInvalidTagNumber) {
  // ExecInst (18) is standard FIX but not part of the gateway's rules of engagement.
  EXPECT_EQ(validate(GetParam(), newOrderSingle() + "18=G|"), (Outcome{"InvalidTagNumber", 18}));
}

TEST_P(EveryDictionary, UndeclaredUserDefinedTagIsInvalidTagNumber) {
  EXPECT_EQ(validate(GetParam(), newOrderSingle() + "5001=x|"), (Outcome{"InvalidTagNumber", 5001}));
}

TEST_P(EveryDictionary, DeclaredFieldInTheWrongMessageIsTagNotDefinedForMessage) {
  EXPECT_EQ(validate(GetParam(), newOrderSingle() + "150=0|"), (Outcome{"TagNotDefinedForMessage", 150}));
}

TEST_P(EveryDictionary, PartyEntryWithoutPartyIdIsRequiredTagMissing) {
  EXPECT_EQ(validate(GetParam(), newOrderSingle("453=1|447=D|452=3|")), (Outcome{"RequiredTagMissing", 448}));
}

TEST_P(EveryDictionary, PartyEntriesMustStartWithPartyId) {
  // PartyID is the group delimiter. QuickFIX opens an instance at the stray PartyIDSource, which then
  // lacks its PartyID, and a second one at the PartyID.
  EXPECT_EQ(validate(GetParam(), newOrderSingle("453=1|447=D|448=TRADER-7|452=12|")),
            (Outcome{"RequiredTagMissing", 448}));
}

TEST_P(EveryDictionary, PartyFieldsAfterPartyIdMayComeInAnyOrder) {
  EXPECT_EQ(validate(GetParam(), newOrderSingle("453=1|448=TRADER-7|2376=24|452=12|447=D|")), kOk);
}

TEST_P(EveryDictionary, WrongPartyCountIsRepeatingGroupCountMismatch) {
  EXPECT_EQ(validate(GetParam(), newOrderSingle("453=3|448=A|452=12|448=B|452=3|")),
            (Outcome{"RepeatingGroupCountMismatch", 453}));
}

TEST_P(EveryDictionary, UndeclaredMessageTypeIsInvalidMessageType) {
  // TradeCaptureReport: standard, but not declared, so a QuickFIX session rejects it with 373=11.
  EXPECT_EQ(validate(GetParam(), msg("AE", "571=TR-1|")), (Outcome{"InvalidMessageType", 0}));
}

TEST_P(EveryDictionary, WrongBeginStringIsUnsupportedVersion) {
  EXPECT_EQ(validateRaw(GetParam(), frame("FIX.4.3", newOrderSingle()), nullptr),
            (Outcome{"UnsupportedVersion", 0}));
}

TEST_P(EveryDictionary, OrderCancelRequestValidates) {
  const std::string body = msg(
      "F", "41=ORD-1|37=EX-1|11=ORD-2|1=ACC-1|" + kParties + kInstrument + "54=1|60=" + kTime + "|38=100|");
  EXPECT_EQ(validate(GetParam(), body), kOk);
}

TEST_P(EveryDictionary, OrderCancelReplaceRequestValidates) {
  const std::string body = msg("G", "37=EX-1|" + kParties + "41=ORD-1|11=ORD-2|1=ACC-1|21=1|" + kInstrument +
                                        "54=1|60=" + kTime + "|38=200|40=2|44=101.5|59=6|432=20240105|");
  EXPECT_EQ(validate(GetParam(), body), kOk);
}

TEST_P(EveryDictionary, OrderCancelReplaceRequestWithoutOrigClOrdIdIsRequiredTagMissing) {
  const std::string body =
      msg("G", "11=ORD-2|21=1|" + kInstrument + "54=1|60=" + kTime + "|38=200|40=2|44=101.5|");
  EXPECT_EQ(validate(GetParam(), body), (Outcome{"RequiredTagMissing", 41}));
}

TEST_P(EveryDictionary, OrderStatusRequestValidates) {
  EXPECT_EQ(validate(GetParam(), msg("H", "37=EX-1|11=ORD-1|" + kParties + kInstrument + "54=1|")), kOk);
}

TEST_P(EveryDictionary, MassCancelOfAllOrdersValidatesWithoutInstrument) {
  EXPECT_EQ(validate(GetParam(), msg("q", "11=MC-1|530=7|" + kParties + "60=" + kTime + "|")), kOk);
}

TEST_P(EveryDictionary, MassCancelForASecurityValidates) {
  EXPECT_EQ(validate(GetParam(), msg("q", "11=MC-2|530=1|55=VOD.L|54=2|60=" + kTime + "|58=eod|")), kOk);
}

TEST_P(EveryDictionary, MassCancelWithoutRequestTypeIsRequiredTagMissing) {
  EXPECT_EQ(validate(GetParam(), msg("q", "11=MC-1|60=" + kTime + "|")),
            (Outcome{"RequiredTagMissing", 530}));
}

TEST_P(EveryDictionary, MassCancelReportValidates) {
  EXPECT_EQ(validate(GetParam(), msg("r", "11=MC-1|37=MCR-1|530=7|531=7|533=12|60=" + kTime + "|")), kOk);
  EXPECT_EQ(validate(GetParam(), msg("r", "11=MC-1|37=MCR-2|530=1|531=0|532=1|55=XXX|58=unknown|")), kOk);
}

TEST_P(EveryDictionary, OrderCancelRejectValidates) {
  EXPECT_EQ(
      validate(GetParam(), msg("9", "37=EX-1|11=ORD-2|41=ORD-1|39=0|60=" + kTime + "|434=1|102=1|58=no|")),
      kOk);
}

TEST_P(EveryDictionary, BusinessMessageRejectValidates) {
  EXPECT_EQ(validate(GetParam(), msg("j", "45=7|372=R|379=QR-1|380=3|58=Unsupported Message Type|")), kOk);
}

TEST_P(EveryDictionary, LogonWithCredentialsValidates) {
  const std::string body = msg("A", "98=0|108=30|141=Y|553=trader|554=secret|" + GetParam().logonExtra);
  EXPECT_EQ(validate(GetParam(), body), kOk);
}

TEST_P(EveryDictionary, TestRequestWithoutTestReqIdIsRequiredTagMissing) {
  EXPECT_EQ(validate(GetParam(), msg("1", "")), (Outcome{"RequiredTagMissing", 112}));
  EXPECT_EQ(validate(GetParam(), msg("1", "112=ping|")), kOk);
}

TEST_P(EveryDictionary, SessionRejectValidates) {
  EXPECT_EQ(validate(GetParam(), msg("3", "45=5|371=54|372=D|373=5|58=bad side|")), kOk);
}

INSTANTIATE_TEST_SUITE_P(FixSpec, EveryDictionary, ::testing::Values(kFix42, kFix44, kFix50Sp2, kVenue44),
                         [](const ::testing::TestParamInfo<Profile>& info) { return info.param.name; });

// ---------------------------------------------------------------------------------------------
// Standard messages the gateway does not support: declared, so they reach the application
// (which answers BusinessMessageReject 380=3) instead of being rejected by the session.

class ClientDictionary : public ::testing::TestWithParam<Profile> {};

TEST_P(ClientDictionary, DeclaredButUnsupportedMessagesValidate) {
  const Profile& p = GetParam();
  EXPECT_EQ(validate(p, msg("R", "131=QR-1|146=1|55=VOD.L|")), kOk);
  EXPECT_EQ(validate(p, msg("V", "262=MD-1|263=1|264=0|267=2|269=0|269=1|146=1|55=VOD.L|")), kOk);
  EXPECT_EQ(validate(p, msg("c", "320=SD-1|321=3|")), kOk);
  EXPECT_EQ(validate(p, msg("E", "66=L-1|394=3|68=1|73=1|11=ORD-9|67=1|55=VOD.L|54=1|38=10|")), kOk);
  if (p.beginString != "FIX.4.2") {  // SecurityListRequest exists from FIX 4.3 on
    EXPECT_EQ(validate(p, msg("x", "320=SL-1|559=4|")), kOk);
  }
}

TEST_P(ClientDictionary, DeclaredButUnsupportedMessagesStillNeedTheirRequiredFields) {
  const Profile& p = GetParam();
  EXPECT_EQ(validate(p, msg("R", "146=1|55=VOD.L|")), (Outcome{"RequiredTagMissing", 131}));
  EXPECT_EQ(validate(p, msg("E", "66=L-1|394=3|68=1|73=1|11=ORD-9|67=1|55=VOD.L|")),
            (Outcome{"RequiredTagMissing", 54}));
}

TEST_P(ClientDictionary, OptionalFieldsOutsideTheTrimmedUnsupportedMessagesAreRejected) {
  // Limitation of declaring only the required fields: anything else in an unsupported message is
  // a session-level Reject rather than a BusinessMessageReject.
  EXPECT_EQ(validate(GetParam(), msg("c", "320=SD-1|321=3|55=VOD.L|")),
            (Outcome{"TagNotDefinedForMessage", 55}));
}

INSTANTIATE_TEST_SUITE_P(FixSpec, ClientDictionary, ::testing::Values(kFix42, kFix44, kFix50Sp2),
                         [](const ::testing::TestParamInfo<Profile>& info) { return info.param.name; });

TEST(VenueDictionary, OnlyOrderFlowMessagesAreDeclared) {
  for (const std::string type : {"E", "R", "V", "c", "x"}) {
    EXPECT_EQ(validate(kVenue44, msg(type, "320=SD-1|")), (Outcome{"InvalidMessageType", 0})) << type;
  }
}

// ---------------------------------------------------------------------------------------------
// Version-specific rules

std::string fill42(const std::string& extra) {
  return msg("8", "37=EX-1|11=ORD-1|" + kParties + "17=EXE-1|" + extra + "150=2|39=2|1=ACC-1|" + kInstrument +
                      "54=1|38=100|40=2|44=101.25|47=A|32=100|31=101.25|151=0|14=100|6=101.25|60=" + kTime +
                      "|");
}

std::string fill44(const std::string& extra) {
  return msg("8", "37=EX-1|11=ORD-1|" + kParties + "17=EXE-1|" + extra + "150=F|39=2|1=ACC-1|" + kInstrument +
                      "54=1|38=100|40=2|44=101.25|528=A|32=100|31=101.25|151=0|14=100|6=101.25|60=" + kTime +
                      "|");
}

TEST(Fix42Dictionary, ExecutionReportRequiresExecTransType) {
  EXPECT_EQ(validate(kFix42, fill42("20=0|")), kOk);
  EXPECT_EQ(validate(kFix42, fill42("")), (Outcome{"RequiredTagMissing", 20}));
}

TEST(Fix44Dictionary, ExecutionReportHasNoExecTransType) {
  EXPECT_EQ(validate(kFix44, fill44("")), kOk);
  EXPECT_EQ(validate(kVenue44, fill44("")), kOk);
  EXPECT_EQ(validate(kFix44, fill44("20=0|")), (Outcome{"InvalidTagNumber", 20}));
}

TEST(Fix50Sp2Dictionary, ExecutionReportValidatesAndAvgPxIsOptional) {
  EXPECT_EQ(validate(kFix50Sp2, fill44("")), kOk);
  const std::string withoutAvgPx =
      msg("8", "37=EX-1|17=EXE-1|150=0|39=0|" + kInstrument + "54=1|151=100|14=0|");
  EXPECT_EQ(validate(kFix50Sp2, withoutAvgPx), kOk);
  EXPECT_EQ(validate(kFix44, withoutAvgPx), (Outcome{"RequiredTagMissing", 6}));
}

TEST(VersionDifferences, ExecTypeValuesFollowTheVersion) {
  // FIX 4.2 reports fills as ExecType 1/2; FIX 4.4 and later use F (Trade).
  const std::string partial42 = msg("8", "37=EX-1|17=E-1|20=0|150=1|39=1|55=VOD.L|54=1|151=50|14=50|6=1|");
  const std::string partial44 = msg("8", "37=EX-1|17=E-1|150=1|39=1|55=VOD.L|54=1|151=50|14=50|6=1|");
  const std::string trade42 = msg("8", "37=EX-1|17=E-1|20=0|150=F|39=1|55=VOD.L|54=1|151=50|14=50|6=1|");
  EXPECT_EQ(validate(kFix42, partial42), kOk);
  EXPECT_EQ(validate(kFix42, trade42), (Outcome{"IncorrectTagValue", 150}));
  EXPECT_EQ(validate(kFix44, partial44), (Outcome{"IncorrectTagValue", 150}));
  EXPECT_EQ(validate(kFix50Sp2, partial44), (Outcome{"IncorrectTagValue", 150}));
}

TEST(VersionDifferences, HandlInstIsRequiredOnlyInFix42) {
  const std::string noHandlInst = msg("D", "11=ORD-1|" + kInstrument + kOrderTail);
  EXPECT_EQ(validate(kFix42, noHandlInst), (Outcome{"RequiredTagMissing", 21}));
  EXPECT_EQ(validate(kFix44, noHandlInst), kOk);
  EXPECT_EQ(validate(kFix50Sp2, noHandlInst), kOk);
  EXPECT_EQ(validate(kVenue44, noHandlInst), kOk);
}

TEST(VersionDifferences, OrderCapacityIsFix44OnwardsAndRule80AIsFix42) {
  EXPECT_EQ(validate(kFix44, newOrderSingle() + "528=A|"), kOk);
  EXPECT_EQ(validate(kFix50Sp2, newOrderSingle() + "528=P|"), kOk);
  EXPECT_EQ(validate(kFix44, newOrderSingle() + "528=X|"), (Outcome{"IncorrectTagValue", 528}));
  EXPECT_EQ(validate(kFix42, newOrderSingle() + "47=A|"), kOk);
  EXPECT_EQ(validate(kFix42, newOrderSingle() + "528=A|"), (Outcome{"InvalidTagNumber", 528}));
  EXPECT_EQ(validate(kFix44, newOrderSingle() + "47=A|"), (Outcome{"InvalidTagNumber", 47}));
}

TEST(VersionDifferences, TimeInForceValuesFollowTheVersion) {
  // AT_THE_CLOSE (7) arrived in FIX 4.3.
  const std::string atClose =
      msg("D", "11=ORD-1|21=1|" + kInstrument + "54=1|60=" + kTime + "|38=1|40=1|59=7|");
  EXPECT_EQ(validate(kFix42, atClose), (Outcome{"IncorrectTagValue", 59}));
  EXPECT_EQ(validate(kFix44, atClose), kOk);
  EXPECT_EQ(validate(kFix50Sp2, atClose), kOk);
}

// ---------------------------------------------------------------------------------------------
// FIXT.1.1 transport + FIX 5.0SP2 application

TEST(FixtDictionaries, LogonRequiresDefaultApplVerId) {
  EXPECT_EQ(validate(kFix50Sp2, msg("A", "98=0|108=30|")), (Outcome{"RequiredTagMissing", 1137}));
  EXPECT_EQ(validate(kFix50Sp2, msg("A", "98=0|108=30|1137=9|")), kOk);
  EXPECT_EQ(validate(kFix50Sp2, msg("A", "98=0|108=30|1137=X|")), (Outcome{"IncorrectTagValue", 1137}));
}

TEST(FixtDictionaries, ApplVerIdInTheHeaderIsCheckedByTheTransportDictionary) {
  const std::string order = "11=ORD-1|" + kInstrument + kOrderTail;
  EXPECT_EQ(validate(kFix50Sp2, "35=D|1128=9|" + kHeader + order), kOk);
  EXPECT_EQ(validate(kFix50Sp2, "35=D|1128=X|" + kHeader + order), (Outcome{"IncorrectTagValue", 1128}));
}

TEST(FixtDictionaries, ApplicationMessagesAreUnknownToTheTransportDictionaryAlone) {
  const FIX::DataDictionary& transport = dictionary("FIXT11.xml");
  EXPECT_EQ(validateRaw(kFix44, frame("FIXT.1.1", newOrderSingle()), &transport),
            (Outcome{"InvalidMessageType", 0}));
}

TEST(FixtDictionaries, BusinessMessageRejectMayCarryDefaultApplVerIdAsQuickFixSendsIt) {
  EXPECT_EQ(validate(kFix50Sp2, msg("j", "1137=9|45=7|372=R|380=3|58=Unsupported Message Type|")), kOk);
}

// ---------------------------------------------------------------------------------------------
// QuickFIX 1.15.1 dictionary behaviour the gateway relies on or must compensate for. If an
// upgrade changes one of these, revisit fix_spec/README.md and the application-level checks.

TEST(QuickFix1151Behaviour, HeaderRequiredFlagsAreNotEnforcedByTheDictionary) {
  // The Session itself insists on SenderCompID/TargetCompID/SendingTime/MsgSeqNum.
  const std::string noSender =
      "35=D|56=FIXGATE|34=2|52=" + kTime + "|11=ORD-1|21=1|" + kInstrument + kOrderTail;
  EXPECT_EQ(validate(kFix44, noSender), kOk);
}

TEST(QuickFix1151Behaviour, ValuesInsideRepeatingGroupsAreNotChecked) {
  // PartyRole 999, PartyIDSource ZZ and a non-integer PartyRoleQualifier all pass: the gateway must
  // check party values itself.
  EXPECT_EQ(validate(kFix44, newOrderSingle("453=1|448=TRADER-7|447=ZZ|452=999|2376=abc|")), kOk);
}

TEST(QuickFix1151Behaviour, UserDefinedTagsPassWhenTheirCheckIsDisabled) {
  // Session setting ValidateUserDefinedFields=N maps to checkUserDefinedFields(false).
  FIX::DataDictionary relaxed(specPath("FIX44.xml"));
  relaxed.checkUserDefinedFields(false);
  const std::string raw = frame("FIX.4.4", newOrderSingle() + "5001=x|");
  EXPECT_EQ(validateRaw(kFix44, raw, &relaxed), kOk);
  EXPECT_EQ(validateRaw(kFix44, raw, nullptr), (Outcome{"InvalidTagNumber", 5001}));
}

}  // namespace
