// How much disk the gateway's data directory takes and has left, read at scrape time. The journal is never
// deleted (README, "What does not work yet"), so the free space under data_dir is what runs out first.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace fixgate::ops {

struct DiskUsage {
  std::uint64_t journal_bytes = 0;  // the journal directory's files (segments are preallocated: whole size)
  std::optional<std::uint64_t> available_bytes;  // free to an unprivileged writer; nullopt when unreadable
};

// Never throws: an unreadable directory counts as empty, an unreadable filesystem as unknown.
[[nodiscard]] DiskUsage diskUsage(const std::filesystem::path& data_dir,
                                  const std::filesystem::path& journal_dir);

}  // namespace fixgate::ops
