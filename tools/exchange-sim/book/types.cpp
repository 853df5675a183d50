#include "book/types.h"

#include <limits>

namespace fixgate::sim {
namespace {

constexpr int kDecimals = 8;

struct Decimal {
  bool negative = false;
  std::int64_t whole = 0;
  std::int64_t fraction = 0;  // scaled to kDecimals digits
  int fractionDigits = 0;
};

std::optional<Decimal> parseDecimal(std::string_view text) {
  Decimal d;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    d.negative = true;
    ++i;
  }
  bool anyDigit = false;
  for (; i < text.size() && text[i] != '.'; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (d.whole > (std::numeric_limits<std::int64_t>::max() - (c - '0')) / 10) return std::nullopt;
    d.whole = d.whole * 10 + (c - '0');
    anyDigit = true;
  }
  if (i < text.size()) {
    ++i;  // '.'
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c < '0' || c > '9') return std::nullopt;
      anyDigit = true;
      if (d.fractionDigits == kDecimals) {
        if (c != '0') return std::nullopt;  // more precision than the book can hold: refuse, never round
        continue;
      }
      d.fraction = d.fraction * 10 + (c - '0');
      ++d.fractionDigits;
    }
  }
  if (!anyDigit) return std::nullopt;
  for (int k = d.fractionDigits; k < kDecimals; ++k) d.fraction *= 10;
  return d;
}

}  // namespace

std::optional<Price> parsePrice(std::string_view text) {
  auto d = parseDecimal(text);
  if (!d) return std::nullopt;
  if (d->whole > (std::numeric_limits<std::int64_t>::max() - d->fraction) / Price::kScale)
    return std::nullopt;
  std::int64_t units = d->whole * Price::kScale + d->fraction;
  return Price{d->negative ? -units : units};
}

std::optional<Qty> parseQty(std::string_view text) {
  auto d = parseDecimal(text);
  if (!d || d->fraction != 0) return std::nullopt;
  return d->negative ? -d->whole : d->whole;
}

std::string formatPrice(Price p) {
  // Work on the unsigned magnitude so INT64_MIN does not overflow on negation.
  bool negative = p.units < 0;
  std::uint64_t magnitude =
      negative ? std::uint64_t{0} - static_cast<std::uint64_t>(p.units) : static_cast<std::uint64_t>(p.units);
  std::uint64_t scale = static_cast<std::uint64_t>(Price::kScale);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  std::uint64_t fraction = magnitude % scale;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, static_cast<std::size_t>(kDecimals) - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += '.';
    out += digits;
  }
  return out;
}

std::string_view toString(Side s) {
  return s == Side::Buy ? "buy" : "sell";
}

std::string_view toString(OrdStatus s) {
  switch (s) {
    case OrdStatus::New:
      return "new";
    case OrdStatus::PartiallyFilled:
      return "partially filled";
    case OrdStatus::Filled:
      return "filled";
    case OrdStatus::Canceled:
      return "canceled";
    case OrdStatus::Rejected:
      return "rejected";
    case OrdStatus::Expired:
      return "expired";
  }
  return "?";
}

std::string_view toString(TimeInForce t) {
  switch (t) {
    case TimeInForce::Day:
      return "DAY";
    case TimeInForce::GoodTillCancel:
      return "GTC";
    case TimeInForce::ImmediateOrCancel:
      return "IOC";
    case TimeInForce::FillOrKill:
      return "FOK";
  }
  return "?";
}

}  // namespace fixgate::sim
