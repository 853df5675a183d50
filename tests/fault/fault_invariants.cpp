#include "fault_invariants.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include "message_builders.h"
#include "message_fields.h"

namespace fixgate::testing::fault {
namespace {

using client::FixVersion;
namespace F = FIX::FIELD;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

long quantity(const std::string& text) {
  return text.empty() ? 0 : std::lround(std::strtod(text.c_str(), nullptr));
}

bool isFinalStatus(char s) {
  return s == '2' || s == '4' || s == '8' || s == 'C';
}
bool isLiveStatus(char s) {
  return s == '0' || s == '1';
}

// What the client has been told about one order: its ExecutionReports (those on its cancel's ClOrdID
// included) and the cancel's OrderCancelReject, in arrival order.
struct ClientOrderView {
  std::vector<std::string> lines;
  char last_exec_type = 0;  // 0 when the last message is an OrderCancelReject (it carries OrdStatus only)
  char last_status = 0;
  long last_cum_qty = 0;
  long filled = 0;  // sum of LastQty over ExecType F
  bool acknowledged = false;
  bool cancel_answered = false;
  int unknown_reports = 0;
};

struct ClientView {
  std::map<std::string, ClientOrderView> orders;
  std::vector<std::string> unattributed;
  int unknown_reports = 0;
};

ClientView clientView(const std::vector<FIX::Message>& received, const std::vector<PlannedOrder>& orders) {
  ClientView view;
  std::map<std::string, std::string> order_of;  // ClOrdID (the order's or its cancel's) -> order id
  std::map<std::string, std::string> cancel_of;
  for (const PlannedOrder& o : orders) {
    view.orders[o.id];
    order_of[o.id] = o.id;
    if (!o.cancel_id.empty()) {
      order_of[o.cancel_id] = o.id;
      cancel_of[o.id] = o.cancel_id;
    }
  }
  for (const FIX::Message& m : received) {
    const std::string type = client::msgType(m);
    if (type != "8" && type != "9") continue;
    const std::string cl_ord_id = client::fieldOr(m, F::ClOrdID);
    auto owner = order_of.find(cl_ord_id);
    if (owner == order_of.end()) owner = order_of.find(client::fieldOr(m, F::OrigClOrdID));
    if (owner == order_of.end()) {
      view.unattributed.push_back(client::toLine(m));
      continue;
    }
    ClientOrderView& o = view.orders[owner->second];
    o.lines.push_back(client::toLine(m));
    const std::string status = client::fieldOr(m, F::OrdStatus);
    o.last_status = status.empty() ? '?' : status[0];
    const bool on_cancel = cancel_of.contains(owner->second) && cl_ord_id == cancel_of[owner->second];
    if (type == "9") {
      o.last_exec_type = 0;
      if (on_cancel) o.cancel_answered = true;
      continue;
    }
    const std::string exec_type = client::fieldOr(m, F::ExecType);
    o.last_exec_type = exec_type.empty() ? '?' : exec_type[0];
    o.last_cum_qty = quantity(client::fieldOr(m, F::CumQty));
    if (o.last_exec_type == 'F') o.filled += quantity(client::fieldOr(m, F::LastQty));
    if (o.last_exec_type == 'I') {
      ++o.unknown_reports;
      ++view.unknown_reports;
    }
    if (o.last_exec_type != 'I') o.acknowledged = true;  // any decided answer: New, fill, reject, cancel...
    if (on_cancel && o.last_exec_type == '4') o.cancel_answered = true;
  }
  return view;
}

// Known: final, or live with nothing outstanding. Anything else is why the order is not settled yet.
std::optional<std::string> unsettledReason(const ClientOrderView& o, const PlannedOrder& plan) {
  if (o.lines.empty()) return "no report at all";
  if (o.last_exec_type == 'I')
    return fmt::format("last report is ExecType I (unknown), OrdStatus {}", o.last_status);
  if (!isFinalStatus(o.last_status) && !isLiveStatus(o.last_status)) {
    return fmt::format("last OrdStatus is {} (neither final nor new/partially filled)", o.last_status);
  }
  if (plan.cancel_sent && !o.cancel_answered && !isFinalStatus(o.last_status)) {
    return fmt::format("its cancel {} was never answered", plan.cancel_id);
  }
  return std::nullopt;
}

bool allKnown(const ClientView& view, const std::vector<PlannedOrder>& orders) {
  return std::all_of(orders.begin(), orders.end(), [&](const PlannedOrder& o) {
    return !unsettledReason(view.orders.at(o.id), o).has_value();
  });
}

// --- the FIX message logs -----------------------------------------------------------------------------

}  // namespace

std::vector<LoggedMessage> readMessageLog(const std::filesystem::path& log_dir) {
  std::vector<LoggedMessage> messages;
  std::error_code ec;
  if (!std::filesystem::is_directory(log_dir, ec)) return messages;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(log_dir, ec)) {
    if (entry.path().filename().string().find(".messages.") != std::string::npos)
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
      const auto start = line.find("8=FIX");
      if (start == std::string::npos) continue;
      LoggedMessage m;
      m.line = line.substr(start);
      std::size_t pos = start;
      while (pos < line.size()) {
        auto end = line.find('\x01', pos);
        if (end == std::string::npos) end = line.size();
        const auto eq = line.find('=', pos);
        if (eq != std::string::npos && eq < end) {
          m.fields.try_emplace(std::atoi(line.substr(pos, eq - pos).c_str()),
                               line.substr(eq + 1, end - eq - 1));
        }
        pos = end + 1;
      }
      std::replace(m.line.begin(), m.line.end(), '\x01', '|');
      messages.push_back(std::move(m));
    }
  }
  return messages;
}

namespace {

std::string describeFiles(const std::filesystem::path& log_dir) {
  std::string text = log_dir.string() + ":";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(log_dir, ec)) {
    text += " " + entry.path().filename().string();
  }
  return text;
}

// Which client order a NewOrderSingle at the venue is: the one with its symbol, side and (unique) quantity.
std::string clientOrderFor(const LoggedMessage& d, const std::vector<PlannedOrder>& orders) {
  for (const PlannedOrder& o : orders) {
    if (d.get(F::Symbol) == o.symbol && d.get(F::Side) == std::string(1, o.side) &&
        quantity(d.get(F::OrderQty)) == o.qty) {
      return o.id;
    }
  }
  return "(no client order)";
}

// Invariant 2 on one side of a venue connection: the gateway's log (what it sent) or the simulator's (what
// the venue received). `orders` are the client orders routed to that venue. A client order has one venue
// ClOrdID, sent once; a replay of an order the venue never received repeats that ClOrdID with PossResend=Y
// (97), which the venue refuses as a copy if it has the order after all, so it is no second order.
std::vector<std::string> duplicateNewOrders(const std::vector<LoggedMessage>& log, const std::string& where,
                                            const std::vector<PlannedOrder>& orders) {
  std::map<std::string, int> originals_per_cl_ord_id;
  std::map<std::string, std::set<std::string>> per_client_order;
  int count = 0;
  for (const LoggedMessage& m : log) {
    if (m.get(F::MsgType) != "D" || m.get(F::SenderCompID) != "FIXGATE") continue;
    ++count;
    if (m.get(F::PossResend) != "Y") ++originals_per_cl_ord_id[m.get(F::ClOrdID)];
    per_client_order[clientOrderFor(m, orders)].insert(m.get(F::ClOrdID));
  }
  std::vector<std::string> problems;
  if (count == 0) {
    problems.push_back("no NewOrderSingle at all in " + where);
    return problems;
  }
  for (const auto& [id, n] : originals_per_cl_ord_id) {
    if (n > 1)
      problems.push_back(fmt::format("venue ClOrdID {} sent {} times without PossResend ({})", id, n, where));
  }
  for (const auto& [client_id, venue_ids] : per_client_order) {
    if (venue_ids.size() > 1 || client_id == "(no client order)") {
      problems.push_back(fmt::format("client order {} sent as {} venue orders: {} ({})", client_id,
                                     venue_ids.size(), fmt::join(venue_ids, ", "), where));
    }
  }
  return problems;
}

// What a venue told the gateway about each client order, from the simulator's log: its fills once per
// ExecID (a PossResend copy of an execution counts once), the highest CumQty it reported (status answers
// included, so a fill the venue made but never delivered shows here), and its last word on the order.
struct VenueOrderView {
  long filled = 0;   // LastQty over distinct ExecIDs with ExecType F
  long max_cum = 0;  // highest CumQty in any ExecutionReport
  char last_status = 0;
  std::string last_line;
};

struct VenueView {
  std::map<std::string, VenueOrderView> orders;  // by client order
  std::vector<std::string> unattributed;
  long total_filled = 0;
  int executions = 0;  // distinct ExecIDs
  int copies = 0;      // further messages with an ExecID already seen
  int new_orders = 0;  // NewOrderSingles the venue received
};

VenueView venueView(const std::string& venue_comp_id, const std::vector<LoggedMessage>& gateway_log,
                    const std::vector<LoggedMessage>& venue_log, const std::vector<PlannedOrder>& orders) {
  // The gateway mints its own ClOrdIDs for the venue: its NewOrderSingles name the client order (by symbol,
  // side and quantity), its cancels the venue ClOrdID they cancel.
  std::map<std::string, std::string> order_of;  // venue ClOrdID (order's or its cancel's) -> client order
  for (const LoggedMessage& m : gateway_log) {
    if (m.get(F::SenderCompID) != "FIXGATE") continue;
    if (m.get(F::MsgType) == "D") order_of[m.get(F::ClOrdID)] = clientOrderFor(m, orders);
  }
  for (const LoggedMessage& m : gateway_log) {
    if (m.get(F::SenderCompID) != "FIXGATE" || (m.get(F::MsgType) != "F" && m.get(F::MsgType) != "G"))
      continue;
    const auto orig = order_of.find(m.get(F::OrigClOrdID));
    if (orig != order_of.end()) order_of.try_emplace(m.get(F::ClOrdID), orig->second);
  }
  VenueView view;
  std::set<std::string> seen_exec_ids;
  for (const LoggedMessage& m : venue_log) {
    const std::string type = m.get(F::MsgType);
    if (type == "D" && m.get(F::SenderCompID) == "FIXGATE") ++view.new_orders;
    if ((type != "8" && type != "9") || m.get(F::SenderCompID) != venue_comp_id) continue;
    auto owner = order_of.find(m.get(F::ClOrdID));
    if (owner == order_of.end()) owner = order_of.find(m.get(F::OrigClOrdID));
    if (owner == order_of.end()) {
      view.unattributed.push_back(m.line);
      continue;
    }
    VenueOrderView& o = view.orders[owner->second];
    if (type == "8" && m.get(F::ExecType) == "F") {
      if (!seen_exec_ids.insert(m.get(F::ExecID)).second) {
        ++view.copies;
        continue;
      }
      ++view.executions;
      o.filled += quantity(m.get(F::LastQty));
      view.total_filled += quantity(m.get(F::LastQty));
    }
    if (type == "8") o.max_cum = std::max(o.max_cum, quantity(m.get(F::CumQty)));
    const std::string status = m.get(F::OrdStatus);
    o.last_status = status.empty() ? '?' : status[0];
    o.last_line = m.line;
  }
  return view;
}

void append(std::vector<std::string>& all, const char* check, const std::vector<std::string>& found) {
  for (const std::string& text : found) all.push_back(fmt::format("{}: {}", check, text));
}

}  // namespace

std::vector<PlannedOrder> planStream(const StreamConfig& config) {
  static const char* const kSymbols[] = {"AAPL", "MSFT", "IBM"};
  std::vector<PlannedOrder> orders;
  for (int i = 0; i < config.orders; ++i) {
    PlannedOrder o;
    o.id = fmt::format("S-{:02}", i + 1);
    const bool to_sim_b = config.sim_b_every > 0 && (i + 1) % config.sim_b_every == 0;
    o.symbol = to_sim_b ? "VOD.L" : kSymbols[i % 3];
    o.venue = to_sim_b ? "SIM-B" : "SIM-A";
    o.side = (i / 3) % 2 == 0 ? '1' : '2';  // each symbol alternates buy, sell
    o.qty = 101 + i;
    o.price = fmt::format("{:.2f}", 100.0 + 0.05 * ((i * 7) % 9 - 4));  // 99.80 .. 100.20: often crossing
    if (config.cancel_every > 0 && (i + 1) % config.cancel_every == 0)
      o.cancel_id = fmt::format("X-{:02}", i + 1);
    orders.push_back(std::move(o));
  }
  return orders;
}

std::string driveStream(client::FixClient& client, std::vector<PlannedOrder>& orders,
                        const StreamConfig& config) {
  auto sendDueCancels = [&]() -> std::string {
    const ClientView view = clientView(client.received(), orders);
    const auto now = Clock::now();
    for (PlannedOrder& o : orders) {
      if (o.cancel_id.empty() || o.cancel_sent || o.sent_at == Clock::time_point{}) continue;
      if (!view.orders.at(o.id).acknowledged && now - o.sent_at < config.cancel_after) continue;
      if (client.send(client::cancel(FixVersion::Fix44, {.cl_ord_id = o.cancel_id,
                                                         .orig_cl_ord_id = o.id,
                                                         .symbol = o.symbol,
                                                         .side = o.side,
                                                         .qty = std::to_string(o.qty)})) == 0) {
        return "could not send cancel " + o.cancel_id;
      }
      o.cancel_sent = true;
    }
    return {};
  };

  // The stream: one order every config.spacing, cancels as they fall due.
  const auto stream_start = Clock::now();
  for (std::size_t i = 0; i < orders.size(); ++i) {
    std::this_thread::sleep_until(stream_start + config.spacing * i);
    PlannedOrder& o = orders[i];
    if (client.send(client::newOrderSingle(
            FixVersion::Fix44, client::limitOrder(o.id, o.symbol, o.side, std::to_string(o.qty), o.price))) ==
        0) {
      return "could not send " + o.id;
    }
    o.sent_at = Clock::now();
    if (std::string error = sendDueCancels(); !error.empty()) return error;
  }
  // Every remaining cancel falls due within config.cancel_after of the last order; the deadline is a
  // backstop.
  const auto deadline = Clock::now() + config.cancel_after + milliseconds(5000);
  while (std::any_of(orders.begin(), orders.end(),
                     [](const PlannedOrder& o) { return !o.cancel_id.empty() && !o.cancel_sent; })) {
    if (Clock::now() >= deadline) return "cancels still unsent after the stream";
    std::this_thread::sleep_for(milliseconds(20));
    if (std::string error = sendDueCancels(); !error.empty()) return error;
  }
  return {};
}

bool waitUntilSettled(const client::FixClient& client, const std::vector<PlannedOrder>& orders,
                      const StreamConfig& config) {
  const auto deadline = Clock::now() + config.settle_timeout;
  std::size_t seen = client.receivedCount();
  auto last_arrival = Clock::now();
  for (;;) {
    const bool all_known = allKnown(clientView(client.received(), orders), orders);
    if (client.receivedCount() != seen) {
      seen = client.receivedCount();
      last_arrival = Clock::now();
    }
    if (all_known && Clock::now() - last_arrival >= config.quiet_period) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(100));
  }
}

std::vector<std::string> InvariantReport::violations() const {
  std::vector<std::string> all;
  append(all, "unsettled", unsettled);
  append(all, "client-unattributed", client_unattributed);
  append(all, "duplicate-sent", gateway_duplicates);
  append(all, "duplicate-received", venue_duplicates);
  append(all, "venue-unattributed", venue_unattributed);
  append(all, "fill-totals", totals);
  append(all, "fill-mismatch", fill_mismatches);
  append(all, "state-mismatch", state_mismatches);
  return all;
}

InvariantReport checkInvariants(const std::vector<FIX::Message>& received,
                                const std::vector<PlannedOrder>& orders,
                                const std::filesystem::path& gateway_dir) {
  InvariantReport report;
  report.orders = static_cast<int>(orders.size());
  const ClientView view = clientView(received, orders);
  report.unknown_reports = view.unknown_reports;

  // Invariant 1: every order in a final or known-live state.
  for (const PlannedOrder& o : orders) {
    const ClientOrderView& v = view.orders.at(o.id);
    if (const auto reason = unsettledReason(v, o)) {
      std::string text = fmt::format("{} ({} {} {} @ {}): {}", o.id, o.side == '1' ? "buy" : "sell", o.qty,
                                     o.symbol, o.price, *reason);
      for (const std::string& line : v.lines) text += "\n      " + line;
      report.unsettled.push_back(std::move(text));
    }
  }
  report.client_unattributed = view.unattributed;

  // Per venue the stream went to: invariant 2 on both logs, and the venue's view of every order.
  std::map<std::string, std::vector<PlannedOrder>> by_venue;
  for (const PlannedOrder& o : orders) by_venue[o.venue.empty() ? "SIM-A" : o.venue].push_back(o);
  std::map<std::string, VenueOrderView> at_venues;  // by client order
  for (const auto& [venue, venue_orders] : by_venue) {
    const auto gateway_log_dir = gateway_dir / "data" / "venues" / venue / "log";
    const auto venue_log_dir = gateway_dir / "venues" / venue / "log";
    const auto gateway_log = readMessageLog(gateway_log_dir);
    const auto venue_log = readMessageLog(venue_log_dir);
    for (std::string& p :
         duplicateNewOrders(gateway_log, "the gateway's log " + describeFiles(gateway_log_dir), venue_orders))
      report.gateway_duplicates.push_back(std::move(p));
    for (std::string& p :
         duplicateNewOrders(venue_log, venue + "'s log " + describeFiles(venue_log_dir), venue_orders))
      report.venue_duplicates.push_back(std::move(p));
    const VenueView venue_view = venueView(venue, gateway_log, venue_log, venue_orders);
    for (const std::string& line : venue_view.unattributed)
      report.venue_unattributed.push_back(venue + ": " + line);
    report.venue_delivered += venue_view.total_filled;
    report.venue_executions += venue_view.executions;
    report.venue_copies += venue_view.copies;
    report.venue_new_orders += venue_view.new_orders;
    for (const auto& [id, at] : venue_view.orders) at_venues[id] = at;
  }

  // Invariant 3: the client's fills equal the venue's, per order and in total.
  for (const PlannedOrder& o : orders) {
    const ClientOrderView& v = view.orders.at(o.id);
    report.client_filled += v.filled;
    const auto at = at_venues.find(o.id);
    const VenueOrderView none;
    const VenueOrderView& at_venue = at == at_venues.end() ? none : at->second;
    report.venue_executed += at_venue.max_cum;
    // The venue's fills are what it executed (its CumQty), whether or not its execution reports arrived:
    // fills lost with a connection must reach the client through reconciliation.
    if (v.filled != v.last_cum_qty || v.filled != at_venue.max_cum) {
      std::string text = fmt::format(
          "{}: the client's fills add up to {} and its last report says CumQty {}; {} sent fills for {} "
          "and reported CumQty up to {}{}",
          o.id, v.filled, v.last_cum_qty, o.venue, at_venue.filled, at_venue.max_cum,
          at_venue.max_cum > at_venue.filled ? " (some fills were never delivered)" : "");
      for (const std::string& line : v.lines) text += "\n      client: " + line;
      if (!at_venue.last_line.empty()) text += "\n      " + o.venue + "'s last word: " + at_venue.last_line;
      report.fill_mismatches.push_back(std::move(text));
    }
    // Known means known right: a final order is final at the venue, a live one live there (a venue's
    // "unknown order" answer, OrdStatus 8, is final: the order is gone).
    if (at != at_venues.end() && isFinalStatus(v.last_status) != isFinalStatus(at_venue.last_status)) {
      std::string text = fmt::format("{}: OrdStatus {} for the client, {} at {}", o.id, v.last_status,
                                     at_venue.last_status, o.venue);
      if (!v.lines.empty()) text += "\n      client's last: " + v.lines.back();
      text += "\n      " + o.venue + "'s last word: " + at_venue.last_line;
      report.state_mismatches.push_back(std::move(text));
    }
  }
  if (report.client_filled != report.venue_executed) {
    report.totals.push_back(fmt::format(
        "the client was sent fills for {} in total, the venues executed {} (their execution reports "
        "delivered {} in {} executions, {} duplicate copies)",
        report.client_filled, report.venue_executed, report.venue_delivered, report.venue_executions,
        report.venue_copies));
  }
  return report;
}

}  // namespace fixgate::testing::fault
