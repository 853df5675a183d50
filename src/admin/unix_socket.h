// Unix domain socket plumbing shared by the admin server and client.
#pragma once

#include <sys/un.h>

#include <expected>
#include <filesystem>
#include <string>

#include "admin/unique_fd.h"

namespace fixgate::admin {

// The address for a socket path; an error when the path does not fit sun_path (107 bytes on Linux).
std::expected<sockaddr_un, std::string> unixAddress(const std::filesystem::path& path);

// A non-blocking listening socket bound at `path`, the file restricted to mode 0600. Creates the parent
// directory and removes a stale socket file left by a run that did not stop cleanly. Throws
// std::runtime_error naming the path when it cannot, or when a live process still listens there.
UniqueFd listenOnUnixSocket(const std::filesystem::path& path);

}  // namespace fixgate::admin
