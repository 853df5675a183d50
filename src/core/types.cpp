#include "core/types.h"

#include <charconv>
#include <limits>

namespace fixgate::core {
namespace {

// Splits "[-]digits[.digits]" into integer and fraction parts; rejects anything else.
struct DecimalParts {
  bool negative = false;
  std::string_view whole;
  std::string_view fraction;
};

std::optional<DecimalParts> splitDecimal(std::string_view text) {
  DecimalParts parts;
  if (!text.empty() && text.front() == '-') {  // FIX decimals have no '+' sign
    parts.negative = true;
    text.remove_prefix(1);
  }
  const auto dot = text.find('.');
  parts.whole = text.substr(0, dot);
  parts.fraction = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (parts.whole.empty() && parts.fraction.empty()) return std::nullopt;
  for (std::string_view piece : {parts.whole, parts.fraction}) {
    for (char c : piece) {
      if (c < '0' || c > '9') return std::nullopt;
    }
  }
  return parts;
}

std::optional<std::int64_t> parseDigits(std::string_view digits) {
  if (digits.empty()) return 0;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<Price> parsePrice(std::string_view text) {
  const auto parts = splitDecimal(text);
  if (!parts) return std::nullopt;
  std::string_view fraction = parts->fraction;
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  if (fraction.size() > 8) return std::nullopt;
  const auto whole = parseDigits(parts->whole);
  auto frac = parseDigits(fraction);
  if (!whole || !frac) return std::nullopt;
  for (std::size_t i = fraction.size(); i < 8; ++i) *frac *= 10;
  constexpr auto kMaxWhole = std::numeric_limits<std::int64_t>::max() / Price::kScale - 1;
  if (*whole > kMaxWhole) return std::nullopt;
  const std::int64_t units = *whole * Price::kScale + *frac;
  return Price{parts->negative ? -units : units};
}

std::optional<Qty> parseQty(std::string_view text) {
  const auto parts = splitDecimal(text);
  if (!parts) return std::nullopt;
  for (char c : parts->fraction) {
    if (c != '0') return std::nullopt;
  }
  const auto whole = parseDigits(parts->whole);
  if (!whole) return std::nullopt;
  return parts->negative ? -*whole : *whole;
}

std::string formatPrice(Price p) {
  const bool negative = p.units < 0;
  // Work in unsigned so the most negative value formats without overflow.
  const auto magnitude =
      negative ? 0 - static_cast<std::uint64_t>(p.units) : static_cast<std::uint64_t>(p.units);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / Price::kScale);
  auto frac = magnitude % Price::kScale;
  if (frac != 0) {
    char digits[9] = "00000000";
    for (int i = 7; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    int len = 8;
    while (len > 0 && digits[len - 1] == '0') --len;
    out += '.';
    out.append(digits, static_cast<std::size_t>(len));
  }
  return out;
}

bool isFinal(OrdStatus s) {
  switch (s) {
    case OrdStatus::Filled:
    case OrdStatus::Canceled:
    case OrdStatus::Replaced:
    case OrdStatus::Rejected:
    case OrdStatus::Expired:
    case OrdStatus::DoneForDay:
      return true;
    default:
      return false;
  }
}

bool sideIsBuy(Side s) {
  return s == Side::Buy;
}

std::string_view toString(OrdStatus s) {
  switch (s) {
    case OrdStatus::PendingNew:
      return "PendingNew";
    case OrdStatus::New:
      return "New";
    case OrdStatus::PartiallyFilled:
      return "PartiallyFilled";
    case OrdStatus::Filled:
      return "Filled";
    case OrdStatus::PendingCancel:
      return "PendingCancel";
    case OrdStatus::Canceled:
      return "Canceled";
    case OrdStatus::PendingReplace:
      return "PendingReplace";
    case OrdStatus::Replaced:
      return "Replaced";
    case OrdStatus::Rejected:
      return "Rejected";
    case OrdStatus::Expired:
      return "Expired";
    case OrdStatus::DoneForDay:
      return "DoneForDay";
  }
  return "?";
}

std::string_view toString(Side s) {
  switch (s) {
    case Side::Buy:
      return "buy";
    case Side::Sell:
      return "sell";
    case Side::SellShort:
      return "sell short";
  }
  return "?";
}

std::string_view toString(OrdType t) {
  switch (t) {
    case OrdType::Market:
      return "market";
    case OrdType::Limit:
      return "limit";
    case OrdType::Stop:
      return "stop";
    case OrdType::StopLimit:
      return "stop-limit";
  }
  return "?";
}

}  // namespace fixgate::core
