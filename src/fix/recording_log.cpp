#include "fix/recording_log.h"

#include "ops/stage_timing.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace fixgate::fix {

std::string withSecretsMasked(std::string_view raw) {
  static constexpr std::string_view kSecretTags[] = {
      "\x01"
      "554=",
      "\x01"
      "925="};
  std::string out(raw);
  for (const std::string_view tag : kSecretTags) {
    for (std::size_t at = out.find(tag); at != std::string::npos; at = out.find(tag, at + 1)) {
      const std::size_t value = at + tag.size();
      const std::size_t end = out.find('\x01', value);
      out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
    }
  }
  return out;
}

namespace {

// One pass over the field starts (every message in and out goes through here): a field 554 (Password) or 925
// (NewPassword) anywhere in the message.
bool carriesSecret(std::string_view raw) {
  for (std::size_t at = raw.find('\x01'); at != std::string_view::npos; at = raw.find('\x01', at + 1)) {
    const std::string_view tag = raw.substr(at + 1, 4);
    if (tag == "554=" || tag == "925=") return true;
  }
  return false;
}

class RecordingLog : public FIX::Log {
 public:
  RecordingLog(const MessageRecorder& recorder, std::string session, FIX::LogFactory* also_factory,
               FIX::Log* also)
      : recorder_(recorder), session_(std::move(session)), also_factory_(also_factory), also_(also) {}
  ~RecordingLog() override {
    if (also_ != nullptr) also_factory_->destroy(also_);
  }
  // The journal is append-only: a session reset does not erase its history. The file log may.
  void clear() override {
    if (also_ != nullptr) also_->clear();
  }
  void backup() override {
    if (also_ != nullptr) also_->backup();
  }
  void onIncoming(const std::string& raw) override {
    if (carriesSecret(raw)) return record(true, withSecretsMasked(raw));
    record(true, raw);
  }
  // QuickFIX calls this just before it writes `raw` to the socket.
  void onOutgoing(const std::string& raw) override {
    if (carriesSecret(raw)) {
      record(false, withSecretsMasked(raw));
    } else {
      record(false, raw);
    }
    ops::markWriteStarting();
  }
  void onEvent(const std::string& text) override {
    spdlog::debug("FIX session {}: {}", session_, text);
    if (also_ != nullptr) also_->onEvent(text);
  }

 private:
  void record(bool incoming, const std::string& raw) {
    if (recorder_) recorder_(incoming, session_, raw);
    if (also_ != nullptr) incoming ? also_->onIncoming(raw) : also_->onOutgoing(raw);
  }

  const MessageRecorder& recorder_;
  std::string session_;
  FIX::LogFactory* also_factory_;
  FIX::Log* also_;
};

}  // namespace

RecordingLogFactory::RecordingLogFactory(MessageRecorder recorder, SessionNamer namer,
                                         std::unique_ptr<FIX::LogFactory> also)
    : recorder_(std::move(recorder)), namer_(std::move(namer)), also_(std::move(also)) {}

// QuickFIX owns what create() returns and hands it back to destroy().
FIX::Log* RecordingLogFactory::create() {
  return new RecordingLog(recorder_, "global", also_.get(), also_ ? also_->create() : nullptr);
}

FIX::Log* RecordingLogFactory::create(const FIX::SessionID& id) {
  return new RecordingLog(recorder_, namer_(id), also_.get(), also_ ? also_->create(id) : nullptr);
}

void RecordingLogFactory::destroy(FIX::Log* log) {
  delete log;
}

}  // namespace fixgate::fix
