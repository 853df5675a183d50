#include "admin/unix_socket.h"

#include <sys/socket.h>
#include <sys/stat.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace fixgate::admin {
namespace {

[[noreturn]] void fail(const std::filesystem::path& path, std::string_view what, int err) {
  throw std::runtime_error(fmt::format("admin socket {}: {}: {}", path.string(), what,
                                       std::error_code(err, std::generic_category()).message()));
}

// True when a process accepts connections at the path: then the file is not stale, and replacing it would
// silently cut a running gateway off from its operators.
bool someoneListens(const sockaddr_un& addr) {
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  return probe.valid() && ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) == 0;
}

void removeStale(const std::filesystem::path& path, const sockaddr_un& addr) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return;
    fail(path, "cannot inspect the existing file", errno);
  }
  if (!S_ISSOCK(st.st_mode)) {
    throw std::runtime_error(fmt::format(
        "admin socket {}: the path exists and is not a socket; refusing to replace it", path.string()));
  }
  if (someoneListens(addr)) {
    throw std::runtime_error(fmt::format(
        "admin socket {}: another process is serving it (is another gateway running with the same data_dir?)",
        path.string()));
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    fail(path, "cannot remove the stale socket file", errno);
}

}  // namespace

std::expected<sockaddr_un, std::string> unixAddress(const std::filesystem::path& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  const std::string& s = path.native();
  if (s.empty()) return std::unexpected("the socket path is empty");
  if (s.size() >= sizeof(addr.sun_path)) {
    return std::unexpected(fmt::format("the socket path {} is {} bytes; Unix socket paths are limited to {}",
                                       s, s.size(), sizeof(addr.sun_path) - 1));
  }
  std::memcpy(addr.sun_path, s.c_str(), s.size() + 1);
  return addr;
}

UniqueFd listenOnUnixSocket(const std::filesystem::path& path) {
  const auto addr = unixAddress(path);
  if (!addr) throw std::runtime_error("admin socket: " + addr.error());
  if (path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec)
      fail(path, fmt::format("cannot create the directory {}", path.parent_path().string()), ec.value());
  }
  removeStale(path, *addr);

  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.valid()) fail(path, "cannot create a socket", errno);
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&*addr), sizeof(*addr)) != 0)
    fail(path, "cannot bind", errno);
  // Between bind and chmod the file has the umask's mode; the SO_PEERCRED check on every connection covers
  // that moment (changing the process-wide umask from one thread is not safe).
  if (::chmod(path.c_str(), S_IRUSR | S_IWUSR) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    fail(path, "cannot restrict the socket file to mode 0600", err);
  }
  if (::listen(fd.get(), 8) != 0) {
    const int err = errno;
    ::unlink(path.c_str());
    fail(path, "cannot listen", err);
  }
  return fd;
}

}  // namespace fixgate::admin
