// fixgate-admin: one operator command to a running gateway over its local admin socket.
// Exit codes are for scripts: 0 the gateway carried it out, 1 it refused or failed (the reply starts with
// "error:", or no reply came in time), 2 the gateway could not be reached (nothing was sent).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <string>
#include <vector>

#include "admin/client.h"
#include "admin/command.h"
#include "admin/command_line.h"

namespace {

constexpr int kDone = 0;
constexpr int kRefused = 1;
constexpr int kUnreachable = 2;

std::string footer() {
  return fmt::format(
      "\nCommands:\n{}"
      "\nValues with spaces are quoted for you: reason=\"fat finger\" in the shell arrives as one value.\n"
      "by= names the person giving the command; it goes into the audit trail.\n"
      "\nExit status: 0 done, 1 refused or failed (reply starts with \"error:\") or no reply in time,\n"
      "2 cannot reach the gateway (not running, wrong --socket, or not its user or root).\n"
      "\nExamples:\n"
      "  fixgate-admin status\n"
      "  fixgate-admin kill scope=account key=ACC1 by=alice reason=\"runaway algo\"\n"
      "  fixgate-admin resume scope=global by=alice\n",
      fixgate::admin::commandUsage());
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fixgate-admin: send an operator command to a running fixgate over its local admin socket"};
  app.footer(footer());
  std::string socket = "var/gateway/admin.sock";
  double timeout_s = 10.0;
  std::vector<std::string> words;
  app.add_option("-s,--socket", socket, "the gateway's admin socket (data_dir/admin.sock)")
      ->capture_default_str();
  app.add_option("--timeout", timeout_s, "seconds to wait for the reply")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("command", words, "the command, then its key=value arguments")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kDone : kRefused;
  }

  const auto line = fixgate::admin::joinWords(words);
  if (!line) {
    fmt::print(stderr, "fixgate-admin: {}\n", line.error());
    return kRefused;
  }
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(timeout_s * 1000.0));
  const auto reply = fixgate::admin::sendAdminCommand(socket, *line, timeout);
  if (!reply) {
    fmt::print(stderr, "fixgate-admin: {}\n", reply.error().message);
    return reply.error().kind == fixgate::admin::ClientFailure::CannotConnect ? kUnreachable : kRefused;
  }
  fmt::print("{}\n", *reply);
  return reply->starts_with("error:") ? kRefused : kDone;
}
