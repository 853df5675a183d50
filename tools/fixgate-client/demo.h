// The scripted demo: one order's whole life (new, replace, status, cancel), a mass cancel and a reject,
// each step waiting a bounded time for the gateway's answer and printing every report received.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

#include "fix_client.h"

namespace fixgate::client {

struct DemoOptions {
  std::chrono::milliseconds step_timeout{5000};
  std::string symbol = "AAPL";
  std::string unknown_symbol = "NOPE";  // not in the gateway's instruments: step 6 expects a reject
  std::string id_prefix;  // ClOrdID prefix; must differ between runs (ClOrdIDs are unique per day)
};

// Returns the process exit code: 0 when every step got the answer it expected, 1 otherwise (after printing
// which step failed and why to `err`).
int runDemo(FixClient& client, const DemoOptions& options, std::ostream& out, std::ostream& err);

}  // namespace fixgate::client
