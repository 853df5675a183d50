// libFuzzer target: hostile client messages through fixgate::fix::normalize, for every FIX version the
// gateway speaks and every message type it handles (and a few it refuses).
//
// Input layout:
//   byte 0        selector: version = b % 3 (FIX.4.2, FIX.4.4, FIXT.1.1/FIX.5.0SP2),
//                 type = (b / 3) % 10 (D, F, G, H, q, R, AB, 8, j, or "the 35=... of the input")
//   bytes 1..     tag=value fields separated by SOH or '|' (the body of the message)
//
// Each input takes two paths:
//  A. The QuickFIX path. A complete message (8, 9, 35, 49, 56, 34, 52, the fields, 10, with correct
//     BodyLength and CheckSum) is parsed with the gateway's own data dictionaries from fix_spec/ and
//     validated with the settings the acceptor uses (src/fix/client_sessions.cpp), exactly what QuickFIX's
//     Session::next does before fromApp. QuickFIX's exceptions are caught, as Session::next catches them. A
//     message that parses is normalized whether it validated or not. For messages that validated, the reply
//     normalize() builds for a refusal must itself pass the client's dictionary (what dictionary_test checks
//     for fixed values, here with the client's own values echoed back).
//  B. The direct path. The same fields are set on a FIX::Message without any parser or dictionary (NoPartyIDs
//     entries built by hand), so values QuickFIX would never deliver (empty values, repeated groups with
//     missing members, out-of-range numbers) reach normalize() too.
//
// Invariants (any breach aborts, libFuzzer keeps the input): normalize() never throws; it returns a command
// of the message's own kind or a refusal of the kind that type calls for (ExecutionReport for D/H,
// OrderCancelReject for F/G, OrderMassCancelReport for q, BusinessMessageReject for anything else); a
// refusal's text is non-empty and starts with its FG code; the refusal builds into a FIX message; the
// command and the refusal survive a round trip through the journal's encoding byte for byte.
// ASan/UBSan/LeakSanitizer and libFuzzer's -timeout catch the rest.
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fix/field_codes.h"
#include "fix/fix_version.h"
#include "fix/normalize.h"
#include "fix/reports.h"
#include "fuzz_support.h"
#include "quickfix/quickfix.h"
#include "records/codec.h"

namespace {

using fixgate::fix::FixVersion;
using fixgate::fuzz::fail;

constexpr char kSoh = '\x01';

// FIXGATE_FUZZ_VERBOSE=1: one line per input and path on stderr (to check what seeds reach).
bool verbose() {
  static const bool on = [] {
    const char* v = std::getenv("FIXGATE_FUZZ_VERBOSE");
    return v != nullptr && *v == '1';
  }();
  return on;
}
constexpr fixgate::core::SessionId kSession = 1;
constexpr fixgate::core::Timestamp kNow = 1'700'000'000'123'456;

struct Profile {
  FixVersion version;
  const char* begin_string;
  const char* session_dictionary;  // FIX 4.x dictionary, or the FIXT transport dictionary
  const char* app_dictionary;      // nullptr unless FIXT
};

constexpr Profile kProfiles[] = {
    {FixVersion::Fix42, "FIX.4.2", "FIX42.xml", nullptr},
    {FixVersion::Fix44, "FIX.4.4", "FIX44.xml", nullptr},
    {FixVersion::Fix50Sp2, "FIXT.1.1", "FIXT11.xml", "FIX50SP2.xml"},
};

// The five the gateway handles, four it answers with a BusinessMessageReject, and "whatever 35= the input
// carries" (nullptr).
constexpr const char* kTypes[] = {"D", "F", "G", "H", "q", "R", "AB", "8", "j", nullptr};
constexpr std::size_t kTypeCount = sizeof(kTypes) / sizeof(kTypes[0]);

// Loaded once, configured as the client acceptor configures its sessions.
std::unique_ptr<FIX::DataDictionary> loadDictionary(const char* file) {
  const auto path = fixgate::fuzz::sourceDir() / "fix_spec" / file;
  std::unique_ptr<FIX::DataDictionary> dd;
  try {
    dd = std::make_unique<FIX::DataDictionary>(path.string());
  } catch (const FIX::Exception& e) {
    fail("a data dictionary in fix_spec/ does not load", path.string() + ": " + e.what());
  }
  dd->checkFieldsOutOfOrder(false);  // ValidateFieldsOutOfOrder=N
  dd->checkFieldsHaveValues(true);   // ValidateFieldsHaveValues=Y
  dd->checkUserDefinedFields(true);  // ValidateUserDefinedFields=Y
  dd->allowUnknownMsgFields(false);  // AllowUnknownMsgFields=N
  return dd;
}

struct Dictionaries {
  std::unique_ptr<FIX::DataDictionary> fix42 = loadDictionary("FIX42.xml");
  std::unique_ptr<FIX::DataDictionary> fix44 = loadDictionary("FIX44.xml");
  std::unique_ptr<FIX::DataDictionary> fixt11 = loadDictionary("FIXT11.xml");
  std::unique_ptr<FIX::DataDictionary> fix50sp2 = loadDictionary("FIX50SP2.xml");

  const FIX::DataDictionary& session(FixVersion v) const {
    return v == FixVersion::Fix42 ? *fix42 : v == FixVersion::Fix44 ? *fix44 : *fixt11;
  }
  const FIX::DataDictionary& app(FixVersion v) const {
    return v == FixVersion::Fix50Sp2 ? *fix50sp2 : session(v);
  }
};

const Dictionaries& dictionaries() {
  static const Dictionaries all;
  return all;
}

struct RawField {
  std::string_view text;  // "tag=value" as written (may lack '=' or a number)
  int tag = 0;            // 0 when the tag is not a positive number
  std::string_view value;
};

std::vector<RawField> splitFields(std::string_view body) {
  std::vector<RawField> fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find_first_of("\x01|", start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view text = body.substr(start, end - start);
    if (!text.empty()) {
      RawField f{.text = text, .tag = 0, .value = {}};
      const auto eq = text.find('=');
      if (eq != std::string_view::npos) {
        int tag = 0;
        const auto [ptr, ec] = std::from_chars(text.data(), text.data() + eq, tag);
        if (ec == std::errc{} && ptr == text.data() + eq && tag > 0) {
          f.tag = tag;
          f.value = text.substr(eq + 1);
        }
      }
      fields.push_back(f);
    }
    start = end + 1;
  }
  return fields;
}

std::string describeResult(const std::expected<fixgate::core::EventBody, fixgate::fix::InboundRefusal>& r) {
  if (r) return "command with EventBody index " + std::to_string(r->index());
  if (std::holds_alternative<fixgate::fix::BusinessReject>(r.error())) return "BusinessReject";
  return "refusal with Action index " + std::to_string(std::get<fixgate::core::Action>(r.error()).index());
}

std::string printable(std::string text) {
  for (char& c : text) {
    if (c == kSoh) c = '|';
  }
  return text;
}

// The journal encodes every event and action; what normalize() produced must decode and encode to the same
// bytes.
void checkEventRoundTrip(const fixgate::core::EventBody& body) {
  const fixgate::core::Event event{kNow, body};
  std::string bytes;
  fixgate::records::encodeEvent(event, bytes);
  auto decoded = fixgate::records::decodeEvent(bytes);
  if (!decoded) fail("a normalized command does not decode from its journal encoding", decoded.error());
  std::string again;
  fixgate::records::encodeEvent(*decoded, again);
  if (again != bytes) fail("a normalized command changes through the journal encoding");
}

void checkActionRoundTrip(const fixgate::core::Action& action) {
  std::string bytes;
  fixgate::records::encodeAction(action, bytes);
  auto decoded = fixgate::records::decodeAction(bytes);
  if (!decoded) fail("a refusal does not decode from its journal encoding", decoded.error());
  std::string again;
  fixgate::records::encodeAction(*decoded, again);
  if (again != bytes) fail("a refusal changes through the journal encoding");
}

// The reply the client gets: framed as the session would frame it, parsed back and validated with the
// client's dictionary.
void checkReplyValidates(FIX::Message reply, const Profile& p, const std::string& inbound) {
  auto& header = reply.getHeader();
  header.setField(8, p.begin_string);
  header.setField(49, "FIXGATE");
  header.setField(56, "CLIENT1");
  header.setField(34, "2");
  header.setField(52, "20231114-22:13:20.123456");
  const std::string wire = reply.toString();
  const auto& dd = dictionaries();
  try {
    if (p.app_dictionary != nullptr) {
      FIX::Message parsed(wire, dd.session(p.version), dd.app(p.version), true);
      FIX::DataDictionary::validate(parsed, &dd.session(p.version), &dd.app(p.version));
    } else {
      FIX::Message parsed(wire, dd.session(p.version), true);
      FIX::DataDictionary::validate(parsed, &dd.session(p.version), &dd.app(p.version));
    }
  } catch (const FIX::Exception& e) {
    fail("the reply to a valid inbound message fails the client's data dictionary",
         std::string(e.type) + " " + e.what() + "\n  inbound: " + printable(inbound) +
             "\n  reply:   " + printable(wire));
  }
}

// Runs normalize() and checks every invariant; `validated` when QuickFIX's validation passed.
void normalizeAndCheck(const FIX::Message& message, const Profile& p, bool validated,
                       const std::string& wire) {
  const std::string msg_type = message.getHeader().isSetField(35) ? message.getHeader().getField(35) : "";
  std::expected<fixgate::core::EventBody, fixgate::fix::InboundRefusal> result =
      std::unexpected(fixgate::fix::InboundRefusal{fixgate::fix::BusinessReject{}});
  try {
    result = fixgate::fix::normalize(message, p.version, kSession, kNow);
  } catch (const FIX::Exception& e) {
    fail("normalize() threw a QuickFIX exception", std::string(e.type) + ": " + e.what());
  } catch (const std::exception& e) {
    fail("normalize() threw", e.what());
  } catch (...) {
    fail("normalize() threw something that is not a std::exception");
  }

  using namespace fixgate;
  const bool d = msg_type == "D", f = msg_type == "F", g = msg_type == "G", h = msg_type == "H",
             q = msg_type == "q";
  if (verbose()) {
    std::string text;
    if (!result) {
      if (const auto* bmr = std::get_if<fix::BusinessReject>(&result.error())) {
        text = bmr->text;
      } else {
        std::visit(
            [&](const auto& a) {
              if constexpr (requires { a.text; }) text = a.text;
            },
            std::get<core::Action>(result.error()));
      }
    }
    std::fprintf(stderr, "[%c %s %s] %s%s: %s\n", wire.empty() ? 'B' : 'A', p.begin_string, msg_type.c_str(),
                 validated ? "valid, " : "", describeResult(result).c_str(), text.c_str());
  }
  if (result) {
    const auto& body = *result;
    const bool kind_ok = (d && std::holds_alternative<core::NewOrder>(body)) ||
                         (f && std::holds_alternative<core::CancelOrder>(body)) ||
                         (g && std::holds_alternative<core::ReplaceOrder>(body)) ||
                         (h && std::holds_alternative<core::StatusRequest>(body)) ||
                         (q && std::holds_alternative<core::MassCancel>(body));
    if (!kind_ok)
      fail("normalize() returned a command of the wrong kind",
           "MsgType " + msg_type + ": " + describeResult(result));
    std::visit(
        [&](const auto& cmd) {
          using T = std::decay_t<decltype(cmd)>;
          if constexpr (std::is_same_v<T, core::NewOrder> || std::is_same_v<T, core::CancelOrder> ||
                        std::is_same_v<T, core::ReplaceOrder> || std::is_same_v<T, core::StatusRequest> ||
                        std::is_same_v<T, core::MassCancel>) {
            if (cmd.cl_ord_id.empty()) fail("a command without ClOrdID", "MsgType " + msg_type);
            if (cmd.session != kSession) fail("a command for another session");
          }
          if constexpr (std::is_same_v<T, core::MassCancel>) {
            if (cmd.scope == core::MassCancelScope::BySymbol && cmd.symbol.empty()) {
              fail("a by-symbol mass cancel without Symbol");
            }
          }
        },
        body);
    checkEventRoundTrip(body);
    return;
  }

  const auto& refusal = result.error();
  FIX::Message reply;
  if (const auto* bmr = std::get_if<fix::BusinessReject>(&refusal)) {
    if (d || f || g || h || q)
      fail("a supported message type answered with a BusinessMessageReject", msg_type);
    if (bmr->text.empty()) fail("a BusinessMessageReject without text");
    if (bmr->ref_msg_type != msg_type) fail("a BusinessMessageReject naming another MsgType");
    reply = fix::buildBusinessReject(*bmr, p.version);
  } else {
    const auto& action = std::get<core::Action>(refusal);
    std::string text;
    if (const auto* er = std::get_if<core::ExecReport>(&action); er != nullptr && (d || h)) {
      text = er->text;
      reply = fix::buildExecutionReport(*er, p.version);
      // ClientSessions::send(ExecReport) adds an ExecID when the report has none.
      if (er->exec_id.empty()) reply.setField(17, "FG1X1");
    } else if (const auto* cr = std::get_if<core::CancelReject>(&action); cr != nullptr && (f || g)) {
      if (cr->for_replace != g) fail("an OrderCancelReject answering the wrong request");
      text = cr->text;
      reply = fix::buildOrderCancelReject(*cr, p.version);
    } else if (const auto* mr = std::get_if<core::MassCancelReport>(&action); mr != nullptr && q) {
      text = mr->text;
      reply = fix::buildMassCancelReport(*mr, p.version);
    } else {
      fail("a refusal of the wrong kind for its MsgType",
           "MsgType " + msg_type + ": " + describeResult(result));
    }
    if (text.size() < 5 || text[0] != 'F' || text[1] != 'G') {
      fail("a refusal whose text does not start with its FG code", text);
    }
    checkActionRoundTrip(action);
  }
  std::string out;
  reply.toString(out);  // must build whatever the client sent
  if (validated && message.isApp()) checkReplyValidates(std::move(reply), p, wire);
}

// Path A: what QuickFIX's acceptor would deliver.
void sessionPath(const Profile& p, const std::string& msg_type, const std::vector<RawField>& fields) {
  std::string body = "35=" + msg_type + kSoh + "49=CLIENT1" + kSoh + "56=FIXGATE" + kSoh + "34=2" + kSoh +
                     "52=20231114-22:13:20.123" + kSoh;
  for (const auto& f : fields) {
    body.append(f.text);
    body += kSoh;
  }
  std::string wire = std::string("8=") + p.begin_string + kSoh + "9=" + std::to_string(body.size()) + kSoh;
  wire += body;
  unsigned sum = 0;
  for (const unsigned char c : wire) sum += c;
  char checksum[8];
  std::snprintf(checksum, sizeof checksum, "%03u", sum % 256);
  wire += std::string("10=") + checksum + kSoh;

  const auto& dd = dictionaries();
  std::unique_ptr<FIX::Message> parsed;
  try {
    parsed = p.app_dictionary != nullptr
                 ? std::make_unique<FIX::Message>(wire, dd.session(p.version), dd.app(p.version), true)
                 : std::make_unique<FIX::Message>(wire, dd.session(p.version), true);
  } catch (const FIX::Exception& e) {
    // InvalidMessage and friends: Session::next logs and drops the message.
    if (verbose())
      std::fprintf(stderr, "[A %s %s] does not parse: %s\n", p.begin_string, msg_type.c_str(), e.what());
    return;
  }
  bool validated = false;
  try {
    FIX::DataDictionary::validate(*parsed, &dd.session(p.version), &dd.app(p.version));
    validated = true;
  } catch (const FIX::Exception& e) {
    // Session::next answers with a session-level Reject; fromApp never sees it. Normalized anyway below.
    if (verbose()) {
      std::fprintf(stderr, "[A %s %s] fails validation: %s %s\n", p.begin_string, msg_type.c_str(),
                   e.type.c_str(), e.what());
    }
  }
  // Session::next reads 35 before anything else; a message without it never gets this far.
  if (!parsed->getHeader().isSetField(35)) return;
  normalizeAndCheck(*parsed, p, validated, wire);
}

// Path B: the fields set directly, no parser, no dictionary.
void directPath(const Profile& p, const std::string& msg_type, const std::vector<RawField>& fields) {
  using fixgate::fix::tag::NoPartyIDs;
  FIX::Message message;
  auto& header = message.getHeader();
  header.setField(8, p.begin_string);
  header.setField(35, msg_type);
  header.setField(49, "CLIENT1");
  header.setField(56, "FIXGATE");
  header.setField(34, "2");

  std::unique_ptr<FIX::Group> party;  // the NoPartyIDs entry being filled
  std::string party_count;
  bool saw_party_count = false;
  bool in_parties = false;
  const auto flush_party = [&] {
    if (party) message.addGroup(*party);  // sets NoPartyIDs to the entries' count
    party.reset();
  };
  for (const auto& f : fields) {
    if (f.tag == 0) continue;
    const std::string value(f.value);
    const bool party_tag = f.tag == 448 || f.tag == 447 || f.tag == 452 || f.tag == 2376 || f.tag == 802;
    if (f.tag == NoPartyIDs) {
      flush_party();
      in_parties = true;
      saw_party_count = true;
      party_count = value;
      continue;
    }
    if (in_parties && party_tag) {
      if (party && party->isSetField(f.tag)) flush_party();  // a repeated member opens the next entry
      if (!party) party = std::make_unique<FIX::Group>(NoPartyIDs, 448);
      party->setField(f.tag, value);
      continue;
    }
    flush_party();
    in_parties = false;
    if (f.tag == 8 || f.tag == 9 || f.tag == 10 || f.tag == 35) continue;  // framing stays the harness's
    if (FIX::Message::isHeaderField(f.tag)) {
      header.setField(f.tag, value);
    } else if (FIX::Message::isTrailerField(f.tag)) {
      message.getTrailer().setField(f.tag, value);
    } else {
      message.setField(f.tag, value);
    }
  }
  flush_party();
  // The count as sent, which may disagree with the entries (addGroup wrote the real number).
  if (saw_party_count) message.setField(NoPartyIDs, party_count);
  normalizeAndCheck(message, p, false, "");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  dictionaries();  // fail at start, not on the first input, when fix_spec/ is missing
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > 64 * 1024) return 0;
  const Profile& p = kProfiles[data[0] % 3];
  const char* fixed_type = kTypes[(data[0] / 3) % kTypeCount];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto fields = splitFields(body);

  std::string msg_type;
  if (fixed_type != nullptr) {
    msg_type = fixed_type;
  } else {
    // The input's own first 35=..., taken out of the body.
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (it->tag == 35) {
        msg_type = std::string(it->value);
        fields.erase(it);
        break;
      }
    }
  }
  sessionPath(p, msg_type, fields);
  directPath(p, msg_type, fields);
  return 0;
}
