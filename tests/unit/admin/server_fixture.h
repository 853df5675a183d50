// A real AdminServer on a socket in a temp dir, with a handler that records what reaches it, and a capture
// of what the server logs.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "admin/client.h"
#include "admin/server.h"
#include "admin_test_support.h"

namespace fixgate::admin::testing {

// Sends the server's log to a ring buffer for the duration of a test.
class LogCapture {
 public:
  LogCapture()
      : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(200)), previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("admin-test", sink_));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;

  [[nodiscard]] std::string text() const {
    std::string all;
    for (const auto& line : sink_->last_formatted()) all += line;
    return all;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

class AdminServerTest : public ::testing::Test {
 protected:
  static constexpr auto kWait = std::chrono::seconds(5);

  // Replies "ok" unless a test sets `reply`; records every command.
  AdminHandler recordingHandler() {
    return [this](const AdminCommand& c) {
      std::lock_guard lock(mutex_);
      received_.push_back(c);
      return reply_;
    };
  }

  void startServer(AdminServerOptions options = {}) {
    server_ = std::make_unique<AdminServer>(socket_, recordingHandler(), options);
    server_->start();
  }

  std::expected<std::string, ClientError> send(std::string_view line) {
    return sendAdminCommand(socket_, line, kWait);
  }

  std::vector<AdminCommand> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  void setReply(std::string reply) {
    std::lock_guard lock(mutex_);
    reply_ = std::move(reply);
  }

  LogCapture log_;
  TempDir dir_;
  std::filesystem::path socket_ = dir_.path() / "gateway" / "admin.sock";
  std::unique_ptr<AdminServer> server_;

 private:
  std::mutex mutex_;
  std::vector<AdminCommand> received_;
  std::string reply_ = "ok";
};

}  // namespace fixgate::admin::testing
