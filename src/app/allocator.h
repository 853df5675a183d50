// Which allocator serves the gateway's malloc: logged at start, so a deployment can see that jemalloc is
// the one in use (a library linked before it could take malloc over).
#pragma once

#include <string>

namespace fixgate::app {

// "jemalloc <version> (...)" when the gateway is built with jemalloc and a malloc call is served by it;
// otherwise which allocator it is, or that it is not jemalloc, and why.
[[nodiscard]] std::string activeAllocator();

}  // namespace fixgate::app
