// A QuickFIX LogFactory whose logs hand every message in and out, exactly as on the wire, to a recorder
// (the gateway journals them for the audit trail: MiFID II keeps every message of every session). Session
// events ("Logon received", "Disconnecting") go to the gateway's debug log. With `also` (QuickFIX's file log
// when message_log is on) every call is passed on to it as well. Passwords are masked in both.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "quickfix/quickfix.h"

namespace fixgate::fix {

using MessageRecorder = std::function<void(bool incoming, std::string_view session, std::string_view raw)>;
using SessionNamer = std::function<std::string(const FIX::SessionID&)>;

// `raw` with the values of Password (554) and NewPassword (925) replaced by "***": the journal, the audit
// store and the file log keep every message, never a password. (BodyLength and CheckSum then no longer
// match; the stored text is a record, not something to resend.)
[[nodiscard]] std::string withSecretsMasked(std::string_view raw);

class RecordingLogFactory : public FIX::LogFactory {
 public:
  RecordingLogFactory(MessageRecorder recorder, SessionNamer namer,
                      std::unique_ptr<FIX::LogFactory> also = nullptr);
  FIX::Log* create() override;
  FIX::Log* create(const FIX::SessionID& id) override;
  void destroy(FIX::Log* log) override;

 private:
  MessageRecorder recorder_;
  SessionNamer namer_;
  std::unique_ptr<FIX::LogFactory> also_;
};

}  // namespace fixgate::fix
