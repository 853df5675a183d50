// Realistic journal records for the shipper's tests and benchmark: the mix a busy gateway writes (client FIX
// messages in and out, NewOrder events, risk decisions, venue orders, execution reports).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/actions.h"
#include "core/events.h"
#include "records/codec.h"
#include "records/record_types.h"

namespace fixgate::testing::shipper {

struct EncodedRecord {
  records::RecordType type;
  std::string payload;
  [[nodiscard]] std::span<const std::byte> bytes() const {
    return {reinterpret_cast<const std::byte*>(payload.data()), payload.size()};
  }
};

inline core::OrderTerms sampleTerms(std::uint64_t i) {
  core::OrderTerms t;
  t.account = fmt::format("ACC{}", i % 97);
  t.symbol = fmt::format("SYM{}", i % 500);
  t.security_id = fmt::format("FR00000{:05}", i % 500);
  t.security_id_source = '4';
  t.security_exchange = "XPAR";
  t.currency = "EUR";
  t.side = i % 3 == 0 ? core::Side::Sell : core::Side::Buy;
  t.ord_type = core::OrdType::Limit;
  t.quantity = static_cast<core::Qty>(100 + i % 900);
  t.price = core::Price{static_cast<std::int64_t>(10'125'000'000 + (i % 1000) * 1'000'000)};
  t.capacity = core::TradingCapacity::Agency;
  t.parties.client.id = fmt::format("CL{}", i % 1000);
  t.parties.investment_decision.id = "TRADER7";
  t.parties.execution_within_firm.id = "ALGO3";
  return t;
}

// Record number i of the mix (cycle of 6: FIX in, NewOrder, RiskDecision, VenueNewOrder, ExecReport, FIX
// out).
inline EncodedRecord mixRecord(std::uint64_t i) {
  EncodedRecord r{records::RecordType::Event, {}};
  const std::uint64_t order = i / 6;
  const std::string cl_ord_id = fmt::format("C{}", order);
  switch (i % 6) {
    case 0: {
      r.type = records::RecordType::FixMessage;
      const std::string raw = fmt::format(
          "8=FIX.4.4\x01"
          "9=180\x01"
          "35=D\x01"
          "34={}\x01"
          "49=ACME\x01"
          "56=FIXGATE\x01"
          "52=20300105-09:30:00.000123\x01"
          "11={}\x01"
          "1=ACC{}\x01"
          "55=SYM{}\x01"
          "54=1\x01"
          "38={}\x01"
          "40=2\x01"
          "44=101.25\x01"
          "59=0\x01"
          "10=123\x01",
          order + 1, cl_ord_id, order % 97, order % 500, 100 + order % 900);
      records::encodeFixMessage(records::Direction::In, "acme-fix44", raw, r.payload);
      break;
    }
    case 1: {
      core::Event e{0, core::NewOrder{0, cl_ord_id, sampleTerms(order)}};
      records::encodeEvent(e, r.payload);
      break;
    }
    case 2: {
      r.type = records::RecordType::Action;
      core::RiskDecision d;
      d.session = 0;
      d.cl_ord_id = cl_ord_id;
      d.account = fmt::format("ACC{}", order % 97);
      d.symbol = fmt::format("SYM{}", order % 500);
      d.limits_version = std::make_shared<const std::string>(std::string(64, 'a'));
      records::encodeAction(core::Action{d}, r.payload);
      break;
    }
    case 3: {
      r.type = records::RecordType::Action;
      core::VenueNewOrder v;
      v.venue = 0;
      v.venue_cl_ord_id = fmt::format("V{}", order);
      v.terms = sampleTerms(order);
      v.order_id = fmt::format("O{}", order);
      records::encodeAction(core::Action{v}, r.payload);
      break;
    }
    case 4: {
      r.type = records::RecordType::Action;
      core::ExecReport x;
      x.kind = core::ExecKind::New;
      x.status = core::OrdStatus::New;
      x.order_id = fmt::format("O{}", order);
      x.exec_id = fmt::format("E{}", order);
      x.cl_ord_id = cl_ord_id;
      x.account = fmt::format("ACC{}", order % 97);
      x.symbol = fmt::format("SYM{}", order % 500);
      x.order_qty = static_cast<core::Qty>(100 + order % 900);
      x.leaves_qty = x.order_qty;
      x.price = core::Price{10'125'000'000};
      records::encodeAction(core::Action{x}, r.payload);
      break;
    }
    default: {
      r.type = records::RecordType::FixMessage;
      const std::string raw = fmt::format(
          "8=FIX.4.4\x01"
          "9=200\x01"
          "35=8\x01"
          "34={}\x01"
          "49=FIXGATE\x01"
          "56=ACME\x01"
          "52=20300105-09:30:00.000456\x01"
          "37=O{}\x01"
          "17=E{}\x01"
          "11={}\x01"
          "150=0\x01"
          "39=0\x01"
          "55=SYM{}\x01"
          "54=1\x01"
          "38={}\x01"
          "151={}\x01"
          "14=0\x01"
          "6=0\x01"
          "10=045\x01",
          order + 1, order, order, cl_ord_id, order % 500, 100 + order % 900, 100 + order % 900);
      records::encodeFixMessage(records::Direction::Out, "acme-fix44", raw, r.payload);
      break;
    }
  }
  return r;
}

}  // namespace fixgate::testing::shipper
