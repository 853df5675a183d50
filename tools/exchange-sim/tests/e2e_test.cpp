// Starts the built fixgate-exchange-sim and talks FIX 4.4 to it through a QuickFIX initiator.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "quickfix/quickfix.h"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool portAccepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// The simulator as a child process; killed by PID in the destructor whatever the test did.
class SimProcess {
 public:
  explicit SimProcess(std::vector<std::string> args) : args_(std::move(args)) {
    static int instances = 0;
    logPath_ = (std::filesystem::temp_directory_path() /
                fmt::format("exchange_sim_e2e_{}_{}.log", ::getpid(), ++instances))
                   .string();
    // Everything the child needs is prepared before fork(): only async-signal-safe calls may follow it.
    std::vector<char*> argv{binary_.data()};
    for (auto& a : args_) argv.push_back(a.data());
    argv.push_back(nullptr);
    int fd = ::open(logPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fd, STDOUT_FILENO);  // dup2 clears FD_CLOEXEC on the copies
      ::dup2(fd, STDERR_FILENO);
      ::execv(binary_.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(fd);
  }
  ~SimProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove(logPath_, ec);  // a failing test has already quoted it through output()
  }
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  // Exit code once the process ends within `timeout`, nullopt if it is still running.
  std::optional<int> waitExit(std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }
  std::optional<int> terminate() {
    ::kill(pid_, SIGTERM);
    return waitExit(5s);
  }
  bool waitListening(int port) {
    auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline) {
      if (portAccepts(port)) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return false;
      }
      std::this_thread::sleep_for(20ms);
    }
    return false;
  }
  std::string output() const {
    std::ifstream in(logPath_);
    return {std::istreambuf_iterator<char>(in), {}};
  }

 private:
  std::string binary_ = EXCHANGE_SIM_BINARY;
  std::vector<std::string> args_;
  std::string logPath_;
  pid_t pid_ = -1;
  bool exited_ = false;
};

class Client : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {
    notify([this] {
      loggedOn_ = true;
      ++logons_;
    });
  }
  void onLogout(const FIX::SessionID&) override {
    notify([this] {
      if (loggedOn_) ++logouts_;  // QuickFIX also reports failed connection attempts as logouts
      loggedOn_ = false;
    });
  }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID&) override {
    notify([&] { received_.push_back(m); });
  }

  bool waitLogon(std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [this] { return loggedOn_; });
  }
  // Counted from the start, so a test cannot miss a logout and logon that both happened while it looked away.
  bool waitLogons(int count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return logons_ >= count; });
  }
  bool waitLogouts(int count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return logouts_ >= count; });
  }
  // Next application message, in arrival order.
  std::optional<FIX::Message> next(std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    if (!cv_.wait_for(lock, timeout, [this] { return !received_.empty(); })) return std::nullopt;
    FIX::Message m = received_.front();
    received_.pop_front();
    return m;
  }

 private:
  template <typename F>
  void notify(F f) {
    {
      std::lock_guard lock(mutex_);
      f();
    }
    cv_.notify_all();
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  bool loggedOn_ = false;
  int logons_ = 0;
  int logouts_ = 0;
  std::deque<FIX::Message> received_;
};

std::string field(const FIX::FieldMap& m, int tag) {
  return m.isSetField(tag) ? m.getField(tag) : "<unset>";
}

// A running simulator with one logged-on FIXGATE client.
class SimFixture : public ::testing::Test {
 protected:
  // clientDictionary: validate everything the simulator sends against it, as the gateway will.
  void start(std::vector<std::string> extraArgs = {},
             const std::optional<std::filesystem::path>& clientDictionary = std::nullopt) {
    port_ = freePort();
    dataDir_ = std::filesystem::temp_directory_path() / ("exchange_sim_e2e_" + std::to_string(port_));
    std::vector<std::string> args{"--port",          std::to_string(port_), "--data-dir",
                                  dataDir_.string(), "--status-interval-s", "0"};
    bool hasDictionary = false;
    for (const auto& a : extraArgs) hasDictionary = hasDictionary || a == "--dictionary";
    if (!hasDictionary) args.insert(args.end(), {"--dictionary", "none"});
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    sim_ = std::make_unique<SimProcess>(args);
    ASSERT_TRUE(sim_->waitListening(port_)) << sim_->output();

    FIX::Dictionary d;
    d.setString(FIX::CONNECTION_TYPE, "initiator");
    d.setString(FIX::SOCKET_CONNECT_HOST, "127.0.0.1");
    d.setInt(FIX::SOCKET_CONNECT_PORT, port_);
    d.setInt(FIX::HEARTBTINT, clientHeartbeat_);
    d.setString(FIX::START_TIME, "00:00:00");
    d.setString(FIX::END_TIME, "00:00:00");
    d.setBool(FIX::USE_DATA_DICTIONARY, clientDictionary.has_value());
    if (clientDictionary) d.setString(FIX::DATA_DICTIONARY, clientDictionary->string());
    d.setBool(FIX::RESET_ON_LOGON, true);
    settings_.set(session_, d);
    // QuickFIX's threaded initiator reads ReconnectInterval from the defaults only, not the session's
    // section.
    FIX::Dictionary defaults;
    defaults.setInt(FIX::RECONNECT_INTERVAL, 1);
    settings_.set(defaults);
    initiator_ = std::make_unique<FIX::ThreadedSocketInitiator>(client_, stores_, settings_);
    initiator_->start();
    if (expectLogon_) {
      ASSERT_TRUE(client_.waitLogon()) << sim_->output();
    }
  }
  void TearDown() override {
    if (initiator_) initiator_->stop(true);
    initiator_.reset();
    if (sim_) {
      auto code = sim_->terminate();
      EXPECT_EQ(code, 0) << "simulator did not exit cleanly on SIGTERM\n" << sim_->output();
    }
    std::error_code ec;
    std::filesystem::remove_all(dataDir_, ec);
  }

  FIX::Message newOrder(const std::string& clOrdId, char side, const std::string& qty,
                        const std::optional<std::string>& price, const std::string& symbol = "XYZ") {
    FIX::Message m;
    m.getHeader().setField(FIX::MsgType(FIX::MsgType_NewOrderSingle));
    m.setField(FIX::ClOrdID(clOrdId));
    m.setField(FIX::Symbol(symbol));
    m.setField(FIX::Side(side));
    m.setField(FIX::FIELD::OrderQty, qty);
    m.setField(FIX::OrdType(price ? FIX::OrdType_LIMIT : FIX::OrdType_MARKET));
    if (price) m.setField(FIX::FIELD::Price, *price);
    m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 6));
    return m;
  }
  FIX::Message replaceRequest(const std::string& clOrdId, const std::string& orig, char side,
                              const std::string& qty, const std::string& price) {
    FIX::Message m;
    m.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderCancelReplaceRequest));
    m.setField(FIX::ClOrdID(clOrdId));
    m.setField(FIX::OrigClOrdID(orig));
    m.setField(FIX::Symbol("XYZ"));
    m.setField(FIX::Side(side));
    m.setField(FIX::FIELD::OrderQty, qty);
    m.setField(FIX::OrdType(FIX::OrdType_LIMIT));
    m.setField(FIX::FIELD::Price, price);
    m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 6));
    return m;
  }
  FIX::Message cancelRequest(const std::string& clOrdId, const std::string& orig, char side) {
    FIX::Message m;
    m.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderCancelRequest));
    m.setField(FIX::ClOrdID(clOrdId));
    m.setField(FIX::OrigClOrdID(orig));
    m.setField(FIX::Symbol("XYZ"));
    m.setField(FIX::Side(side));
    m.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 6));
    return m;
  }
  FIX::Message statusRequest(const std::string& clOrdId, char side, const std::string& symbol = "XYZ") {
    FIX::Message m;
    m.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderStatusRequest));
    m.setField(FIX::ClOrdID(clOrdId));
    m.setField(FIX::Symbol(symbol));
    m.setField(FIX::Side(side));
    return m;
  }
  void send(FIX::Message m) { ASSERT_TRUE(FIX::Session::sendToTarget(m, session_)); }
  FIX::Message expectNext() {
    auto m = client_.next();
    if (!m) {
      ADD_FAILURE() << "no message from the simulator\n" << sim_->output();
      return FIX::Message();
    }
    return *m;
  }
  // For faults that swallow a message: nothing may arrive within `quiet`.
  void expectNothing(std::chrono::milliseconds quiet = 500ms) {
    if (auto m = client_.next(quiet)) ADD_FAILURE() << "unexpected message " << m->toString();
  }

  int clientHeartbeat_ = 30;
  bool expectLogon_ = true;
  int port_ = 0;
  std::filesystem::path dataDir_;
  std::unique_ptr<SimProcess> sim_;
  FIX::SessionID session_{FIX::BeginString_FIX44, "FIXGATE", "SIM"};
  FIX::SessionSettings settings_;
  FIX::NullStoreFactory stores_;
  Client client_;
  std::unique_ptr<FIX::ThreadedSocketInitiator> initiator_;
};

TEST_F(SimFixture, NewOrderIsAcknowledged) {
  start();
  send(newOrder("ord-1", FIX::Side_BUY, "100", "10.5"));
  FIX::Message er = expectNext();
  EXPECT_EQ(field(er.getHeader(), FIX::FIELD::MsgType), "8");
  EXPECT_EQ(field(er.getHeader(), FIX::FIELD::SenderCompID), "SIM");
  EXPECT_EQ(field(er, FIX::FIELD::ExecType), "0");
  EXPECT_EQ(field(er, FIX::FIELD::OrdStatus), "0");
  EXPECT_EQ(field(er, FIX::FIELD::ClOrdID), "ord-1");
  EXPECT_EQ(field(er, FIX::FIELD::Symbol), "XYZ");
  EXPECT_EQ(field(er, FIX::FIELD::Side), "1");
  EXPECT_EQ(field(er, FIX::FIELD::OrderQty), "100");
  EXPECT_EQ(field(er, FIX::FIELD::Price), "10.5");
  EXPECT_EQ(field(er, FIX::FIELD::LeavesQty), "100");
  EXPECT_EQ(field(er, FIX::FIELD::CumQty), "0");
  EXPECT_EQ(field(er, FIX::FIELD::AvgPx), "0");
  EXPECT_TRUE(field(er, FIX::FIELD::OrderID).starts_with("SIM-"));
  EXPECT_NE(field(er, FIX::FIELD::ExecID), "<unset>");
  EXPECT_EQ(field(er, FIX::FIELD::TransactTime).size(), std::string("20240101-00:00:00.000000").size());
}

TEST_F(SimFixture, CrossingOrdersFillBothSidesAndCancelsAreAnswered) {
  start();
  send(newOrder("buy-1", FIX::Side_BUY, "100", "10"));
  FIX::Message ack = expectNext();
  std::string orderId = field(ack, FIX::FIELD::OrderID);

  send(newOrder("sell-1", FIX::Side_SELL, "40", "9.5"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ExecType), "0");
  FIX::Message aggressor = expectNext();
  FIX::Message resting = expectNext();
  EXPECT_EQ(field(aggressor, FIX::FIELD::ExecType), "F");
  EXPECT_EQ(field(aggressor, FIX::FIELD::ClOrdID), "sell-1");
  EXPECT_EQ(field(aggressor, FIX::FIELD::LastPx), "10");
  EXPECT_EQ(field(aggressor, FIX::FIELD::OrdStatus), "2");
  EXPECT_EQ(field(resting, FIX::FIELD::ClOrdID), "buy-1");
  EXPECT_EQ(field(resting, FIX::FIELD::OrderID), orderId);
  EXPECT_EQ(field(resting, FIX::FIELD::OrdStatus), "1");
  EXPECT_EQ(field(resting, FIX::FIELD::LastQty), "40");
  EXPECT_EQ(field(resting, FIX::FIELD::CumQty), "40");
  EXPECT_EQ(field(resting, FIX::FIELD::LeavesQty), "60");
  EXPECT_EQ(field(resting, FIX::FIELD::AvgPx), "10");
  EXPECT_NE(field(resting, FIX::FIELD::ExecID), field(aggressor, FIX::FIELD::ExecID));

  send(replaceRequest("buy-2", "buy-1", FIX::Side_BUY, "80", "10"));
  FIX::Message replaced = expectNext();
  EXPECT_EQ(field(replaced, FIX::FIELD::ExecType), "5");
  EXPECT_EQ(field(replaced, FIX::FIELD::ClOrdID), "buy-2");
  EXPECT_EQ(field(replaced, FIX::FIELD::OrigClOrdID), "buy-1");
  EXPECT_EQ(field(replaced, FIX::FIELD::OrderID), orderId);
  EXPECT_EQ(field(replaced, FIX::FIELD::LeavesQty), "40");

  send(cancelRequest("buy-3", "buy-2", FIX::Side_BUY));
  FIX::Message canceled = expectNext();
  EXPECT_EQ(field(canceled, FIX::FIELD::ExecType), "4");
  EXPECT_EQ(field(canceled, FIX::FIELD::OrdStatus), "4");
  EXPECT_EQ(field(canceled, FIX::FIELD::ClOrdID), "buy-3");
  EXPECT_EQ(field(canceled, FIX::FIELD::OrigClOrdID), "buy-2");
  EXPECT_EQ(field(canceled, FIX::FIELD::CumQty), "40");

  send(cancelRequest("buy-4", "no-such-order", FIX::Side_BUY));
  FIX::Message unknown = expectNext();
  EXPECT_EQ(field(unknown.getHeader(), FIX::FIELD::MsgType), "9");
  EXPECT_EQ(field(unknown, FIX::FIELD::CxlRejReason), "1");
  EXPECT_EQ(field(unknown, FIX::FIELD::CxlRejResponseTo), "1");
  EXPECT_EQ(field(unknown, FIX::FIELD::OrderID), "NONE");
}

TEST_F(SimFixture, InvalidAndHaltedOrdersAndUnknownMessagesAreRejected) {
  start({"--reject-symbol", "HALT", "--venue", "SIM"});
  send(newOrder("bad-1", FIX::Side_BUY, "0", "10"));
  FIX::Message zero = expectNext();
  EXPECT_EQ(field(zero, FIX::FIELD::ExecType), "8");
  EXPECT_EQ(field(zero, FIX::FIELD::OrdStatus), "8");
  EXPECT_EQ(field(zero, FIX::FIELD::Text), "OrderQty must be positive, got 0");

  send(newOrder("bad-2", FIX::Side_BUY, "10", std::nullopt, "HALT"));
  FIX::Message halted = expectNext();
  EXPECT_EQ(field(halted, FIX::FIELD::ExecType), "8");
  EXPECT_EQ(field(halted, FIX::FIELD::Text), "symbol HALT is halted at venue SIM");
  EXPECT_EQ(field(halted, FIX::FIELD::Symbol), "HALT");

  FIX::Message quoteRequest;
  quoteRequest.getHeader().setField(FIX::MsgType("R"));
  quoteRequest.setField(FIX::QuoteReqID("q1"));
  send(quoteRequest);
  FIX::Message reject = expectNext();
  EXPECT_EQ(field(reject.getHeader(), FIX::FIELD::MsgType), "j");
  EXPECT_EQ(field(reject, FIX::FIELD::RefMsgType), "R");
  EXPECT_EQ(field(reject, FIX::FIELD::BusinessRejectReason), "3");
}

TEST_F(SimFixture, AckDelayHoldsTheAcknowledgement) {
  start({"--ack-delay-ms", "400", "--fill-model", "immediate"});
  auto sent = Clock::now();
  send(newOrder("slow-1", FIX::Side_BUY, "5", "10"));
  FIX::Message ack = expectNext();
  auto elapsed = Clock::now() - sent;
  EXPECT_EQ(field(ack, FIX::FIELD::ExecType), "0");
  EXPECT_GE(elapsed, 400ms);
  // The fill was never delayed itself, but does not overtake its order's ack.
  FIX::Message fill = expectNext();
  EXPECT_EQ(field(fill, FIX::FIELD::ExecType), "F");
  EXPECT_EQ(field(fill, FIX::FIELD::LastQty), "5");
}

// The gateway's reconciliation path: an ack never comes, the order is live all the same, and H tells the
// truth.
TEST_F(SimFixture, DroppedAcksLeaveTheOrderLiveAndStatusReportsIt) {
  start({"--drop-acks-for-symbol", "LOST"});
  send(newOrder("lost-1", FIX::Side_BUY, "100", "10", "LOST"));
  expectNothing();
  send(newOrder("kept-1", FIX::Side_BUY, "100", "10", "XYZ"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ClOrdID), "kept-1");

  send(statusRequest("lost-1", FIX::Side_BUY, "LOST"));
  FIX::Message status = expectNext();
  EXPECT_EQ(field(status, FIX::FIELD::ExecType), "I");
  EXPECT_EQ(field(status, FIX::FIELD::OrdStatus), "0");
  EXPECT_EQ(field(status, FIX::FIELD::LeavesQty), "100");
  EXPECT_TRUE(field(status, FIX::FIELD::OrderID).starts_with("SIM-"));

  // Resting in the book: a crossing sell (whose own ack is dropped too) fills it.
  send(newOrder("lost-2", FIX::Side_SELL, "30", "10", "LOST"));
  FIX::Message aggressor = expectNext();
  FIX::Message resting = expectNext();
  EXPECT_EQ(field(aggressor, FIX::FIELD::ExecType), "F");
  EXPECT_EQ(field(aggressor, FIX::FIELD::ClOrdID), "lost-2");
  EXPECT_EQ(field(resting, FIX::FIELD::ExecType), "F");
  EXPECT_EQ(field(resting, FIX::FIELD::ClOrdID), "lost-1");
  EXPECT_EQ(field(resting, FIX::FIELD::CumQty), "30");
  EXPECT_NE(sim_->output().find("drop-acks-for-symbol=LOST"), std::string::npos) << sim_->output();
}

TEST_F(SimFixture, DropAcksRateOneDropsEveryAckButNotStatusAnswers) {
  start({"--drop-acks", "1", "--fault-seed", "7"});
  send(newOrder("d-1", FIX::Side_SELL, "10", "20"));
  expectNothing();
  send(cancelRequest("d-2", "d-1", FIX::Side_SELL));
  expectNothing();
  send(statusRequest("d-1", FIX::Side_SELL));
  FIX::Message status = expectNext();
  EXPECT_EQ(field(status, FIX::FIELD::ExecType), "I");
  EXPECT_EQ(field(status, FIX::FIELD::OrdStatus), "4");
  EXPECT_NE(sim_->output().find("drop-acks=1 fault-seed=7"), std::string::npos) << sim_->output();
}

TEST_F(SimFixture, DisconnectAfterNDisconnectsInsteadOfTheNextMessageOncePerLogon) {
  start({"--disconnect-after", "2"});
  send(newOrder("c-1", FIX::Side_BUY, "10", "10"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ClOrdID), "c-1");
  send(newOrder("c-2", FIX::Side_BUY, "10", "10"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ClOrdID), "c-2");
  send(newOrder("c-3", FIX::Side_BUY, "10", "10"));  // its ack would be message 3
  ASSERT_TRUE(client_.waitLogouts(1, 5s)) << sim_->output();
  ASSERT_TRUE(client_.waitLogons(2, 10s)) << sim_->output();
  expectNothing(300ms);  // the swallowed ack is not resent after the new logon

  // The count restarts at logon: two answers, then the third request costs the connection again.
  send(statusRequest("c-3", FIX::Side_BUY));
  FIX::Message status = expectNext();
  EXPECT_EQ(field(status, FIX::FIELD::ExecType), "I");
  EXPECT_EQ(field(status, FIX::FIELD::ClOrdID), "c-3");
  EXPECT_EQ(field(status, FIX::FIELD::OrdStatus), "0");
  send(statusRequest("c-1", FIX::Side_BUY));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ClOrdID), "c-1");
  send(statusRequest("c-2", FIX::Side_BUY));
  ASSERT_TRUE(client_.waitLogouts(2, 5s)) << sim_->output();
  EXPECT_NE(sim_->output().find("disconnected FIX.4.4:SIM->FIXGATE instead of sending application message 3"),
            std::string::npos)
      << sim_->output();
}

TEST_F(SimFixture, DuplicateExecsSendTheFillTwiceWithTheSameExecId) {
  start({"--duplicate-execs", "1", "--fill-model", "immediate"});
  send(newOrder("dup-1", FIX::Side_BUY, "5", "10"));
  FIX::Message ack = expectNext();
  EXPECT_EQ(field(ack, FIX::FIELD::ExecType), "0");
  EXPECT_EQ(field(ack.getHeader(), FIX::FIELD::PossResend), "<unset>");
  FIX::Message fill = expectNext();
  FIX::Message again = expectNext();
  EXPECT_EQ(field(fill, FIX::FIELD::ExecType), "F");
  EXPECT_EQ(field(fill.getHeader(), FIX::FIELD::PossResend), "<unset>");
  EXPECT_EQ(field(again, FIX::FIELD::ExecType), "F");
  EXPECT_EQ(field(again.getHeader(), FIX::FIELD::PossResend), "Y");
  EXPECT_EQ(field(again, FIX::FIELD::ExecID), field(fill, FIX::FIELD::ExecID));
  EXPECT_EQ(field(again, FIX::FIELD::LastQty), "5");
  EXPECT_NE(field(again.getHeader(), FIX::FIELD::MsgSeqNum), field(fill.getHeader(), FIX::FIELD::MsgSeqNum));
  expectNothing(300ms);
}

TEST_F(SimFixture, APossResendCopyOfAKnownOrderIsAnsweredWithItsStatusNotBookedTwice) {
  start({"--lose-new-for-symbol", "IBM"});
  send(newOrder("pr-1", FIX::Side_BUY, "10", "10"));
  FIX::Message ack = expectNext();
  EXPECT_EQ(field(ack, FIX::FIELD::ExecType), "0");
  FIX::Message copy = newOrder("pr-1", FIX::Side_BUY, "10", "10");
  copy.getHeader().setField(FIX::PossResend(true));
  send(copy);
  FIX::Message status = expectNext();
  EXPECT_EQ(field(status, FIX::FIELD::ExecType), "I");
  EXPECT_EQ(field(status, FIX::FIELD::OrdStatus), "0");
  EXPECT_EQ(field(status, FIX::FIELD::OrderID), field(ack, FIX::FIELD::OrderID));
  expectNothing(300ms);
  // Without PossResend the same ClOrdID is a duplicate and refused.
  send(newOrder("pr-1", FIX::Side_BUY, "10", "10"));
  FIX::Message refused = expectNext();
  EXPECT_EQ(field(refused, FIX::FIELD::ExecType), "8");
}

TEST_F(SimFixture, ALostNewOrderIsNeverBookedButItsPossResendCopyIs) {
  start({"--lose-new-for-symbol", "IBM"});
  FIX::Message order = newOrder("lo-1", FIX::Side_BUY, "10", "10", "IBM");
  send(order);
  expectNothing(300ms);
  send(statusRequest("lo-1", FIX::Side_BUY, "IBM"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::OrdStatus), "8");  // unknown: as if lost on the wire
  FIX::Message copy = order;
  copy.getHeader().setField(FIX::PossResend(true));
  send(copy);
  FIX::Message ack = expectNext();
  EXPECT_EQ(field(ack, FIX::FIELD::ExecType), "0");
  EXPECT_EQ(field(ack, FIX::FIELD::Symbol), "IBM");
}

// Seconds until the first restart: long enough to place an order before it on a busy machine.
constexpr const char* kRestartAfterS = "3";

TEST_F(SimFixture, RestartDropsSessionsAndWipesTheBookByDefault) {
  start({"--restart-after-s", kRestartAfterS});
  send(newOrder("r-1", FIX::Side_BUY, "10", "10"));
  std::string orderIdBefore = field(expectNext(), FIX::FIELD::OrderID);
  ASSERT_TRUE(client_.waitLogouts(1, 10s)) << sim_->output();
  ASSERT_TRUE(client_.waitLogons(2, 10s)) << sim_->output();

  send(statusRequest("r-1", FIX::Side_BUY));
  FIX::Message status = expectNext();
  EXPECT_EQ(field(status, FIX::FIELD::ExecType), "I");
  EXPECT_EQ(field(status, FIX::FIELD::OrdStatus), "8");
  EXPECT_EQ(field(status, FIX::FIELD::OrderID), "NONE");
  // A forgotten order's ClOrdID is free again, and the new order's OrderID is not the old one's.
  send(newOrder("r-1", FIX::Side_BUY, "10", "10"));
  FIX::Message ack = expectNext();
  EXPECT_EQ(field(ack, FIX::FIELD::ExecType), "0");
  EXPECT_NE(field(ack, FIX::FIELD::OrderID), orderIdBefore);
  std::string log = sim_->output();
  EXPECT_NE(log.find("fault: restart 1/1: book wiped"), std::string::npos) << log;
  EXPECT_NE(log.find("fault: restart 1/1: accepting again on port " + std::to_string(port_)),
            std::string::npos)
      << log;
}

TEST_F(SimFixture, RestartWithKeepBookKeepsOrdersUpToRestartCountTimes) {
  start({"--restart-after-s", kRestartAfterS, "--restart-count", "2", "--keep-book"});
  send(newOrder("k-1", FIX::Side_SELL, "10", "30"));
  std::string orderId = field(expectNext(), FIX::FIELD::OrderID);
  for (int restart = 1; restart <= 2; ++restart) {
    ASSERT_TRUE(client_.waitLogouts(restart, 10s)) << sim_->output();
    ASSERT_TRUE(client_.waitLogons(restart + 1, 10s)) << sim_->output();
    send(statusRequest("k-1", FIX::Side_SELL));
    FIX::Message status = expectNext();
    EXPECT_EQ(field(status, FIX::FIELD::ExecType), "I");
    EXPECT_EQ(field(status, FIX::FIELD::OrdStatus), "0");
    EXPECT_EQ(field(status, FIX::FIELD::OrderID), orderId);
    EXPECT_EQ(field(status, FIX::FIELD::LeavesQty), "10");
  }
  std::string log = sim_->output();
  EXPECT_NE(log.find("fault: restart 2/2: book kept (1 orders resting)"), std::string::npos) << log;
  EXPECT_NE(log.find("restart-after-s=3 restart-count=2 book=kept"), std::string::npos) << log;
}

// Both ends on fix_spec/venue/FIX44.xml, as in production: every report the simulator sends must pass the
// client's validation or QuickFIX answers it with a session Reject and the test sees nothing.
TEST_F(SimFixture, EveryReportValidatesAgainstTheVenueDictionary) {
  std::filesystem::path dictionary = std::filesystem::path(FIXGATE_REPO_DIR) / "fix_spec/venue/FIX44.xml";
  if (!std::filesystem::exists(dictionary)) GTEST_SKIP() << dictionary << " not written yet";
  start({"--dictionary", dictionary.string()}, dictionary);

  FIX::Message order = newOrder("p-1", FIX::Side_SELL, "10", "20");
  FIX::Group party(
      FIX::FIELD::NoPartyIDs, FIX::FIELD::PartyID,
      FIX::message_order(FIX::FIELD::PartyID, FIX::FIELD::PartyIDSource, FIX::FIELD::PartyRole, 0));
  party.setField(FIX::PartyID("TRADER1"));
  party.setField(FIX::PartyIDSource('D'));
  party.setField(FIX::PartyRole(11));
  order.addGroup(party);
  send(order);
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ExecType), "0");

  send(newOrder("p-2", FIX::Side_BUY, "4", "21"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ExecType), "0");
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ExecType), "F");
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ExecType), "F");

  send(replaceRequest("p-1b", "p-1", FIX::Side_SELL, "8", "20"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ExecType), "5");
  send(replaceRequest("p-1c", "p-1b", FIX::Side_SELL, "3", "20"));  // below CumQty 4
  FIX::Message refused = expectNext();
  EXPECT_EQ(field(refused.getHeader(), FIX::FIELD::MsgType), "9");
  EXPECT_EQ(field(refused, FIX::FIELD::CxlRejResponseTo), "2");
  EXPECT_EQ(field(refused, FIX::FIELD::CxlRejReason), "99");

  FIX::Message status;
  status.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderStatusRequest));
  status.setField(FIX::ClOrdID("p-1b"));
  status.setField(FIX::Symbol("XYZ"));
  status.setField(FIX::Side(FIX::Side_SELL));
  send(status);
  FIX::Message statusReport = expectNext();
  EXPECT_EQ(field(statusReport, FIX::FIELD::ExecType), "I");
  EXPECT_EQ(field(statusReport, FIX::FIELD::CumQty), "4");
  EXPECT_EQ(field(statusReport, FIX::FIELD::LeavesQty), "4");
  status.setField(FIX::ClOrdID("nobody"));
  send(status);
  FIX::Message unknownStatus = expectNext();
  EXPECT_EQ(field(unknownStatus, FIX::FIELD::OrdStatus), "8");
  EXPECT_EQ(field(unknownStatus, FIX::FIELD::OrderID), "NONE");

  send(newOrder("p-3", FIX::Side_BUY, "0", "20"));
  EXPECT_EQ(field(expectNext(), FIX::FIELD::ExecType), "8");

  FIX::Message massCancel;
  massCancel.getHeader().setField(FIX::MsgType(FIX::MsgType_OrderMassCancelRequest));
  massCancel.setField(FIX::ClOrdID("mc-1"));
  massCancel.setField(FIX::MassCancelRequestType('7'));
  massCancel.setField(FIX::TransactTime(FIX::UtcTimeStamp(), 6));
  send(massCancel);
  FIX::Message report = expectNext();
  EXPECT_EQ(field(report.getHeader(), FIX::FIELD::MsgType), "r");
  EXPECT_EQ(field(report, FIX::FIELD::MassCancelResponse), "7");
  EXPECT_EQ(field(report, FIX::FIELD::TotalAffectedOrders), "1");
  FIX::Message canceled = expectNext();
  EXPECT_EQ(field(canceled, FIX::FIELD::ExecType), "4");
  EXPECT_EQ(field(canceled, FIX::FIELD::ClOrdID), "p-1b");
}

TEST_F(SimFixture, HeartbeatIntervalIsEnforcedAtLogon) {
  clientHeartbeat_ = 30;
  expectLogon_ = false;
  start({"--heartbeat-interval", "15"});
  EXPECT_FALSE(client_.waitLogon(2s));
  EXPECT_NE(sim_->output().find("HeartBtInt must be 15, got 30"), std::string::npos) << sim_->output();
}

TEST(SimStartup, HelpExitsZero) {
  SimProcess sim({"--help"});
  EXPECT_EQ(sim.waitExit(5s), 0);
  for (const char* flag :
       {"--reference-price", "--ack-delay-ms", "--drop-acks", "--drop-acks-for-symbol", "--fault-seed",
        "--disconnect-after", "--duplicate-execs", "--restart-after-s", "--restart-count", "--keep-book"}) {
    EXPECT_NE(sim.output().find(flag), std::string::npos) << flag;
  }
}

TEST(SimStartup, KeepBookWithoutRestartIsAUsageError) {
  SimProcess sim({"--port", std::to_string(freePort()), "--keep-book"});
  auto code = sim.waitExit(5s);
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  EXPECT_NE(sim.output().find("--restart-after-s"), std::string::npos) << sim.output();
}

TEST(SimStartup, MissingDictionaryExitsNonZero) {
  SimProcess sim({"--port", std::to_string(freePort()), "--dictionary", "/nonexistent/FIX44.xml"});
  auto code = sim.waitExit(5s);
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  EXPECT_NE(sim.output().find("not found"), std::string::npos) << sim.output();
}

TEST(SimStartup, PortInUseExitsNonZero) {
  int port = freePort();
  auto dir = std::filesystem::temp_directory_path() / ("exchange_sim_e2e_busy_" + std::to_string(port));
  SimProcess first(
      {"--port", std::to_string(port), "--dictionary", "none", "--data-dir", (dir / "a").string()});
  ASSERT_TRUE(first.waitListening(port)) << first.output();
  SimProcess second({"--port", std::to_string(port), "--venue", "OTHER", "--dictionary", "none", "--data-dir",
                     (dir / "b").string()});
  auto code = second.waitExit(5s);
  ASSERT_TRUE(code.has_value());
  EXPECT_NE(*code, 0);
  EXPECT_NE(second.output().find(std::to_string(port)), std::string::npos) << second.output();
  EXPECT_EQ(first.terminate(), 0);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
