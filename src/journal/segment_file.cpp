#include "journal/segment_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace fixgate::journal {
namespace {

struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
  int release() noexcept { return std::exchange(fd, -1); }
};

}  // namespace

MappedSegment::MappedSegment(std::filesystem::path path, int fd, std::byte* base,
                             std::size_t mapped_bytes) noexcept
    : path_(std::move(path)), fd_(fd), base_(base), mapped_bytes_(mapped_bytes) {}

MappedSegment::~MappedSegment() {
  if (base_ != nullptr) ::munmap(base_, mapped_bytes_);
  if (fd_ >= 0) ::close(fd_);
}

std::expected<DirectoryListing, JournalError> listJournalDirectory(const std::filesystem::path& directory) {
  DirectoryListing listing;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(directory, ec)) {
    if (auto first = format::parseSegmentFileName(entry.path().filename().string())) {
      listing.segments.push_back({*first, entry.path()});
    } else {
      listing.other_files.push_back(entry.path());
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return std::unexpected(
        ioError("cannot list journal directory", directory, ec.value(), "Check permissions"));
  }
  std::ranges::sort(listing.segments, {}, &SegmentOnDisk::first_seq);
  return listing;
}

JournalError ioError(std::string_view what, const std::filesystem::path& path, int error_number,
                     std::string_view advice) {
  JournalError e;
  e.kind = JournalErrorKind::Io;
  e.file = path;
  e.system_errno = error_number;
  e.message = fmt::format("journal: {} {}: {} (errno {}). {}", what, path.string(),
                          std::strerror(error_number), error_number, advice);
  return e;
}

std::expected<std::unique_ptr<MappedSegment>, JournalError> createSegmentFile(
    const std::filesystem::path& path, std::size_t segment_bytes) {
  constexpr std::string_view kDiskAdvice =
      "Free disk space or raise the file size limit (ulimit -f), check the device, then restart the gateway";
  FdGuard fd{::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640)};
  if (fd.fd < 0) return std::unexpected(ioError("cannot create segment", path, errno, kDiskAdvice));
  const auto remove_file = [&path] { ::unlink(path.c_str()); };
  // posix_fallocate reports its error as the return value, not through errno.
  if (const int rc = ::posix_fallocate(fd.fd, 0, static_cast<off_t>(segment_bytes)); rc != 0) {
    remove_file();
    return std::unexpected(ioError(fmt::format("cannot preallocate {} bytes for segment", segment_bytes),
                                   path, rc, kDiskAdvice));
  }
  void* base = ::mmap(nullptr, segment_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd.fd, 0);
  if (base == MAP_FAILED) {
    const int error_number = errno;
    remove_file();
    return std::unexpected(
        ioError("cannot map segment", path, error_number, "Check vm.max_map_count and memory"));
  }
  auto segment =
      std::make_unique<MappedSegment>(path, fd.release(), static_cast<std::byte*>(base), segment_bytes);
  segment->header() = format::SegmentHeader{format::kSegmentMagic, format::kFormatVersion,
                                            format::kSegmentHeaderBytes, segment_bytes, 0};
  // The allocation itself must survive a machine crash, or a durable record could land in a hole.
  if (::fsync(segment->fd()) != 0) {
    const int error_number = errno;
    remove_file();
    return std::unexpected(ioError("cannot fsync new segment", path, error_number, kDiskAdvice));
  }
  return segment;
}

std::expected<std::unique_ptr<MappedSegment>, JournalError> mapSegmentFile(const std::filesystem::path& path,
                                                                           Access access) {
  const bool writable = access == Access::ReadWrite;
  FdGuard fd{::open(path.c_str(), (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC)};
  if (fd.fd < 0) {
    return std::unexpected(ioError("cannot open segment", path, errno, "Check the file and its permissions"));
  }
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) {
    return std::unexpected(ioError("cannot stat segment", path, errno, "Check the file system"));
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size == 0) return std::make_unique<MappedSegment>(path, fd.release(), nullptr, 0);
  void* base = ::mmap(nullptr, size, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd.fd, 0);
  if (base == MAP_FAILED) {
    return std::unexpected(ioError("cannot map segment", path, errno, "Check vm.max_map_count and memory"));
  }
  return std::make_unique<MappedSegment>(path, fd.release(), static_cast<std::byte*>(base), size);
}

}  // namespace fixgate::journal
