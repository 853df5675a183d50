#include "request_table.h"

#include <charconv>

namespace fixgate::load {

const char* toString(RequestKind kind) {
  switch (kind) {
    case RequestKind::New:
      return "new";
    case RequestKind::Cancel:
      return "cancel";
    case RequestKind::Replace:
      return "replace";
  }
  return "?";
}

RequestTable::RequestTable(std::string run_tag, std::size_t capacity)
    : run_tag_(std::move(run_tag)),
      capacity_(capacity),
      requests_(std::make_unique<RequestSlot[]>(capacity)),
      orders_(std::make_unique<OrderSlot[]>(capacity)) {}

std::string RequestTable::clOrdId(std::size_t request_index) const {
  return run_tag_ + '-' + std::to_string(request_index);
}

std::optional<std::size_t> RequestTable::requestOf(std::string_view cl_ord_id) const {
  if (cl_ord_id.size() <= run_tag_.size() + 1 || !cl_ord_id.starts_with(run_tag_) ||
      cl_ord_id[run_tag_.size()] != '-') {
    return std::nullopt;
  }
  const std::string_view digits = cl_ord_id.substr(run_tag_.size() + 1);
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
  if (error != std::errc() || end != digits.data() + digits.size() || index >= capacity_) return std::nullopt;
  return index;
}

}  // namespace fixgate::load
