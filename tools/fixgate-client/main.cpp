// fixgate-client: connects one FIX session to the gateway and, with --demo, runs the scripted demo.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "demo.h"
#include "fix_client.h"
#include "fix_version.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;
void onSignal(int) {
  g_stop = 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"fixgate-client: a FIX 4.2 / 4.4 / 5.0SP2 client for the fixgate gateway"};
  fixgate::client::SessionConfig session{"FIX.4.4", "ACME44", "FIXGATE"};
  fixgate::client::ClientConfig config;
  bool demo = false;
  int logon_timeout_s = 10;
  int step_timeout_ms = 5000;
  std::string symbol = "AAPL";
  app.add_option("--host", config.host, "Gateway host")->capture_default_str();
  app.add_option("--port", config.port, "Gateway client port")->capture_default_str();
  app.add_option("--begin-string", session.begin_string, "FIX.4.2 | FIX.4.4 | FIXT.1.1 (FIX 5.0SP2)")
      ->check(CLI::IsMember({"FIX.4.2", "FIX.4.4", "FIXT.1.1"}))
      ->capture_default_str();
  app.add_option("--sender", session.sender_comp_id, "Our SenderCompID")->capture_default_str();
  app.add_option("--target", session.target_comp_id, "The gateway's CompID")->capture_default_str();
  app.add_option("--heartbeat", config.heartbeat_interval_s, "HeartBtInt, must match the gateway's")
      ->capture_default_str();
  app.add_option("--data-dir", config.data_dir,
                 "Directory for the sequence store and message log (default: in memory, no log)");
  app.add_option("--logon-timeout", logon_timeout_s, "Seconds to wait for logon")->capture_default_str();
  app.add_option("--step-timeout-ms", step_timeout_ms, "Demo: milliseconds to wait for each answer")
      ->capture_default_str();
  app.add_option("--symbol", symbol, "Demo: symbol to trade")->capture_default_str();
  app.add_flag("--demo", demo, "Run the scripted demo and exit (0 when every step got its answer)");
  app.add_option("--username", session.username,
                 "Username (553) for the Logon; the password (554) is read from the environment variable "
                 "FIXGATE_CLIENT_PASSWORD, never from the command line");
  app.add_option("--tls-ca", config.tls.ca_file,
                 "Connect over TLS and verify the gateway's certificate against this CA file (PEM)");
  auto* tls_cert = app.add_option("--tls-cert", config.tls.certificate_file,
                                  "Client certificate (PEM) for a gateway that asks for one (mutual TLS)");
  auto* tls_key =
      app.add_option("--tls-key", config.tls.private_key_file, "The client certificate's key (PEM)");
  tls_cert->needs("--tls-ca")->needs(tls_key);
  tls_key->needs(tls_cert);
  CLI11_PARSE(app, argc, argv);
  if (const char* password = std::getenv("FIXGATE_CLIENT_PASSWORD")) session.password = password;

  config.sessions = {session};
  try {
    fixgate::client::FixClient client(config);
    if (!client.waitLogon(std::chrono::seconds(logon_timeout_s))) {
      std::cerr << fmt::format("error: {} -> {} did not log on to {}:{} within {} s\n",
                               session.sender_comp_id, session.target_comp_id, config.host, config.port,
                               logon_timeout_s);
      return 1;
    }
    std::cout << fmt::format("logged on: {} {} -> {} at {}:{}\n", session.begin_string,
                             session.sender_comp_id, session.target_comp_id, config.host, config.port);
    if (demo) {
      fixgate::client::DemoOptions options;
      options.step_timeout = std::chrono::milliseconds(step_timeout_ms);
      options.symbol = symbol;
      // ClOrdIDs must be unique per session and day, across runs too: the run's start time makes them so.
      options.id_prefix = fmt::format("DEMO{}", std::time(nullptr));
      return fixgate::client::runDemo(client, options, std::cout, std::cerr);
    }
    // Without --demo: stay logged on until interrupted (handy for watching heartbeats and logs).
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
}
