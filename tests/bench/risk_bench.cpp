// Microbenchmark of the pre-trade check chain on a realistic book: 10,000 symbols on 2 venues, 1,000 accounts
// spread over 20 sessions with entitlements, and 100,000 open orders acknowledged by the venues.
//
//   EngineApplyNewOrder  Engine::apply of a NewOrder that passes every check (validation, routing,
//                        entitlements, trading states, the pre-trade chain, the duplicate guard) and goes to
//                        the venue; the venue's cancel that keeps the book at 100,000 open orders is not
//                        timed.
//   CheckChain           checkEntitlements + TradingStates::checkNewOrder + runPreTradeChecks on prebuilt
//                        inputs: the checks alone.
//   CheckChainWithDuplicateGuard  the same plus DuplicateGuard::admit: everything Engine::checkRisk does.
//   Stage/...            each of the three stages of CheckChain alone, to show where the time goes; each
//                        includes resolveOrder (the one lookup of the order's keys that the stages share),
//                        which Stage/resolveOrder shows alone.
//   Baseline/EmptyTimedRegion  two clock reads around nothing: the timing floor inside every figure.
//
// Each iteration is timed on its own with std::chrono::steady_clock into a preallocated vector; p50, p99 and
// p99.9 in ns per order are reported as counters, with heap allocations per order counted by the global
// operator new below (counting only around the measured call). The goal is under 1 us at p99 with no
// heap allocation per check; this binary reports against it and never fails on it.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "alloc_counter.h"
#include "core/engine.h"
#include "core/limits.h"
#include "core/pre_trade.h"
#include "core/risk_state.h"
#include "core/trading_states.h"

namespace fixgate::core::bench {
namespace {

constexpr int kSymbols = 10'000;
constexpr int kAccounts = 1'000;
constexpr int kSessions = 20;
constexpr int kAccountsPerSession = kAccounts / kSessions;
constexpr int kOpenOrders = 100'000;
constexpr int kPool = 4'096;  // distinct prebuilt orders the measured loops cycle through
constexpr Timestamp kStart = 1'700'000'000'000'000;
constexpr Timestamp kStep = 100;  // 10,000 orders per second across the gateway

std::string accountName(int a) {
  return fmt::format("ACCT-{:04}", a);
}
std::string symbolName(int s) {
  return fmt::format("S{:05}", s);
}
std::string sessionName(int s) {
  return fmt::format("SESS-{:02}", s);
}

// Reference prices between 10.00 and 999.99, on the 0.01 tick.
std::int64_t referenceUnits(int symbol) {
  return (1'000 + (symbol * 7'919) % 99'000) * 1'000'000LL;
}

ReferenceData buildReferenceData() {
  ReferenceData r;
  for (int s = 0; s < kSessions; ++s) r.session_names.push_back(sessionName(s));
  r.venue_names = {"XPAR", "XAMS"};
  r.instruments.reserve(kSymbols);
  for (int s = 0; s < kSymbols; ++s) {
    const auto name = symbolName(s);
    r.instruments.emplace(name, Instrument{name, "", s % 2 == 0 ? "XPAR" : "XAMS", "EUR", Price{1'000'000}});
  }
  r.routing.rules = {RoutingRule{RouteMatch::SecurityExchange, "XAMS", 1}};
  r.routing.default_venue = 0;
  return r;
}

std::shared_ptr<const Limits> buildLimits() {
  auto l = std::make_shared<Limits>();
  l->version = "bench";
  l->source = "risk_bench";
  l->account_defaults.max_order_qty = 100'000;
  l->account_defaults.max_order_notional = Price{10'000'000 * Price::kScale};
  l->accounts.reserve(kAccounts);
  for (int a = 0; a < kAccounts; ++a) {
    AccountLimits al;
    al.account = accountName(a);
    al.max_order_qty = 10'000;
    al.max_order_notional = Price{1'000'000 * Price::kScale};
    al.max_gross_notional = Price{500'000'000 * Price::kScale};
    al.max_net_notional = Price{250'000'000 * Price::kScale};
    al.max_long_position = 1'000'000;
    al.max_short_position = 1'000'000;
    al.max_open_orders = 1'000;
    al.max_daily_loss = Price{1'000'000 * Price::kScale};
    l->accounts.emplace(al.account, al);
  }
  l->symbols.reserve(kSymbols);
  for (int s = 0; s < kSymbols; ++s) {
    SymbolLimits sl;
    sl.symbol = symbolName(s);
    sl.reference_price = Price{referenceUnits(s)};
    sl.max_order_qty = 50'000;
    l->symbols.emplace(sl.symbol, sl);
  }
  for (int s = 0; s < kSessions; ++s) {
    SessionLimits sl;
    sl.session = sessionName(s);
    for (int a = s * kAccountsPerSession; a < (s + 1) * kAccountsPerSession; ++a)
      sl.accounts.push_back(accountName(a));
    sl.venues = {"XPAR", "XAMS"};
    sl.default_account = sl.accounts.front();
    sl.max_messages_per_second = 5'000;
    l->sessions.emplace(sl.session, sl);
  }
  l->collar.max_deviation_pct = 10.0;
  l->credit_warning_pct = 70.0;
  l->duplicate_window_ms = 1'000;
  return l;
}

// The order pool: account a trades through its own session; symbols spread over the whole list; prices a few
// ticks around the reference; buys and sells alternate.
NewOrder poolOrder(int k, Qty qty) {
  const int account = k % kAccounts;
  const int symbol = static_cast<int>((static_cast<std::int64_t>(k) * 7'919 + 13) % kSymbols);
  NewOrder o;
  o.session = static_cast<SessionId>(account / kAccountsPerSession);
  o.cl_ord_id.reserve(32);
  o.terms.account = accountName(account);
  o.terms.symbol = symbolName(symbol);
  o.terms.security_exchange = symbol % 2 == 0 ? "XPAR" : "XAMS";
  o.terms.currency = "EUR";
  o.terms.side = k % 2 == 0 ? Side::Buy : Side::Sell;
  o.terms.ord_type = OrdType::Limit;
  o.terms.quantity = qty;
  o.terms.price = Price{referenceUnits(symbol) + ((k % 2 == 0) ? -1 : 1) * (k % 7) * 1'000'000LL};
  o.terms.capacity = TradingCapacity::Agency;
  return o;
}

void setClOrdId(std::string& id, std::uint64_t n) {
  char buf[24] = "B";
  const auto [end, ec] = std::to_chars(buf + 1, buf + sizeof buf, n);
  (void)ec;
  id.assign(buf, end);  // within the reserved capacity: no allocation
}

struct Book {
  Book() : engine(buildReferenceData(), "BENCH-", buildLimits()) {
    std::vector<Action> out;
    out.reserve(16);
    engine.apply(Event{now, VenueUp{0}}, out);
    engine.apply(Event{now, VenueUp{1}}, out);
    for (int i = 0; i < kOpenOrders; ++i) {
      NewOrder o = poolOrder(i, 100 + i % 50);
      setClOrdId(o.cl_ord_id, ++cl_counter);
      out.clear();
      engine.apply(Event{now += kStep, std::move(o)}, out);
      const VenueNewOrder* sent = nullptr;
      for (const auto& a : out) {
        if (const auto* v = std::get_if<VenueNewOrder>(&a)) sent = v;
      }
      if (sent == nullptr) {
        std::fprintf(stderr, "risk_bench: loading order %d was refused:\n", i);
        for (const auto& a : out) {
          if (const auto* r = std::get_if<ExecReport>(&a)) std::fprintf(stderr, "  %s\n", r->text.c_str());
        }
        std::abort();
      }
      const VenueAccepted ack{sent->venue, sent->venue_cl_ord_id, "X" + sent->venue_cl_ord_id};
      out.clear();
      engine.apply(Event{now, ack}, out);
    }
    open_after_load = engine.openOrderCount();
  }

  Engine engine;
  Timestamp now = kStart;
  std::uint64_t cl_counter = 0;
  std::size_t open_after_load = 0;
};

Book& book() {
  static Book b;
  return b;
}

// --- Percentiles ------------------------------------------------------------------------------------------

struct Figures {
  double p50 = 0, p99 = 0, p999 = 0, max = 0, allocs_per_op = 0;
  std::size_t samples = 0;
};
std::map<std::string, Figures>& results() {
  static std::map<std::string, Figures> r;
  return r;
}

double percentile(std::vector<std::int64_t>& ns, double q) {
  if (ns.empty()) return 0;
  const auto k = std::min(ns.size() - 1, static_cast<std::size_t>(q * static_cast<double>(ns.size())));
  std::nth_element(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(k), ns.end());
  return static_cast<double>(ns[k]);
}

void report(benchmark::State& state, const std::string& name, std::vector<std::int64_t>& ns,
            std::uint64_t allocations) {
  Figures f;
  f.samples = ns.size();
  f.allocs_per_op = ns.empty() ? 0 : static_cast<double>(allocations) / static_cast<double>(ns.size());
  f.p50 = percentile(ns, 0.50);
  f.p99 = percentile(ns, 0.99);
  f.p999 = percentile(ns, 0.999);
  f.max = ns.empty() ? 0 : static_cast<double>(*std::max_element(ns.begin(), ns.end()));
  state.counters["p50_ns"] = f.p50;
  state.counters["p99_ns"] = f.p99;
  state.counters["p99.9_ns"] = f.p999;
  state.counters["max_ns"] = f.max;
  state.counters["allocs/op"] = f.allocs_per_op;
  results()[name] = f;
}

using Clock = std::chrono::steady_clock;

std::int64_t elapsedNs(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
}

// --- (a) Engine::apply of a NewOrder that passes ----------------------------------------------------------

void EngineApplyNewOrder(benchmark::State& state) {
  Book& b = book();
  std::vector<Event> pool;
  pool.reserve(kPool);
  for (int k = 0; k < kPool; ++k) pool.push_back(Event{0, poolOrder(k * 3 + 1, 1)});
  std::vector<Action> out;
  out.reserve(16);
  std::vector<std::int64_t> ns;
  ns.reserve(static_cast<std::size_t>(state.max_iterations));
  std::uint64_t allocations = 0;
  std::uint64_t n = 0;
  for (auto _ : state) {
    Event& e = pool[n % kPool];
    auto& order = std::get<NewOrder>(e.body);
    order.terms.quantity = 1 + static_cast<Qty>((n / kPool) % 1'000);  // never a duplicate within the window
    setClOrdId(order.cl_ord_id, ++b.cl_counter);
    e.at = (b.now += kStep);
    out.clear();

    fixgate::bench::g_allocations = 0;
    fixgate::bench::g_counting = true;
    const auto t0 = Clock::now();
    b.engine.apply(e, out);
    const auto t1 = Clock::now();
    fixgate::bench::g_counting = false;
    allocations += fixgate::bench::g_allocations;
    ns.push_back(elapsedNs(t0, t1));
    state.SetIterationTime(static_cast<double>(ns.back()) * 1e-9);

    const VenueNewOrder* sent = nullptr;
    for (const auto& a : out) {
      if (const auto* v = std::get_if<VenueNewOrder>(&a)) sent = v;
    }
    if (sent == nullptr) {
      const auto* r = out.empty() ? nullptr : std::get_if<ExecReport>(&out.front());
      state.SkipWithError(r ? r->text.c_str() : "the order was not sent");
      break;
    }
    // The venue cancels it again (not timed), so the book stays at 100,000 open orders.
    const VenueCanceled cancel{sent->venue, sent->venue_cl_ord_id, "bench"};
    out.clear();
    b.engine.apply(Event{b.now, cancel}, out);
    ++n;
  }
  report(state, "EngineApplyNewOrder", ns, allocations);
  state.counters["open_orders"] = static_cast<double>(b.open_after_load);
}

// --- Baseline: the cost of the timing itself
// ----------------------------------------------------------------

// Two steady_clock reads around nothing: the floor included in every per-order figure above.
void EmptyTimedRegion(benchmark::State& state) {
  std::vector<std::int64_t> ns;
  ns.reserve(static_cast<std::size_t>(state.max_iterations));
  std::uint64_t allocations = 0;
  for (auto _ : state) {
    fixgate::bench::g_allocations = 0;
    fixgate::bench::g_counting = true;
    const auto t0 = Clock::now();
    benchmark::ClobberMemory();
    const auto t1 = Clock::now();
    fixgate::bench::g_counting = false;
    allocations += fixgate::bench::g_allocations;
    ns.push_back(elapsedNs(t0, t1));
    state.SetIterationTime(static_cast<double>(ns.back()) * 1e-9);
  }
  report(state, "Baseline/EmptyTimedRegion", ns, allocations);
}

// --- (b), (c) The check chain on prebuilt inputs ----------------------------------------------------------

struct ChainInputs {
  std::vector<OrderTerms> terms;
  std::vector<PreTradeInput> inputs;
};

ChainInputs chainInputs(const Engine& engine) {
  const auto& refdata = engine.referenceData();
  ChainInputs c;
  c.terms.reserve(kPool);
  c.inputs.reserve(kPool);
  for (int k = 0; k < kPool; ++k) {
    const auto o = poolOrder(k * 5 + 2, 10);
    c.terms.push_back(o.terms);
    const VenueId venue = o.terms.security_exchange == "XAMS" ? 1 : 0;
    c.inputs.push_back(PreTradeInput{o.session, refdata.session_names[o.session], venue,
                                     refdata.venue_names[venue], &c.terms.back(),
                                     refdata.instrument(o.terms.symbol), std::nullopt, 0});
  }
  return c;
}

// Which part of the chain a run measures: all of it (with or without the duplicate guard), or one stage.
enum class Part { Chain, ChainWithDuplicateGuard, Resolve, Entitlements, TradingStates, PreTrade };

void checkChain(benchmark::State& state, Part part, const char* name) {
  Book& b = book();
  const Limits& limits = *b.engine.limits();
  RiskState risk = b.engine.risk();  // the usage of the 100,000 open orders
  TradingStates states(b.engine.referenceData());
  DuplicateGuard duplicates;
  auto c = chainInputs(b.engine);
  Timestamp now = b.now;
  std::uint64_t n = 0;
  std::uint64_t refused = 0;
  std::string first_refusal;
  const bool all = part == Part::Chain || part == Part::ChainWithDuplicateGuard;
  const auto once = [&](std::size_t i) {
    PreTradeInput& in = c.inputs[i];
    const OrderTerms& t = *in.terms;
    in.now = now;
    // As Engine::checkRisk: the order's keys are looked up once, for every stage.
    resolveOrder(limits, risk, in);
    if (all || part == Part::Entitlements) {
      if (auto r = checkEntitlements(limits, in)) return r;
    }
    if (all || part == Part::TradingStates) {
      if (auto r = states.checkNewOrder(in.session, t.account, t.symbol, in.venue, reducesPosition(risk, in),
                                        now)) {
        return r;
      }
    }
    if (all || part == Part::PreTrade) {
      auto result = runPreTradeChecks(limits, risk, in);
      if (result.reject) return result.reject;
    }
    if (part == Part::ChainWithDuplicateGuard &&
        !duplicates.admit(DuplicateGuard::keyOf(t), now, limits.duplicate_window_ms)) {
      return std::optional<Reject>(Reject{RejectCode::DuplicateOrder, "duplicate"});
    }
    return std::optional<Reject>{};
  };
  // Warm up: every account, position and scope of the pool has been seen once (no first-time inserts).
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    now += kStep;
    c.terms[i].quantity = 10 + static_cast<Qty>(i % 7);
    (void)once(i);
  }
  std::vector<std::int64_t> ns;
  ns.reserve(static_cast<std::size_t>(state.max_iterations));
  std::uint64_t allocations = 0;
  for (auto _ : state) {
    const std::size_t i = n % kPool;
    c.terms[i].quantity = 20 + static_cast<Qty>((n / kPool) % 1'000);
    now += kStep;

    fixgate::bench::g_allocations = 0;
    fixgate::bench::g_counting = true;
    const auto t0 = Clock::now();
    auto reject = once(i);
    benchmark::DoNotOptimize(reject);
    const auto t1 = Clock::now();
    fixgate::bench::g_counting = false;
    allocations += fixgate::bench::g_allocations;
    ns.push_back(elapsedNs(t0, t1));
    state.SetIterationTime(static_cast<double>(ns.back()) * 1e-9);
    if (reject && refused++ == 0) first_refusal = reject->text;
    ++n;
  }
  if (refused != 0) {
    state.SkipWithError(fmt::format("{} of {} orders refused, first: {}", refused, n, first_refusal).c_str());
  }
  report(state, name, ns, allocations);
}

void CheckChain(benchmark::State& state) {
  checkChain(state, Part::Chain, "CheckChain");
}
void CheckChainWithDuplicateGuard(benchmark::State& state) {
  checkChain(state, Part::ChainWithDuplicateGuard, "CheckChainWithDuplicateGuard");
}
void StageResolve(benchmark::State& state) {
  checkChain(state, Part::Resolve, "Stage/resolveOrder");
}
void StageEntitlements(benchmark::State& state) {
  checkChain(state, Part::Entitlements, "Stage/checkEntitlements");
}
void StageTradingStates(benchmark::State& state) {
  checkChain(state, Part::TradingStates, "Stage/TradingStates::checkNewOrder");
}
void StagePreTrade(benchmark::State& state) {
  checkChain(state, Part::PreTrade, "Stage/runPreTradeChecks");
}

// --risk_bench_apply_iterations=N caps EngineApplyNewOrder, whose every iteration adds one (canceled) order
// to the engine.
std::int64_t takeIterationsFlag(int& argc, char** argv, std::int64_t fallback) {
  constexpr std::string_view kFlag = "--risk_bench_apply_iterations=";
  std::int64_t value = fallback;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with(kFlag)) {
      value = std::strtoll(argv[i] + kFlag.size(), nullptr, 10);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  return value;
}

}  // namespace
}  // namespace fixgate::core::bench

int main(int argc, char** argv) {
  using namespace fixgate::core::bench;
  const auto apply_iterations = takeIterationsFlag(argc, argv, 200'000);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RegisterBenchmark("EngineApplyNewOrder", EngineApplyNewOrder)
      ->Iterations(apply_iterations)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("CheckChain", CheckChain)->UseManualTime()->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("CheckChainWithDuplicateGuard", CheckChainWithDuplicateGuard)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("Stage/resolveOrder", StageResolve)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("Stage/checkEntitlements", StageEntitlements)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("Stage/TradingStates::checkNewOrder", StageTradingStates)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("Stage/runPreTradeChecks", StagePreTrade)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RegisterBenchmark("Baseline/EmptyTimedRegion", EmptyTimedRegion)
      ->UseManualTime()
      ->Unit(benchmark::kNanosecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();

  if (!results().empty()) {
    // "No allocation per check": the duplicate guard's table doubles a handful of times in a run of a
    // million checks (amortised, far below 1e-4 per check); an allocation made by every check shows as 1.
    std::printf(
        "risk_bench summary: %d symbols, %d accounts, %zu open orders; goal p99 < 1000 ns and 0 "
        "allocs/check\n",
        kSymbols, kAccounts, book().open_after_load);
    for (const auto& [name, f] : results()) {
      const bool check_only = name.starts_with("CheckChain");
      std::printf(
          "  %-36s p50 %6.0f ns  p99 %6.0f ns  p99.9 %7.0f ns  max %8.0f ns  allocs/op %.6f  (%zu "
          "samples)%s\n",
          name.c_str(), f.p50, f.p99, f.p999, f.max, f.allocs_per_op, f.samples,
          !check_only ? "" : (f.p99 < 1000 && f.allocs_per_op < 1e-4 ? "  goal met" : "  goal NOT met"));
    }
  }
  return 0;
}
