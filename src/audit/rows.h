// Journal record -> audit rows (sql/README.md is the contract): the journal_records row and at most one typed
// row, every value formatted exactly as PostgreSQL prints it in text output, so that the hash chain the
// shipper computes from these values equals the one `fixgate-audit verify` recomputes from the stored rows.
// Pure: no I/O, no clock, no global state.
//
// Formatting:
//   date     YYYY-MM-DD, the UTC date of ts_us (trade_date)
//   bigint   decimal (seq, ts_us, quantities); integer: decimal (msg_seq_num)
//   numeric  core::formatPrice of the fixed-point price ("101.25", "100", "-0.5"): PostgreSQL keeps the
//            input's scale, so it prints the value back exactly like this
//   boolean  "t" / "f"
//   text     the field, sanitized (below); an empty field of the record is NULL (absent in FIX)
//   NULL     std::nullopt
//
// Text sanitizing: PostgreSQL refuses text that is not valid UTF-8 or contains NUL. Every byte that does not
// begin a valid UTF-8 sequence (including overlong forms, surrogates and code points above U+10FFFF), and
// every NUL byte, is replaced by the four characters \xNN (NN: two upper-case hex digits). Valid sequences,
// including control characters such as FIX's SOH, are kept. The chain is computed over the sanitized value,
// which is what PostgreSQL stores. (A field that already contained the four characters "\x80" is
// indistinguishable from a sanitized byte 0x80; the journal keeps the original bytes.)
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/reference_data.h"
#include "journal/journal_reader.h"

namespace fixgate::audit {

using Value = std::optional<std::string>;  // nullopt: SQL NULL

// The six tables of sql/README.md, in its order.
enum class AuditTable : std::uint8_t {
  JournalRecords,
  FixMessages,
  OrderEvents,
  RiskDecisions,
  ConfigVersions,
  TradingStateChanges,
};
inline constexpr std::size_t kAuditTableCount = 6;

[[nodiscard]] std::string_view tableName(AuditTable table);  // "order_events" (schema audit)
// Column names in table order (journal_records: with hash, the last column).
[[nodiscard]] std::span<const std::string_view> columnNames(AuditTable table);

// What maps SessionId / VenueId to names (core::ReferenceData::session_names / venue_names) and symbols to
// their instrument identifiers. An id outside the lists prints as "session#<id>" / "venue#<id>". An order
// that names no ISIN (SecurityIDSource 4) or MIC (SecurityExchange 207) of its own gets the configured
// instrument's (instruments.yaml), so that Annex IV's instrument identification is in the row; the order's
// own SecurityID stays in security_id.
struct Names {
  std::vector<std::string> session_names;
  std::vector<std::string> venue_names;
  core::StringMap<core::Instrument> instruments;  // by symbol; may be empty
  [[nodiscard]] static Names from(const core::ReferenceData& refdata);
};

// A typed row: every column of `table` in table order (trade_date, seq, ts_us first).
struct TypedRow {
  AuditTable table = AuditTable::FixMessages;
  std::vector<Value> values;
};

struct AuditRows {
  // journal_records without its hash: trade_date, seq, ts_us, record_type, summary.
  std::array<Value, 5> journal;
  std::optional<TypedRow> typed;
  // An ApplySettings event (a start, or a live reload): the instruments whose ISIN and MIC the rows of the
  // records after it take (Names::instruments), until the next one.
  std::optional<std::vector<core::Instrument>> instruments_from_here;
};

// Maps one journal record (journal::RecordView: seq, ts_us, type, payload). Fails with a message when the
// record type is unknown or the payload does not decode.
[[nodiscard]] std::expected<AuditRows, std::string> toAuditRows(const journal::RecordView& record,
                                                                const Names& names);

// canonical(seq) of the chain: line(journal row without hash) [+ table + "\t" + line(typed row)]. Appended to
// `out`.
void appendCanonical(std::string& out, const AuditRows& rows);

// The journal_records row of a record toAuditRows refused, so the chain stays gapless: record_type
// "<type>:undecodable" ("unknown:<n>:undecodable" for an unknown type), summary = the error.
[[nodiscard]] AuditRows undecodableRows(const journal::RecordView& record, std::string_view error);

// Helpers, public for the shipper and the tests.
[[nodiscard]] std::string sanitizeText(std::string_view text);
[[nodiscard]] std::string tradeDate(std::int64_t ts_us);  // UTC date, YYYY-MM-DD
// One value in COPY text format: NULL as \N, backslash, tab, newline and CR escaped.
void appendCopyValue(std::string& out, const Value& value);
// A whole row in COPY text format, ending in a newline.
void appendCopyLine(std::string& out, std::span<const Value> values);

}  // namespace fixgate::audit
