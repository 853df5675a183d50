// What the gateway journals. Every record is one of these types; its payload is the binary encoding in
// records/codec.h. Values are stored in the journal: never renumber, only add.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace fixgate::records {

enum class RecordType : std::uint16_t {
  RunStarted = 1,       // a gateway process started: instance, pid, configuration file
  Event = 2,            // an event applied to the core (replayed on start)
  Action = 3,           // an action the core emitted (never replayed: it already took effect)
  FixMessage = 4,       // a FIX message in or out of a client or venue session, as on the wire
  SecurityEvent = 5,    // a logon attempt on a client session and what the gateway decided
  OperatorCommand = 6,  // a command on the admin channel: who gave it, and what the gateway answered
};

[[nodiscard]] std::string_view toString(RecordType type);

enum class Direction : std::uint8_t { In, Out };

struct FixMessageRecord {
  Direction direction = Direction::In;
  std::string session;  // client session name, or "venue:<name>"
  std::string raw;      // the message as sent or received, SOH-delimited
};

struct SecurityEventRecord {
  // "logon": a logon attempt; "connection": a client connection the gateway closed
  // (security::ConnectionWatch)
  std::string kind;
  std::string session;   // client session name; "" for a connection closed before any logon
  std::string address;   // source address; "" when unknown
  std::string username;  // Username (553) as sent; "" when absent. Never the password.
  // logon: accepted | address-not-allowed | locked-out | bad-credentials | certificate-mismatch
  // connection: bytes-before-logon | logon-timeout | bytes-between-messages | pending-per-address
  std::string outcome;
  std::string detail;  // what the operator's log says
};

struct OperatorCommandRecord {
  std::string operator_name;  // by= of the command; for reads without by=, "uid:<n>" of the peer
  std::int64_t peer_uid = 0;  // as the kernel reports the admin socket's peer (SO_PEERCRED)
  std::int64_t peer_pid = 0;
  std::string command;  // the command in its canonical form
  std::string outcome;  // done | refused
  std::string reply;    // the gateway's answer (first lines)
};

struct RunStartedRecord {
  std::string instance_id;
  std::int64_t pid = 0;
  std::string config_file;
  std::uint64_t replayed_records = 0;  // journal records replayed before this run started trading
};

}  // namespace fixgate::records
