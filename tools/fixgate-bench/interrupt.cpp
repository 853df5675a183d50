#include "interrupt.h"

#include <atomic>
#include <csignal>

namespace fixgate::bench {
namespace {

std::atomic<bool> g_interrupted{false};

void onSignal(int) {
  g_interrupted.store(true);
}

}  // namespace

void installInterruptHandlers() {
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  std::signal(SIGHUP, onSignal);
}

bool interrupted() {
  return g_interrupted.load();
}

}  // namespace fixgate::bench
