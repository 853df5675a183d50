#include "records/codec.h"

#include <fmt/format.h>

#include <bit>
#include <concepts>
#include <cstring>
#include <tuple>
#include <type_traits>
#include <vector>

namespace fixgate::records {

std::string_view toString(RecordType type) {
  switch (type) {
    case RecordType::RunStarted:
      return "run-started";
    case RecordType::Event:
      return "event";
    case RecordType::Action:
      return "action";
    case RecordType::FixMessage:
      return "fix-message";
    case RecordType::SecurityEvent:
      return "security-event";
    case RecordType::OperatorCommand:
      return "operator-command";
  }
  return "unknown";
}

namespace {

static_assert(std::endian::native == std::endian::little, "the journal format is little-endian");

// Every encoded struct lists its fields once. The structured binding fails to compile when a field is added
// to the struct and not here, so the format cannot silently drop one.
#define FIXGATE_FIELDS(Type, ...)                       \
  [[maybe_unused]] auto fieldsOf(const Type& record_) { \
    const auto& [__VA_ARGS__] = record_;                \
    return std::tie(__VA_ARGS__);                       \
  }                                                     \
  [[maybe_unused]] auto fieldsOf(Type& record_) {       \
    auto& [__VA_ARGS__] = record_;                      \
    return std::tie(__VA_ARGS__);                       \
  }

using namespace fixgate::core;
FIXGATE_FIELDS(PartyRef, a, b, c)
FIXGATE_FIELDS(Parties, a, b, c)
FIXGATE_FIELDS(OrderTerms, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)
FIXGATE_FIELDS(NewOrder, a, b, c, d)
FIXGATE_FIELDS(CancelOrder, a, b, c, d, e, f)
FIXGATE_FIELDS(ReplaceOrder, a, b, c, d, e)
FIXGATE_FIELDS(StatusRequest, a, b, c, d, e)
FIXGATE_FIELDS(MassCancel, a, b, c, d, e)
FIXGATE_FIELDS(ClientSessionUp, a)
FIXGATE_FIELDS(ClientSessionDown, a)
FIXGATE_FIELDS(VenueUp, a)
FIXGATE_FIELDS(VenueDown, a)
FIXGATE_FIELDS(VenueAccepted, a, b, c)
FIXGATE_FIELDS(VenueFill, a, b, c, d, e, f)
FIXGATE_FIELDS(VenueCanceled, a, b, c)
FIXGATE_FIELDS(VenueReplaced, a, b, c)
FIXGATE_FIELDS(VenueRejected, a, b, c)
FIXGATE_FIELDS(VenueNewOrderUnsent, a, b)
FIXGATE_FIELDS(VenueCancelRejected, a, b, c)
FIXGATE_FIELDS(VenueExpired, a, b)
FIXGATE_FIELDS(SetTradingState, a, b, c, d, e, f)
FIXGATE_FIELDS(ResetSessionBreaker, a, b)
FIXGATE_FIELDS(BeginRun, a)
FIXGATE_FIELDS(VenueOrderStatus, a, b, c, d, e, f, g, h, i)
FIXGATE_FIELDS(Tick, a)
FIXGATE_FIELDS(StartTradingDay, a)
FIXGATE_FIELDS(AckTimeouts, a, b, c, d, e, f)
FIXGATE_FIELDS(VenueSettings, a, b)
FIXGATE_FIELDS(SessionSettings, a, b)
FIXGATE_FIELDS(Instrument, a, b, c, d, e)
FIXGATE_FIELDS(RouteSettings, a, b, c)
FIXGATE_FIELDS(VenueStatusPacing, a, b)
FIXGATE_FIELDS(ApplySettings, a, b, c, d, e, f, g)
FIXGATE_FIELDS(VenueStatusQuery, a, b, c, d, e, f, g, h)
FIXGATE_FIELDS(ExecReport, a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w)
FIXGATE_FIELDS(CancelReject, a, b, c, d, e, f, g, h, i)
FIXGATE_FIELDS(MassCancelReport, a, b, c, d, e, f, g, h, i)
FIXGATE_FIELDS(VenueNewOrder, a, b, c, d, e, f)
FIXGATE_FIELDS(VenueCancel, a, b, c, d, e, f, g, h, i)
FIXGATE_FIELDS(VenueReplace, a, b, c, d, e, f, g)
FIXGATE_FIELDS(OperatorAlert, a, b)
FIXGATE_FIELDS(StateChange, a, b, c, d, e, f, g)
FIXGATE_FIELDS(LimitsApplied, a, b, c, d, e, f)
FIXGATE_FIELDS(RiskDecision, a, b, c, d, e, f, g, h, i, j)
FIXGATE_FIELDS(RunStartedRecord, a, b, c, d)
FIXGATE_FIELDS(SecurityEventRecord, a, b, c, d, e, f)
FIXGATE_FIELDS(OperatorCommandRecord, a, b, c, d, e, f)
#undef FIXGATE_FIELDS

template <typename T>
concept Scalar = std::is_arithmetic_v<T> || std::is_enum_v<T>;
template <typename T>
concept Record = requires(const T& v) {
  fieldsOf(v);
};
template <typename T>
struct IsVariant : std::false_type {};
template <typename... Ts>
struct IsVariant<std::variant<Ts...>> : std::true_type {};

struct Writer {
  std::string& out;

  void raw(const void* data, std::size_t n) { out.append(static_cast<const char*>(data), n); }
  template <Scalar T>
  void put(T v) {
    raw(&v, sizeof v);
  }
  void put(std::string_view s) {
    put(static_cast<std::uint32_t>(s.size()));
    raw(s.data(), s.size());
  }
  void put(const std::string& s) { put(std::string_view(s)); }
  void put(const Price& p) { put(p.units); }
  void put(const std::shared_ptr<const std::string>& s) {
    put(s ? std::string_view(*s) : std::string_view());
  }
  template <typename T>
  void put(const std::vector<T>& v) {
    put(static_cast<std::uint32_t>(v.size()));
    for (const auto& element : v) put(element);
  }
  template <typename T>
  void put(const std::optional<T>& v) {
    put(static_cast<std::uint8_t>(v.has_value()));
    if (v) put(*v);
  }
  template <Record T>
  void put(const T& v) {
    std::apply([this](const auto&... f) { (put(f), ...); }, fieldsOf(v));
  }
  template <typename V>
  requires IsVariant<V>::value void putVariant(const V& v) {
    put(static_cast<std::uint8_t>(v.index()));
    std::visit([this](const auto& alt) { putAlternative(alt); }, v);
  }
  template <typename T>
  void putAlternative(const T& v) {
    put(v);
  }
  void putAlternative(const ApplyLimits& v) {
    const bool present = v.limits != nullptr;
    put(static_cast<std::uint8_t>(present));
    if (present) {
      put(v.limits->version);
      put(v.limits->source);
      put(v.limits->content);
    }
    put(v.by);
  }
};

struct Reader {
  std::string_view in;
  std::size_t pos = 0;
  std::string error;

  bool fail(std::string what) {
    if (error.empty()) error = fmt::format("{} at byte {} of {}", what, pos, in.size());
    return false;
  }
  [[nodiscard]] bool atEnd() const { return pos == in.size(); }
  bool raw(void* data, std::size_t n) {
    if (in.size() - pos < n) return fail("payload ends early");
    std::memcpy(data, in.data() + pos, n);
    pos += n;
    return true;
  }
  template <Scalar T>
  bool get(T& v) {
    return raw(&v, sizeof v);
  }
  bool get(std::string& s) {
    std::uint32_t n = 0;
    if (!get(n)) return false;
    if (in.size() - pos < n) return fail(fmt::format("string of {} bytes runs past the payload", n));
    s.assign(in.data() + pos, n);
    pos += n;
    return true;
  }
  bool get(Price& p) { return get(p.units); }
  bool get(std::shared_ptr<const std::string>& s) {
    std::string text;
    if (!get(text)) return false;
    s = std::make_shared<const std::string>(std::move(text));
    return true;
  }
  template <typename T>
  bool get(std::vector<T>& v) {
    std::uint32_t n = 0;
    if (!get(n)) return false;
    // Every element takes at least one byte: a count beyond that is corrupt, and must not size the vector.
    if (in.size() - pos < n) return fail(fmt::format("list of {} elements runs past the payload", n));
    v.clear();
    for (std::uint32_t i = 0; i < n; ++i) {
      if (!get(v.emplace_back())) return false;
    }
    return true;
  }
  template <typename T>
  bool get(std::optional<T>& v) {
    // Optional fields are only ever appended to a record's end, so a record journaled before one existed
    // ends where it would start: absent, not corrupt (the journal's CRC catches real truncation).
    if (atEnd()) {
      v.reset();
      return true;
    }
    std::uint8_t present = 0;
    if (!get(present)) return false;
    if (present > 1) return fail("optional flag is neither 0 nor 1");
    if (!present) {
      v.reset();
      return true;
    }
    return get(v.emplace());
  }
  template <Record T>
  bool get(T& v) {
    return std::apply([this](auto&... f) { return (get(f) && ...); }, fieldsOf(v));
  }
  template <typename V>
  requires IsVariant<V>::value bool getVariant(V& v, const LimitsParser& parse_limits) {
    std::uint8_t index = 0;
    if (!get(index)) return false;
    return getAlternative(v, index, parse_limits, std::make_index_sequence<std::variant_size_v<V>>{});
  }
  template <typename V, std::size_t... I>
  bool getAlternative(V& v, std::uint8_t index, const LimitsParser& parse_limits, std::index_sequence<I...>) {
    bool ok = false;
    const bool known =
        ((index == I ? (ok = getOne(v.template emplace<I>(), parse_limits), true) : false) || ...);
    if (!known) return fail(fmt::format("unknown variant index {}", index));
    return ok;
  }
  template <typename T>
  bool getOne(T& v, const LimitsParser&) {
    return get(v);
  }
  bool getOne(ApplyLimits& v, const LimitsParser& parse_limits) {
    std::uint8_t present = 0;
    if (!get(present)) return false;
    if (present) {
      std::string version, source, content;
      if (!get(version) || !get(source) || !get(content)) return false;
      if (parse_limits) {
        auto parsed = parse_limits(content, source);
        if (!parsed) return fail("journaled limits do not parse: " + parsed.error());
        if ((*parsed)->version != version) {
          return fail(fmt::format("journaled limits parse to version {}, not the journaled {}",
                                  (*parsed)->version, version));
        }
        v.limits = std::move(*parsed);
      } else {
        auto stub = std::make_shared<Limits>();
        stub->version = std::move(version);
        stub->source = std::move(source);
        stub->content = std::move(content);
        v.limits = std::move(stub);
      }
    }
    return get(v.by);
  }
  bool finish() {
    if (!error.empty()) return false;
    if (pos != in.size()) return fail(fmt::format("{} bytes left over", in.size() - pos));
    return true;
  }
};

template <typename T, typename Decode>
std::expected<T, std::string> decodeWith(std::string_view bytes, std::string_view what, Decode&& decode) {
  Reader r{bytes, 0, {}};
  T value;
  if (!decode(r, value) || !r.finish()) {
    return std::unexpected(fmt::format("malformed {} record: {}", what, r.error));
  }
  return value;
}

}  // namespace

void encodeEvent(const core::Event& event, std::string& out) {
  Writer w{out};
  w.put(event.at);
  w.putVariant(event.body);
}

void encodeAction(const core::Action& action, std::string& out) {
  Writer{out}.putVariant(action);
}

void encodeFixMessage(Direction direction, std::string_view session, std::string_view raw, std::string& out) {
  Writer w{out};
  w.put(direction);
  w.put(session);
  w.put(raw);
}

void encodeRunStarted(const RunStartedRecord& run, std::string& out) {
  Writer{out}.put(run);
}

std::expected<core::Event, std::string> decodeEvent(std::string_view bytes,
                                                    const LimitsParser& parse_limits) {
  return decodeWith<core::Event>(bytes, "event", [&](Reader& r, core::Event& e) {
    return r.get(e.at) && r.getVariant(e.body, parse_limits);
  });
}

std::expected<core::Action, std::string> decodeAction(std::string_view bytes) {
  return decodeWith<core::Action>(bytes, "action",
                                  [](Reader& r, core::Action& a) { return r.getVariant(a, nullptr); });
}

std::expected<FixMessageRecord, std::string> decodeFixMessage(std::string_view bytes) {
  return decodeWith<FixMessageRecord>(bytes, "FIX message", [](Reader& r, FixMessageRecord& m) {
    if (!r.get(m.direction) || !r.get(m.session) || !r.get(m.raw)) return false;
    return m.direction == Direction::In || m.direction == Direction::Out || r.fail("unknown direction");
  });
}

void encodeSecurityEvent(const SecurityEventRecord& event, std::string& out) {
  Writer{out}.put(event);
}

std::expected<SecurityEventRecord, std::string> decodeSecurityEvent(std::string_view bytes) {
  return decodeWith<SecurityEventRecord>(bytes, "security-event",
                                         [](Reader& r, SecurityEventRecord& event) { return r.get(event); });
}

void encodeOperatorCommand(const OperatorCommandRecord& command, std::string& out) {
  Writer{out}.put(command);
}

std::expected<OperatorCommandRecord, std::string> decodeOperatorCommand(std::string_view bytes) {
  return decodeWith<OperatorCommandRecord>(bytes, "operator-command",
                                           [](Reader& r, OperatorCommandRecord& c) { return r.get(c); });
}

std::expected<RunStartedRecord, std::string> decodeRunStarted(std::string_view bytes) {
  return decodeWith<RunStartedRecord>(bytes, "run-started",
                                      [](Reader& r, RunStartedRecord& run) { return r.get(run); });
}

}  // namespace fixgate::records
