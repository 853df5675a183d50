// Ctrl-C and SIGTERM: the benchmark notes them and every wait gives up, so the run in progress stops its
// processes by PID and the benchmark exits.
#pragma once

namespace fixgate::bench {

void installInterruptHandlers();
[[nodiscard]] bool interrupted();

}  // namespace fixgate::bench
