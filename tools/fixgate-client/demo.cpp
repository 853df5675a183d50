#include "demo.h"

#include <fmt/format.h>

#include <thread>

#include "message_builders.h"
#include "message_fields.h"
#include "message_predicates.h"
#include "report_line.h"

namespace fixgate::client {
namespace {

constexpr std::chrono::milliseconds kSettle{200};

class DemoRun {
 public:
  DemoRun(FixClient& client, const DemoOptions& options, std::ostream& out, std::ostream& err)
      : client_(client), options_(options), out_(out), err_(err) {}

  // Sends `message`, waits for its answer and checks it with `expected`; false (after saying why) on failure.
  bool step(const std::string& title, FIX::Message message, const std::string& cl_ord_id,
            const MessagePredicate& expected, const std::string& expected_text) {
    ++step_;
    out_ << fmt::format("== step {}: {}\n", step_, title);
    const int seq = client_.send(std::move(message));
    if (seq == 0) {
      err_ << fmt::format("error: step {} ({}): could not send, session not logged on\n", step_, title);
      return false;
    }
    const auto answer = client_.waitFor(answerTo(cl_ord_id, seq), options_.step_timeout);
    // A moment for reports that follow the answer (a venue's fill after the New) to show under this step.
    if (answer) std::this_thread::sleep_for(kSettle);
    printReceived();
    if (!answer) {
      err_ << fmt::format("error: step {} ({}): no answer within {} ms\n", step_, title,
                          options_.step_timeout.count());
      return false;
    }
    if (!expected(*answer)) {
      err_ << fmt::format("error: step {} ({}): expected {}, got: {}\n", step_, title, expected_text,
                          reportLine(*answer));
      return false;
    }
    return true;
  }

  // Waits for a follow-up report that is not the answer to a request (e.g. a cancel after a mass cancel).
  bool await(const std::string& what, const MessagePredicate& predicate) {
    const auto found = client_.waitFor(predicate, options_.step_timeout);
    printReceived();
    if (!found) {
      err_ << fmt::format("error: step {}: no {} within {} ms\n", step_, what, options_.step_timeout.count());
      return false;
    }
    return true;
  }

  // Prints what arrived since the last call, so late fills show up too.
  void printReceived() {
    for (const FIX::Message& m : client_.received(printed_)) {
      if (msgType(m) != "A") out_ << "  <- " << reportLine(m) << '\n';  // logon was reported before the demo
      ++printed_;
    }
  }

  std::string id(int n) const { return fmt::format("{}-{}", options_.id_prefix, n); }

 private:
  FixClient& client_;
  const DemoOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
  int step_ = 0;
  std::size_t printed_ = 0;
};

}  // namespace

int runDemo(FixClient& client, const DemoOptions& options, std::ostream& out, std::ostream& err) {
  const FixVersion v = client.version();
  const std::string& sym = options.symbol;
  DemoRun run(client, options, out, err);
  const std::string first = run.id(1), replaced = run.id(2), status = run.id(3), cancel_id = run.id(4),
                    second = run.id(5), mass = run.id(6), invalid = run.id(7);

  const auto accepted = [](const FIX::Message& m) { return isExecReport(m, "012F"); };
  const bool ok =
      run.step(fmt::format("limit buy 1000 {} @ 100", sym),
               newOrderSingle(v, limitOrder(first, sym, '1', "1000", "100")), first, accepted,
               "an ExecutionReport New or fill") &&
      run.step(
          "replace to 1500 @ 100.50", replace(v, limitReplace(replaced, first, sym, '1', "1500", "100.50")),
          replaced, [](const FIX::Message& m) { return isExecReport(m, "5"); },
          "an ExecutionReport Replaced (150=5)") &&
      run.step(
          "order status request", statusRequest(v, replaced, sym, '1'), replaced,
          [](const FIX::Message& m) {
            return msgType(m) == "8" &&
                   (fieldOr(m, FIX::FIELD::ExecType) == "I" || fieldOr(m, FIX::FIELD::ExecTransType) == "3");
          },
          "an ExecutionReport OrderStatus (150=I, or 20=3 in FIX 4.2)") &&
      run.step(
          "cancel",
          cancel(v, {.cl_ord_id = cancel_id,
                     .orig_cl_ord_id = replaced,
                     .symbol = sym,
                     .side = '1',
                     .qty = "1500"}),
          cancel_id, [](const FIX::Message& m) { return isExecReport(m, "4"); },
          "an ExecutionReport Canceled (150=4)") &&
      run.step(fmt::format("second order: limit buy 200 {} @ 99", sym),
               newOrderSingle(v, limitOrder(second, sym, '1', "200", "99")), second, accepted,
               "an ExecutionReport New or fill") &&
      run.step(
          "mass cancel of all orders (530=7)", massCancel(v, mass, '7'), mass,
          [](const FIX::Message& m) {
            return msgType(m) == "r" && fieldOr(m, FIX::FIELD::MassCancelResponse) == "7";
          },
          "an OrderMassCancelReport accepting it (531=7)") &&
      run.await("ExecutionReport Canceled for the second order",
                [&](const FIX::Message& m) {
                  return isExecReport(m, "4") && (fieldOr(m, FIX::FIELD::ClOrdID) == second ||
                                                  fieldOr(m, FIX::FIELD::OrigClOrdID) == second);
                }) &&
      run.step(
          fmt::format("invalid order: unknown symbol {}", options.unknown_symbol),
          newOrderSingle(v, limitOrder(invalid, options.unknown_symbol, '1', "100", "10")), invalid,
          [](const FIX::Message& m) {
            return isExecReport(m, "8") || msgType(m) == "3" || msgType(m) == "j";
          },
          "a reject");
  if (!ok) return 1;
  std::this_thread::sleep_for(kSettle);
  run.printReceived();
  out << "demo complete: every step got its answer\n";
  return 0;
}

}  // namespace fixgate::client
