// The gateway's operations HTTP endpoint (civetweb): GET /metrics (Prometheus text), /health/live and
// /health/ready (JSON; 200 when live or ready, 503 when not). Read-only, so it has no authentication: bind
// it to loopback (the default) or a management network and let Prometheus scrape it there.
#pragma once

#include <functional>
#include <string>

#include "ops/health.h"

struct mg_context;

namespace fixgate::ops {

struct HttpRoutes {
  std::function<std::string()> metrics;    // the Prometheus exposition
  std::function<HealthReport()> health;    // readiness: everything
  std::function<HealthReport()> liveness;  // takes no lock
};

class OpsHttpServer {
 public:
  // `listen` is "address:port", e.g. "127.0.0.1:9464".
  OpsHttpServer(std::string listen, HttpRoutes routes);
  ~OpsHttpServer();  // stop()
  OpsHttpServer(const OpsHttpServer&) = delete;
  OpsHttpServer& operator=(const OpsHttpServer&) = delete;

  // Binds and starts serving on civetweb's threads. Throws std::runtime_error naming the address and the
  // cause (port in use, bad address) when it cannot.
  void start();
  void stop() noexcept;

  [[nodiscard]] const std::string& listenAddress() const { return listen_; }
  // Answers one request path; public so tests can reach the routing without a socket.
  struct Response {
    int status = 200;
    std::string content_type;
    std::string body;
  };
  [[nodiscard]] Response respond(std::string_view method, std::string_view path) const;

 private:
  std::string listen_;
  HttpRoutes routes_;
  mg_context* context_ = nullptr;
};

}  // namespace fixgate::ops
