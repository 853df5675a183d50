#include "fix/recording_log.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace fixgate::fix {
namespace {

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
    recorder_(true, session_, raw);
    if (also_ != nullptr) also_->onIncoming(raw);
  }
  void onOutgoing(const std::string& raw) override {
    recorder_(false, session_, raw);
    if (also_ != nullptr) also_->onOutgoing(raw);
  }
  void onEvent(const std::string& text) override {
    spdlog::debug("FIX session {}: {}", session_, text);
    if (also_ != nullptr) also_->onEvent(text);
  }

 private:
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
