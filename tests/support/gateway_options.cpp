#include "gateway_options.h"

namespace fixgate::testing {

std::vector<VenueSpec> defaultVenues() {
  return {
      {"SIM-A", {"--fill-model", "rest"}, "", {}},
      {"SIM-B", {"--fill-model", "partial", "--partial-ratio", "0.5"}, "", {}},
  };
}

std::vector<ClientSessionSpec> defaultClientSessions() {
  return {
      {"FIX.4.2", "C42A"}, {"FIX.4.2", "C42B"},  {"FIX.4.4", "C44A"},
      {"FIX.4.4", "C44B"}, {"FIXT.1.1", "C50A"}, {"FIXT.1.1", "C50B"},
  };
}

std::vector<InstrumentSpec> defaultInstruments() {
  return {
      {"AAPL", "US0378331005", "XNAS", "USD", "0.01"},
      {"MSFT", "US5949181045", "XNAS", "USD", "0.01"},
      {"IBM", "US4592001014", "XNYS", "USD", "0.01"},
      {"VOD.L", "GB00BH4HKS39", "XLON", "GBP", "0.02"},
  };
}

}  // namespace fixgate::testing
