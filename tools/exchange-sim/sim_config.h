// Everything the command line decides, in one plain struct.
#pragma once

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "book/fill_model.h"
#include "book/types.h"
#include "faults.h"

namespace fixgate::sim {

struct SimConfig {
  int port = 0;
  std::string venue = "SIM";                          // our SenderCompID
  std::vector<std::string> clientCompIds{"FIXGATE"};  // the TargetCompIDs allowed to log on
  std::string dictionaryArg;                          // as given: "", "none" or a path (see settings.h)
  std::filesystem::path dataDir;                      // FileStore/FileLog root
  std::filesystem::path tlsCertificate;               // TLS acceptor when set (with tlsKey)
  std::filesystem::path tlsKey;
  std::filesystem::path tlsCa;  // mutual TLS: clients must present a certificate issued by this CA
  FillModelConfig fill;
  std::map<std::string, Price, std::less<>> referencePrices;
  std::set<std::string, std::less<>> rejectSymbols;
  int heartbeatInterval = 0;  // 0: accept what the client asks for
  int statusIntervalS = 10;   // 0: no status line
  FaultPlan faults;
};

}  // namespace fixgate::sim
