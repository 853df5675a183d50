#include "ops/disk_usage.h"

#include <system_error>

namespace fixgate::ops {

DiskUsage diskUsage(const std::filesystem::path& data_dir, const std::filesystem::path& journal_dir) {
  DiskUsage usage;
  std::error_code error;
  for (std::filesystem::directory_iterator it(journal_dir, error), end; !error && it != end;
       it.increment(error)) {
    std::error_code size_error;
    if (!it->is_regular_file(size_error)) continue;
    const auto size = it->file_size(size_error);
    if (!size_error) usage.journal_bytes += size;
  }
  const auto space = std::filesystem::space(data_dir, error);
  if (!error) usage.available_bytes = space.available;
  return usage;
}

}  // namespace fixgate::ops
