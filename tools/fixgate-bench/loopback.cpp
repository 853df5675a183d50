#include "loopback.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fixgate::bench {
namespace {

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {}
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  [[nodiscard]] int fd() const { return fd_; }

 private:
  int fd_;
};

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// A /proc/net/tcp{,6} line's local port when its state is LISTEN (0A).
bool listensOn(const std::string& line, std::uint16_t port) {
  std::istringstream fields(line);
  std::string slot, local, remote, state;
  if (!(fields >> slot >> local >> remote >> state) || state != "0A") return false;
  const auto colon = local.rfind(':');
  return colon != std::string::npos && std::stoul(local.substr(colon + 1), nullptr, 16) == port;
}

// Undoes "Transfer-Encoding: chunked".
std::string dechunk(const std::string& body) {
  std::string out;
  std::size_t pos = 0;
  while (pos < body.size()) {
    const auto line_end = body.find("\r\n", pos);
    if (line_end == std::string::npos) break;
    const std::size_t size = std::stoul(body.substr(pos, line_end - pos), nullptr, 16);
    if (size == 0) break;
    out += body.substr(line_end + 2, size);
    pos = line_end + 2 + size + 2;
  }
  return out;
}

}  // namespace

std::uint16_t freeLoopbackPort() {
  Socket socket;
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  if (socket.fd() < 0 || ::bind(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(socket.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error(std::string("cannot pick a free port: ") + std::strerror(errno));
  }
  return ntohs(address.sin_port);
}

bool isListening(std::uint16_t port) {
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    for (std::string line; std::getline(in, line);) {
      if (listensOn(line, port)) return true;
    }
  }
  return false;
}

std::optional<std::string> httpGet(std::uint16_t port, const std::string& path,
                                   std::chrono::milliseconds timeout) {
  Socket socket;
  if (socket.fd() < 0) return std::nullopt;
  timeval tv{};
  tv.tv_sec = timeout.count() / 1000;
  tv.tv_usec = (timeout.count() % 1000) * 1000;
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(socket.fd(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const sockaddr_in address = loopback(port);
  if (::connect(socket.fd(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
    return std::nullopt;
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(socket.fd(), request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    return std::nullopt;
  std::string response;
  char buffer[16384];
  // Bounded: a server that never closes runs into SO_RCVTIMEO; 64 MiB is far beyond any metrics page.
  while (response.size() < (64u << 20)) {
    const ssize_t n = ::recv(socket.fd(), buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
  }
  const auto header_end = response.find("\r\n\r\n");
  // "HTTP/1.x 200 ..."
  if (header_end == std::string::npos || !response.starts_with("HTTP/1.") ||
      response.compare(9, 3, "200") != 0)
    return std::nullopt;
  std::string headers = response.substr(0, header_end);
  for (char& c : headers) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string body = response.substr(header_end + 4);
  return headers.find("transfer-encoding: chunked") != std::string::npos ? dechunk(body) : body;
}

}  // namespace fixgate::bench
