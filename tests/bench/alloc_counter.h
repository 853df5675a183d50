// Heap allocation counting for the benchmarks: every operator new while g_counting is set adds one to
// g_allocations (single-threaded use: set, run the measured call, clear, read).
#pragma once

#include <cstdint>

namespace fixgate::bench {
extern bool g_counting;
extern std::uint64_t g_allocations;
}  // namespace fixgate::bench
