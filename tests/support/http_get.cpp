#include "http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace fixgate::testing {

std::expected<HttpAnswer, std::string> httpGet(std::uint16_t port, const std::string& path,
                                               std::chrono::milliseconds timeout) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::unexpected(std::string("socket: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { close(fd); }
  } closer{fd};
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return std::unexpected("connect to 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno));
  }
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    return std::unexpected(std::string("send: ") + std::strerror(errno));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string raw;
  char chunk[8192];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::unexpected("no complete answer from " + path + " within the timeout");
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n < 0) return std::unexpected(std::string("recv: ") + std::strerror(errno));
    if (n == 0) break;
    raw.append(chunk, static_cast<std::size_t>(n));
  }
  const auto end_of_headers = raw.find("\r\n\r\n");
  if (end_of_headers == std::string::npos || raw.compare(0, 5, "HTTP/") != 0) {
    return std::unexpected("not an HTTP answer: " + raw.substr(0, 200));
  }
  HttpAnswer answer;
  answer.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  answer.headers = raw.substr(0, end_of_headers);
  answer.body = raw.substr(end_of_headers + 4);
  return answer;
}

std::optional<double> metricValue(const std::string& exposition, const std::string& metric,
                                  const std::vector<std::string>& labels) {
  std::istringstream lines(exposition);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto name_end = line.find_first_of("{ ");
    if (line.compare(0, name_end, metric) != 0 || name_end != metric.size()) continue;
    const auto value_start = line.rfind(' ');
    const std::string label_part = line.substr(name_end, value_start - name_end);
    bool all = true;
    for (const auto& label : labels) all = all && label_part.find(label) != std::string::npos;
    if (all) return std::strtod(line.c_str() + value_start + 1, nullptr);
  }
  return std::nullopt;
}

}  // namespace fixgate::testing
