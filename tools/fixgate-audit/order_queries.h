// Reading orders back from the audit store: the whole life of one order, the orders of an account or a symbol
// over a UTC time range, and the CSV export of order records.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "common.h"

namespace fixgate::audit_tools {

enum class OrderKey { ClOrdId, VenueOrderId };

// Every order_events row of the order `id` belongs to, across every cancel and replace, client and venue
// side, ordered by seq (audit.order_life / audit.order_life_by_venue_order_id). `scope` narrows the start to
// one client session (ClOrdID) or one venue (venue OrderID). Columns: those of audit.order_events_v.
[[nodiscard]] Table orderLife(pqxx::connection& conn, OrderKey key, const std::string& id,
                              const std::optional<std::string>& scope);

struct OrderFilter {
  std::optional<std::string> account;
  std::optional<std::string> symbol;
  std::int64_t from_us = 0;  // inclusive
  std::int64_t to_us = 0;    // exclusive
};

// The order events matching the filter, ordered by time then seq. Columns: those of audit.order_events_v.
[[nodiscard]] Table ordersInRange(pqxx::connection& conn, const OrderFilter& filter);

// Writes every column of the matching order_events rows as CSV (header first) to `out`, streamed through a
// server-side cursor; returns the number of rows written.
std::uint64_t exportOrdersCsv(pqxx::connection& conn, const OrderFilter& filter, std::ostream& out,
                              const ProgressFn& progress = {});

// A readable table: time (UTC, µs), seq, event, session/venue, ids, quantity and prices, status, text.
void printOrderEvents(std::ostream& out, const Table& events);

}  // namespace fixgate::audit_tools
