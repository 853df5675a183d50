// The generated gateway.yaml names what the fixture started: the picked ports, the venues' CompIDs, the
// routing rule and the instruments file.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateway_config_writer.h"
#include "temp_dir.h"

namespace fixgate::testing {
namespace {

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(GatewayConfigWriter, WritesPortsSessionsVenuesRoutingAndInstruments) {
  const auto dir = makeTempDir("fixgate-config-test");
  GatewayOptions options;
  options.venues = {{"SIM-A", {}, "", {"ack_timeout_new_ms: 250"}}, {"SIM-B", {}, "SIMB-COMP", {}}};
  const auto config =
      writeGatewayConfig(options, {dir, "/repo/fix_spec"}, 12345, {{"SIM-A", 20001}, {"SIM-B", 20002}});
  const std::string yaml = readFile(config);
  EXPECT_NE(yaml.find("listen_port: 12345\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("dictionary_dir: \"/repo/fix_spec\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("port: 20001\n    sender_comp_id: FIXGATE\n    target_comp_id: SIM-A\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("port: 20002\n    sender_comp_id: FIXGATE\n    target_comp_id: SIMB-COMP\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("begin_string: FIXT.1.1\n    sender_comp_id: FIXGATE\n    target_comp_id: C50B\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("- { symbol: \"VOD.L\", venue: SIM-B }"), std::string::npos) << yaml;
  const std::string instruments = readFile(dir / "instruments.yaml");
  for (const char* symbol : {"AAPL", "MSFT", "IBM", "VOD.L"}) {
    EXPECT_NE(instruments.find(std::string("symbol: \"") + symbol + "\""), std::string::npos) << instruments;
  }
  std::filesystem::remove_all(dir);
}

TEST(GatewayConfigWriter, RefusesAVenueWithoutAPort) {
  const auto dir = makeTempDir("fixgate-config-test");
  EXPECT_THROW(writeGatewayConfig(GatewayOptions{}, {dir, "/repo/fix_spec"}, 1, {{"SIM-A", 2}}),
               std::logic_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace fixgate::testing
