// Operations end to end: a real gateway with its metrics/health endpoint on, SIM-A (resting) and SIM-B
// (partial fills), a FIX.4.4 client, the admin socket, and the audit store in a private PostgreSQL. The
// metrics are scraped over HTTP and read as Prometheus text; every admin command is driven and its effect
// checked where it shows: the reply, the client's reports, the metrics and the audit tables.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "admin/client.h"
#include "audit/audit_trail_fixture.h"
#include "core/trading_day.h"
#include "http_get.h"
#include "journal/journal_reader.h"
#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "records/codec.h"
#include "tcp_ports.h"

namespace fixgate::testing {
namespace {

constexpr std::chrono::milliseconds kAdminTimeout{5000};
constexpr std::chrono::milliseconds kSettle{10000};  // how long a metric or health state may take to show

class Operations : public AuditTrailTest {
 protected:
  [[nodiscard]] ::testing::AssertionResult startWithMetrics() {
    port_ = freeTcpPort();
    GatewayOptions options;
    options.ops_http_port = port_;
    return startGateway(options);
  }

  [[nodiscard]] std::string scrape() {
    auto answer = httpGet(port_, "/metrics");
    EXPECT_TRUE(answer) << answer.error();
    if (!answer) return "";
    EXPECT_EQ(answer->status, 200) << answer->body;
    EXPECT_NE(answer->headers.find("text/plain; version=0.0.4"), std::string::npos) << answer->headers;
    return answer->body;
  }

  // Scrapes until `metric{labels}` equals `expected` (metrics of answers arriving on other threads may lag).
  [[nodiscard]] ::testing::AssertionResult metricBecomes(const std::string& metric,
                                                         const std::vector<std::string>& labels,
                                                         double expected) {
    const auto deadline = std::chrono::steady_clock::now() + kSettle;
    std::optional<double> last;
    std::string body;
    while (std::chrono::steady_clock::now() < deadline) {
      body = scrape();
      last = metricValue(body, metric, labels);
      if (last && *last == expected) return ::testing::AssertionSuccess();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return ::testing::AssertionFailure()
           << metric << " " << ::testing::PrintToString(labels) << " is "
           << (last ? std::to_string(*last) : "absent") << ", not " << expected << "; last scrape:\n"
           << body;
  }

  [[nodiscard]] std::string admin(const std::string& line) {
    auto reply = admin::sendAdminCommand(gateway().adminSocket(), line, kAdminTimeout);
    EXPECT_TRUE(reply) << line << ": " << (reply ? "" : reply.error().message);
    return reply ? *reply : std::string("error: no reply");
  }

  std::uint16_t port_ = 0;
};

// The gateway links jemalloc unless built without it (FIXGATE_JEMALLOC, off under the sanitizers), and says
// at start which allocator serves its malloc (a library linked ahead of jemalloc would show here) and
// whether jemalloc purges on its background thread (the executable's malloc_conf).
TEST(GatewayStart, LogsTheMemoryAllocatorThatServesMalloc) {
  GatewayUnderTest gateway;
  ASSERT_TRUE(gateway.start());
#ifdef FIXGATE_WITH_JEMALLOC
  ASSERT_TRUE(gateway.gateway().waitForOutput("memory allocator: jemalloc", kSettle))
      << gateway.diagnostics(20);
  // Its settings took: pages are purged on jemalloc's background thread, not in the order path's frees.
  const std::string log = gateway.gateway().log();
  const std::string line = log.substr(log.find("memory allocator:"), 120);
  EXPECT_NE(line.find("(background purging on)"), std::string::npos) << line;
#else
  EXPECT_TRUE(
      gateway.gateway().waitForOutput("memory allocator: glibc malloc (built without jemalloc", kSettle))
      << gateway.diagnostics(20);
#endif
}

// A trading day starts at gateway.trading_day_start_utc, within moments of it, logged as TradingDayStarted.
// The day is journaled: a restart within the same day (here after a crash) does not start it again.
TEST(GatewayStart, StartsATradingDayAtItsConfiguredTimeAndNotAgainAfterARestart) {
  using namespace std::chrono;
  // Far enough ahead that the gateway is up before the day starts, also under the sanitizers.
  const auto day_starts = ceil<seconds>(system_clock::now()) + seconds(8);
  const std::int64_t start_s = (day_starts.time_since_epoch().count()) % core::kSecondsPerDay;
  GatewayOptions options;
  options.trading_day_start_utc =
      fmt::format("{:02}:{:02}:{:02}", start_s / 3600, start_s / 60 % 60, start_s % 60);
  const auto micros = [](system_clock::time_point t) {
    return duration_cast<microseconds>(t.time_since_epoch()).count();
  };
  const std::string first_day = core::tradingDayOf(micros(system_clock::now()), start_s);
  const std::string next_day = core::tradingDayOf(micros(day_starts), start_s);
  ASSERT_NE(first_day, next_day);

  GatewayUnderTest gateway(options);
  ASSERT_TRUE(gateway.start());
  ASSERT_LT(system_clock::now(), day_starts) << "the gateway took too long to start for this test";
  EXPECT_TRUE(gateway.gateway().waitForOutput(
      fmt::format("[TradingDayStarted] trading day {} started; no earlier day in the journal", first_day),
      kSettle))
      << gateway.diagnostics(20);
  const std::string started_next = fmt::format(
      "[TradingDayStarted] trading day {} started after {}: fills, realized P&L and credit warnings "
      "reset for",
      next_day, first_day);
  EXPECT_FALSE(gateway.gateway().waitForOutput(started_next, milliseconds(100))) << "started early";
  ASSERT_TRUE(gateway.gateway().waitForOutput(
      started_next, duration_cast<milliseconds>(day_starts - system_clock::now() + kSettle)))
      << gateway.diagnostics(20);
  EXPECT_GE(system_clock::now(), day_starts);

  ASSERT_TRUE(gateway.killGateway());
  ASSERT_TRUE(gateway.restartGateway());
  // The restarted gateway replayed the day's start: it logs no new one (checked once it is fully up).
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(gateway.gateway().log().find("[TradingDayStarted]"), std::string::npos)
      << gateway.gateway().log();
}

TEST_F(Operations, MetricsCountRequestsRejectsFillsAndTimeTheOrderPath) {
  ASSERT_TRUE(startWithMetrics());
  ASSERT_TRUE(placeOrder("OPS-1", "AAPL", '1', "100", "99"));  // rests at SIM-A
  ASSERT_TRUE(placeOrder("OPS-2", "VOD.L", '1', "10", "72"));  // SIM-B fills half at once
  const auto refused = sendAndAwait(
      client::newOrderSingle(client::FixVersion::Fix44, client::limitOrder("OPS-3", "NOPE", '1', "5", "10")),
      "OPS-3");
  ASSERT_TRUE(refused) << receivedSoFar();

  const std::string session = "session=\"it-C44A\"";
  EXPECT_TRUE(
      metricBecomes("fixgate_requests_total", {session, "request=\"new\"", "outcome=\"accepted\""}, 2));
  EXPECT_TRUE(
      metricBecomes("fixgate_requests_total", {session, "request=\"new\"", "outcome=\"rejected\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_orders_total", {session, "venue=\"SIM-A\"", "outcome=\"routed\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_orders_total", {session, "venue=\"none\"", "outcome=\"rejected\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_rejects_total", {"code=\"FG106\"", "reason=\"unknown_symbol\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_executions_total", {session, "venue=\"SIM-B\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_filled_quantity_total", {session, "venue=\"SIM-B\""}, 5));
  EXPECT_TRUE(metricBecomes("fixgate_open_orders", {"venue=\"SIM-A\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_open_orders", {"venue=\"SIM-B\""}, 1));  // half filled, still working
  EXPECT_TRUE(metricBecomes("fixgate_fix_session_up", {session, "role=\"client\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_fix_session_up", {"session=\"SIM-A\"", "role=\"venue\""}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_fix_session_up", {"session=\"it-C44B\"", "role=\"client\""}, 0));
  EXPECT_TRUE(metricBecomes("fixgate_trading_state", {"scope=\"global\""}, 0));
  EXPECT_TRUE(metricBecomes("fixgate_ready", {}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_journal_healthy", {}, 1));
  EXPECT_TRUE(metricBecomes("fixgate_shipper_connected", {}, 1));

  const std::string body = scrape();
  // Three client messages went through the core; two reached a venue's socket.
  const auto decided =
      metricValue(body, "fixgate_order_stage_seconds_count", {"stage=\"inbound_to_decided\""});
  ASSERT_TRUE(decided) << body;
  EXPECT_GE(*decided, 3);
  const auto sent =
      metricValue(body, "fixgate_order_stage_seconds_count", {"stage=\"inbound_to_venue_send\""});
  ASSERT_TRUE(sent) << body;
  EXPECT_EQ(*sent, 2);
  // Each of those two venue sends also timed its socket write, and the order path up to it.
  for (const char* stage : {"stage=\"venue_socket_write\"", "stage=\"inbound_to_venue_write\""})
    EXPECT_EQ(metricValue(body, "fixgate_order_stage_seconds_count", {stage}), 2) << stage << "\n" << body;
  // Each acknowledgement from a venue was timed, and came back in well under a second on loopback.
  for (const char* venue : {"venue=\"SIM-A\"", "venue=\"SIM-B\""}) {
    const auto acks =
        metricValue(body, "fixgate_venue_ack_latency_seconds_count", {venue, "request=\"new\""});
    const auto under_1s =
        metricValue(body, "fixgate_venue_ack_latency_seconds_bucket", {venue, "request=\"new\"", "le=\"1\""});
    ASSERT_TRUE(acks && under_1s) << body;
    EXPECT_EQ(*acks, 1) << venue;
    EXPECT_EQ(*under_1s, 1) << venue;
  }
  // Reports the venues caused reached the client's socket, and were timed.
  EXPECT_TRUE(
      metricValue(body, "fixgate_order_stage_seconds_count", {"stage=\"venue_report_to_client_send\""})
          .value_or(0) >= 3)
      << body;
  const auto version = metricValue(body, "fixgate_limits_info", {});
  EXPECT_EQ(version.value_or(0), 1) << body;
}

// A message refused as a whole never reaches the core, so fixgate_rejects_total does not see it: its own
// counter does, by session, message type and the reason the reject carries.
TEST_F(Operations, MetricsCountSessionLevelRejectsAndBusinessMessageRejects) {
  ASSERT_TRUE(startWithMetrics());
  client::FixClient& c = client();
  ASSERT_NE(c.send(client::quoteRequest(client::FixVersion::Fix44, "OPS-QR", "AAPL")), 0);
  ASSERT_TRUE(c.waitForMsgType("j", kSettle)) << receivedSoFar();
  // Side Z is not a value the session's dictionary allows: QuickFIX refuses it before the gateway sees it.
  ASSERT_NE(c.send(client::newOrderSingle(client::FixVersion::Fix44,
                                          client::limitOrder("OPS-BAD", "AAPL", 'Z', "100", "10"))),
            0);
  const auto reject = c.waitForMsgType("3", kSettle);
  ASSERT_TRUE(reject) << receivedSoFar();
  EXPECT_EQ(client::fieldOr(*reject, FIX::FIELD::SessionRejectReason), "5") << client::toLine(*reject);

  const std::string session = "session=\"it-C44A\"";
  EXPECT_TRUE(metricBecomes("fixgate_message_rejects_total",
                            {session, "msg_type=\"j\"", "code=\"3\"", "reason=\"unsupported_message_type\""},
                            1));
  EXPECT_TRUE(metricBecomes(
      "fixgate_message_rejects_total",
      {session, "msg_type=\"3\"", "code=\"5\"", "reason=\"value_is_incorrect_for_this_tag\""}, 1));
  EXPECT_TRUE(
      metricBecomes("fixgate_requests_total", {session, "request=\"new\"", "outcome=\"rejected\""}, 0))
      << "a message QuickFIX refused is not a request the gateway answered";
}

TEST_F(Operations, BusyPollingSendersDeliverEveryReportAndStopSpinningAtLogout) {
  GatewayOptions options;
  options.busy_poll = true;
  ASSERT_TRUE(startGateway(options));
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(placeOrder(fmt::format("BP-{}", i), "AAPL", '1', "10", "90"));
  // C44A's sender stops spinning at its logout; C44B's starts at its logon.
  stopClient();
  auto again = gateway().connectClient("FIX.4.4", "C44B");
  ASSERT_TRUE(again);
  const int seq = again->send(client::newOrderSingle(
      client::FixVersion::Fix44, client::limitOrder("BP-after", "VOD.L", '1', "10", "72")));
  ASSERT_NE(seq, 0);
  EXPECT_TRUE(again->waitFor(client::answerTo("BP-after", seq), kAnswerTimeout));
  EXPECT_TRUE(again->waitFor(client::execReportFor("BP-after", "F12"), kAnswerTimeout));  // SIM-B fills half
}

TEST_F(Operations, ReadinessFollowsTheVenuesAndLivenessTheOrderPath) {
  ASSERT_TRUE(startWithMetrics());
  auto ready = httpGet(port_, "/health/ready");
  ASSERT_TRUE(ready) << ready.error();
  EXPECT_EQ(ready->status, 200) << ready->body;
  EXPECT_NE(ready->body.find("\"status\": \"ready\""), std::string::npos) << ready->body;

  gateway().stopVenue("SIM-B");
  const auto deadline = std::chrono::steady_clock::now() + kSettle;
  while (std::chrono::steady_clock::now() < deadline) {
    ready = httpGet(port_, "/health/ready");
    ASSERT_TRUE(ready) << ready.error();
    if (ready->status == 503) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(ready->status, 503) << ready->body;
  EXPECT_NE(ready->body.find("\"name\": \"venue SIM-B\""), std::string::npos) << ready->body;
  EXPECT_NE(ready->body.find("not logged on: orders to it are refused"), std::string::npos) << ready->body;
  EXPECT_TRUE(metricBecomes("fixgate_ready", {}, 0));
  EXPECT_TRUE(metricBecomes("fixgate_fix_session_up", {"session=\"SIM-B\"", "role=\"venue\""}, 0));

  const auto live = httpGet(port_, "/health/live");
  ASSERT_TRUE(live) << live.error();
  EXPECT_EQ(live->status, 200) << live->body;
  const auto missing = httpGet(port_, "/nothing-here");
  ASSERT_TRUE(missing) << missing.error();
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("/metrics"), std::string::npos) << missing->body;
}

TEST_F(Operations, EveryAdminCommandWorksAndIsAuditedWithItsOperator) {
  ASSERT_TRUE(startWithMetrics());
  std::string order_id;
  ASSERT_TRUE(placeOrder("OPS-K1", "AAPL", '1', "100", "99", &order_id));  // resting at SIM-A

  const auto sessions = admin("sessions");
  EXPECT_NE(sessions.find("session it-C44A FIX.4.4: logged on; breaker ok; trading Active"),
            std::string::npos)
      << sessions;
  EXPECT_NE(sessions.find("session it-C44B FIX.4.4: not logged on"), std::string::npos) << sessions;
  const auto venues = admin("venues");
  EXPECT_NE(venues.find("venue SIM-A: logged on; breaker closed; 1 open orders; trading Active"),
            std::string::npos)
      << venues;
  const auto breakers = admin("breakers");
  EXPECT_NE(breakers.find("venue breaker SIM-B: closed"), std::string::npos) << breakers;
  EXPECT_NE(breakers.find("session breaker it-C44A: ok"), std::string::npos) << breakers;
  const auto limits = admin("limits");
  EXPECT_TRUE(limits.starts_with("limits ")) << limits;
  EXPECT_NE(admin("status").find("open orders 1"), std::string::npos);

  EXPECT_EQ(admin("log-level level=debug by=olga"), "log level debug (was info)");
  EXPECT_TRUE(admin("log-level level=loud by=olga").starts_with("error: unknown log level 'loud'"));
  EXPECT_TRUE(gateway().gateway().waitForOutput("log level info -> debug by olga", kAdminTimeout));

  EXPECT_NE(admin(R"(halt scope=symbol key=MSFT by=olga reason="news")")
                .find("symbol MSFT: Active -> Halted by olga"),
            std::string::npos);
  EXPECT_TRUE(metricBecomes("fixgate_trading_state", {"scope=\"symbol\"", "key=\"MSFT\""}, 2));
  EXPECT_NE(admin("resume scope=symbol key=MSFT by=olga").find("Halted -> Active"), std::string::npos);
  EXPECT_NE(admin("reload-limits by=olga").find("applied by olga"), std::string::npos);
  EXPECT_TRUE(metricBecomes("fixgate_limits_reloads_total", {"outcome=\"applied\""}, 1));
  EXPECT_FALSE(admin("reset-breaker session=it-C44A by=olga").starts_with("error: unknown"));

  // The kill switch: halted, the resting order canceled at SIM-A, the client told, the metric and the audit
  // show it.
  const auto killed = admin(R"(kill scope=global by=olga reason="drill")");
  EXPECT_NE(killed.find("global -: Active -> Halted by olga (drill)"), std::string::npos) << killed;
  EXPECT_NE(killed.find("1 open order(s) being canceled at the venues"), std::string::npos) << killed;
  const auto canceled = client().waitFor(client::execReportFor("OPS-K1", "4"), kAnswerTimeout);
  ASSERT_TRUE(canceled) << receivedSoFar();
  EXPECT_TRUE(metricBecomes("fixgate_trading_state", {"scope=\"global\""}, 2));
  EXPECT_TRUE(metricBecomes("fixgate_open_orders", {"venue=\"SIM-A\""}, 0));
  EXPECT_TRUE(metricBecomes("fixgate_ready", {}, 1));  // halted is a trading decision, not a fault
  EXPECT_NE(admin("resume scope=global by=olga").find("Halted -> Active"), std::string::npos);
  EXPECT_TRUE(admin("kill scope=planet by=olga").starts_with("error:"));

  const auto last = journalLastSeq();
  ASSERT_TRUE(last);
  ASSERT_TRUE(waitForAudit(*last));
  // SIM-A answered the kill switch's cancel: the order is gone from the venue's book, not only ours.
  const auto venue_cancel = query(
      "SELECT count(*) FROM audit.order_events WHERE event_type = 'venue-canceled' AND venue = 'SIM-A'");
  EXPECT_EQ(venue_cancel[0][0].as<int>(), 1) << "no venue-canceled event from SIM-A for " << order_id;
  const auto halt = query(
      "SELECT count(*) FROM audit.trading_state_changes WHERE scope = 'global' AND to_state = 'Halted' "
      "AND changed_by = 'olga' AND reason = 'drill'");
  EXPECT_EQ(halt[0][0].as<int>(), 1);
  // Every command is in the audit trail with who gave it: by= for changes, the peer's uid for reads, and the
  // refused ones too.
  const auto commands =
      query("SELECT summary FROM audit.journal_records WHERE record_type = 'operator-command' ORDER BY seq");
  std::vector<std::string> summaries;
  for (const auto& row : commands) summaries.push_back(row[0].as<std::string>());
  const auto has = [&](const std::string& part) {
    for (const auto& s : summaries) {
      if (s.find(part) != std::string::npos) return true;
    }
    return false;
  };
  for (const std::string& expected :
       {std::string("sessions by uid:"), std::string("venues by uid:"), std::string("breakers by uid:"),
        std::string("limits by uid:"), std::string("status by uid:"),
        std::string("log-level level=debug by=olga by olga"),
        std::string("log-level level=loud by=olga by olga"),
        std::string("halt scope=symbol key=MSFT by=olga reason=news by olga"),
        std::string("kill scope=global by=olga reason=drill by olga"),
        std::string("reload-limits by=olga by olga"),
        std::string("reset-breaker session=it-C44A by=olga by olga"), std::string("kill scope=planet")}) {
    EXPECT_TRUE(has(expected)) << "no operator-command record with \"" << expected << "\"; got:\n"
                               << ::testing::PrintToString(summaries);
  }
  EXPECT_TRUE(has("refused")) << ::testing::PrintToString(summaries);
  EXPECT_EQ(summaries.size(), 14u) << ::testing::PrintToString(summaries);
}

// The FIX messages the gateway sent to venue `venue`, as its journal recorded them.
std::vector<std::string> sentToVenue(const std::filesystem::path& journal_dir, const std::string& venue) {
  std::vector<std::string> sent;
  auto reader = journal::JournalReader::open(journal_dir, 1);
  if (!reader) {
    ADD_FAILURE() << reader.error().message;
    return sent;
  }
  for (;;) {
    auto next = reader->next();
    if (!next) {
      ADD_FAILURE() << next.error().message;
      return sent;
    }
    if (!next->has_value()) return sent;
    const auto& record = **next;
    if (record.type != static_cast<std::uint16_t>(records::RecordType::FixMessage)) continue;
    auto message = records::decodeFixMessage(
        std::string_view(reinterpret_cast<const char*>(record.payload.data()), record.payload.size()));
    if (message && message->direction == records::Direction::Out && message->session == "venue:" + venue) {
      sent.push_back(message->raw);
    }
  }
}

// An operator resets a venue session's sequence numbers by hand (a venue that started a new day without
// saying so in words the gateway recognises): the session logs out telling the venue who asked, logs on
// again with ResetSeqNumFlag=Y and MsgSeqNum 1, and the order resting at the venue is still canceled there.
TEST_F(Operations, AnOperatorResetsAVenueSessionsSequenceNumbersByLogon) {
  ASSERT_TRUE(startWithMetrics());
  ASSERT_TRUE(placeOrder("OPS-V1", "AAPL", '1', "100", "99"));  // resting at SIM-A

  EXPECT_TRUE(admin("reset-venue-seq venue=SIM-A").starts_with("error: reset-venue-seq: missing by="));
  EXPECT_EQ(admin("reset-venue-seq venue=SIM-Z by=olga"),
            "error: no venue named \"SIM-Z\" (venues: SIM-A, SIM-B)");
  const auto reply = admin(R"(reset-venue-seq venue=SIM-A by=olga reason="venue restarted its day")");
  EXPECT_TRUE(
      reply.starts_with("venue SIM-A: logging out now; it logs on again in about 1 s with "
                        "ResetSeqNumFlag=Y"))
      << reply;
  ASSERT_TRUE(
      gateway().gateway().waitForOutput("venue SIM-A: sequence numbers reset to 1 on both sides by "
                                        "this logon",
                                        kSettle))
      << gateway().diagnostics(40);

  const auto sent = sentToVenue(gateway().dir() / "data" / "journal", "SIM-A");
  const auto logout = std::find_if(sent.begin(), sent.end(), [](const std::string& m) {
    return m.find(
               "\x01"
               "35=5\x01") != std::string::npos &&
           m.find("58=sequence numbers reset by the gateway's operator olga: venue restarted its day") !=
               std::string::npos;
  });
  ASSERT_NE(logout, sent.end()) << "no Logout naming the operator among " << sent.size() << " messages";
  const auto reset_logon = std::find_if(logout, sent.end(), [](const std::string& m) {
    return m.find(
               "\x01"
               "35=A\x01") != std::string::npos;
  });
  ASSERT_NE(reset_logon, sent.end()) << "no Logon after the operator's Logout";
  EXPECT_NE(reset_logon->find("\x01"
                              "34=1\x01"),
            std::string::npos)
      << *reset_logon;
  EXPECT_NE(reset_logon->find("\x01"
                              "141=Y\x01"),
            std::string::npos)
      << *reset_logon;

  // The venue kept its book across the reset: the resting order is canceled there.
  const auto canceled = sendAndAwait(
      client::cancel(client::FixVersion::Fix44, {"OPS-V2", "OPS-V1", "AAPL", '1', "100"}), "OPS-V2");
  ASSERT_TRUE(canceled) << receivedSoFar();
  EXPECT_EQ(canceled->getField(150), "4") << client::toLine(*canceled);

  const auto last = journalLastSeq();
  ASSERT_TRUE(last);
  ASSERT_TRUE(waitForAudit(*last));
  const auto audited = query(
      "SELECT count(*) FROM audit.journal_records WHERE record_type = 'operator-command' AND summary LIKE "
      "'reset-venue-seq venue=SIM-A by=olga reason=\"venue restarted its day\" by olga%'");
  EXPECT_EQ(audited[0][0].as<int>(), 1);
}

}  // namespace
}  // namespace fixgate::testing
