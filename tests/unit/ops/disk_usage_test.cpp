// The data directory's disk usage as the metrics show it: the journal's files summed, the filesystem's free
// space, and what an unreadable path gives.
#include "ops/disk_usage.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "temp_dir.h"

namespace fixgate::ops {
namespace {

namespace fs = std::filesystem;

void writeBytes(const fs::path& path, std::size_t count) {
  std::ofstream out(path, std::ios::binary);
  out << std::string(count, 'x');
}

TEST(DiskUsage, SumsTheJournalsFilesAndReadsTheFreeSpace) {
  const fs::path data_dir = testing::makeTempDir("disk-usage");
  const fs::path journal = data_dir / "journal";
  fs::create_directories(journal / "nested");
  writeBytes(journal / "00000001.seg", 8192);
  writeBytes(journal / "00000002.seg", 100);
  writeBytes(journal / "nested" / "ignored", 5000);  // only the journal's own files
  writeBytes(data_dir / "outside-the-journal", 7000);

  const DiskUsage usage = diskUsage(data_dir, journal);
  EXPECT_EQ(usage.journal_bytes, 8292U);
  ASSERT_TRUE(usage.available_bytes.has_value());
  // Other processes write to the same filesystem meanwhile: the same figure within 256 MiB.
  const auto now_available = fs::space(data_dir).available;
  const auto difference = *usage.available_bytes > now_available ? *usage.available_bytes - now_available
                                                                 : now_available - *usage.available_bytes;
  EXPECT_LT(difference, 256U * 1024 * 1024) << *usage.available_bytes << " vs " << now_available;
  fs::remove_all(data_dir);
}

TEST(DiskUsage, AMissingDirectoryIsEmptyAndItsFilesystemUnknown) {
  const fs::path gone = testing::makeTempDir("disk-usage-gone");
  fs::remove_all(gone);
  const DiskUsage usage = diskUsage(gone, gone / "journal");
  EXPECT_EQ(usage.journal_bytes, 0U);
  EXPECT_FALSE(usage.available_bytes.has_value());
}

}  // namespace
}  // namespace fixgate::ops
