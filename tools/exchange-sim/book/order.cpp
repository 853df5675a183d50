#include "book/order.h"

namespace fixgate::sim {

Price avgPx(const Order& o) {
  if (o.cumQty == 0) return Price{};
  Notional q = o.cumQty;
  Notional n = o.notional;
  Notional rounded = n >= 0 ? (2 * n + q) / (2 * q) : -((-2 * n + q) / (2 * q));
  return Price{static_cast<std::int64_t>(rounded)};
}

}  // namespace fixgate::sim
