#include "quickfix/send.h"

namespace fixgate::quickfix {

SendResult sendOrDisconnect(FIX::Session& session, FIX::Message& message) {
  const bool was_logged_on = session.isLoggedOn();
  if (session.send(message)) return SendResult::Sent;
  if (!was_logged_on || !session.isLoggedOn()) return SendResult::NotLoggedOn;
  session.disconnect();
  return SendResult::PeerNotReading;
}

}  // namespace fixgate::quickfix
