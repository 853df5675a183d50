// connection_watch_bench: the CPU one look of the connection watch costs (security::ConnectionWatch::scan),
// with this process holding N loopback connections on the watched port plus as many other descriptors, so
// the cost per open descriptor of a gateway can be read off. CPU time is what counts: the watch runs every
// 50 ms on its own thread.
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "security/connection_watch.h"

namespace {

struct Descriptors {
  std::vector<int> fds;
  std::uint16_t port = 0;
  explicit Descriptors(int connections) {
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener, 128) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    fds.push_back(listener);
    port = ntohs(address.sin_port);
    for (int i = 0; i < connections; ++i) {
      const int client = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (client < 0 || ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("cannot connect");
      fds.push_back(client);                                               // another port: looked at, skipped
      fds.push_back(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));  // watched
    }
  }
  ~Descriptors() {
    for (const int fd : fds) ::close(fd);
  }
};

void BM_Scan(benchmark::State& state) {
  const Descriptors descriptors(static_cast<int>(state.range(0)));
  fixgate::security::ConnectionWatch watch({descriptors.port}, {}, nullptr);
  for (auto _ : state) benchmark::DoNotOptimize(watch.scan(fixgate::security::ConnectionWatch::Clock::now()));
  state.counters["descriptors"] = static_cast<double>(descriptors.fds.size());
}
BENCHMARK(BM_Scan)->Arg(5)->Arg(25)->Arg(100)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
