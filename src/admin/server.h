// The gateway's local admin channel: a Unix domain socket (mode 0600, peers checked with SO_PEERCRED) on
// which operators send one command per line - halts, kill switch, breaker resets - and get a reply ended by
// a line holding a single dot. One thread serves one connection at a time: admin traffic is a trickle, and
// handling commands in order keeps "halt then resume" meaning what it says.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

#include <sys/types.h>

#include "admin/command.h"
#include "admin/peer.h"
#include "admin/unique_fd.h"

namespace fixgate::admin {

// Carries out one parsed command, on the admin thread, and returns the reply text. A reply that starts
// with "error:" tells fixgate-admin the command failed. Exceptions become "error: ..." replies.
using AdminHandler = std::function<std::string(const AdminCommand&)>;

// Every line an operator sent and what came of it, for the audit trail: called after the reply is
// composed, for refused lines too (then `command` is the line as sent).
struct CommandRecord {
  PeerCredentials peer;
  std::string operator_name;  // by= when given, else "uid:<n>"
  std::string command;        // canonical form, or the refused line
  bool done = false;          // false: refused (unparsable, or the reply starts with "error:")
  std::string reply;
};
using CommandRecorder = std::function<void(const CommandRecord&)>;

struct AdminServerOptions {
  std::size_t max_line_bytes = 4096;             // longer lines: error reply, connection dropped
  std::chrono::milliseconds idle_timeout{5000};  // silent this long: connection dropped
};

class AdminServer {
 public:
  AdminServer(std::filesystem::path socket_path, AdminHandler handler, AdminServerOptions options = {},
              CommandRecorder recorder = nullptr);
  ~AdminServer();  // stop()
  AdminServer(const AdminServer&) = delete;
  AdminServer& operator=(const AdminServer&) = delete;

  // Creates the parent directory, replaces a stale socket file, binds, restricts the file to mode 0600 and
  // starts the serving thread. Throws std::runtime_error naming the path and the cause when it cannot -
  // including when another live process already serves this path.
  void start();

  // Closes the socket, waits for the command in progress (if any), joins the thread and removes the socket
  // file. Safe to call twice, and without start(). Not from inside the handler: it would join its own thread.
  void stop() noexcept;

  [[nodiscard]] const std::filesystem::path& socketPath() const { return path_; }

 private:
  enum class Wait { Ready, TimedOut, Stopping };

  void run();
  void serve(int fd, const PeerCredentials& peer);
  std::string respond(std::string_view line, const PeerCredentials& peer);
  Wait waitFor(int fd, short events, std::chrono::milliseconds timeout) const;
  bool sendAll(int fd, std::string_view data) const;

  std::filesystem::path path_;
  AdminHandler handler_;
  AdminServerOptions options_;
  CommandRecorder recorder_;
  uid_t gateway_uid_;
  UniqueFd listen_fd_;
  UniqueFd wake_fd_;  // eventfd: stop() writes it to wake the thread out of poll()
  dev_t socket_dev_ = 0;
  ino_t socket_ino_ = 0;  // the file we created, so stop() never removes a successor's socket
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace fixgate::admin
