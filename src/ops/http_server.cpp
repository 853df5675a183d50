#include "ops/http_server.h"

#include <civetweb.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <array>
#include <stdexcept>

namespace fixgate::ops {

namespace {

std::string_view reasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

int handleRequest(mg_connection* connection, void* data) {
  const auto& server = *static_cast<const OpsHttpServer*>(data);
  const mg_request_info* request = mg_get_request_info(connection);
  const auto response = server.respond(request->request_method != nullptr ? request->request_method : "",
                                       request->local_uri != nullptr ? request->local_uri : "");
  const auto head = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n"
      "Connection: close\r\n\r\n",
      response.status, reasonPhrase(response.status), response.content_type, response.body.size());
  mg_write(connection, head.data(), head.size());
  if (std::string_view(request->request_method != nullptr ? request->request_method : "") != "HEAD") {
    mg_write(connection, response.body.data(), response.body.size());
  }
  return response.status;
}

}  // namespace

OpsHttpServer::OpsHttpServer(std::string listen, HttpRoutes routes)
    : listen_(std::move(listen)), routes_(std::move(routes)) {}

OpsHttpServer::~OpsHttpServer() {
  stop();
}

OpsHttpServer::Response OpsHttpServer::respond(std::string_view method, std::string_view path) const {
  constexpr std::string_view kText = "text/plain; charset=utf-8";
  if (method != "GET" && method != "HEAD") {
    return {405, std::string(kText), "only GET and HEAD are served here\n"};
  }
  try {
    if (path == "/metrics") return {200, "text/plain; version=0.0.4; charset=utf-8", routes_.metrics()};
    if (path == "/health/live" || path == "/health/ready") {
      const bool live_only = path == "/health/live";
      const auto report = live_only ? routes_.liveness() : routes_.health();
      const bool ok = live_only ? report.live : report.ready;
      return {ok ? 200 : 503, "application/json", toJson(report)};
    }
  } catch (const std::exception& e) {
    // A scrape must not take the gateway down; the failure is the answer, and it is logged.
    spdlog::error("ops HTTP {} failed: {}", path, e.what());
    return {500, std::string(kText), fmt::format("{} failed: {}\n", path, e.what())};
  }
  return {404, std::string(kText), "not found; served here: /metrics, /health/live, /health/ready\n"};
}

void OpsHttpServer::start() {
  if (context_ != nullptr) return;
  const std::array<const char*, 9> options = {"listening_ports",
                                              listen_.c_str(),
                                              "num_threads",
                                              "2",
                                              "request_timeout_ms",
                                              "5000",
                                              "enable_keep_alive",
                                              "no",
                                              nullptr};
  mg_callbacks callbacks{};
  mg_init_data init{&callbacks, this, const_cast<const char**>(options.data())};
  std::array<char, 256> error_text{};
  unsigned error_code = 0;
  mg_error_data error{&error_code, error_text.data(), error_text.size()};
  context_ = mg_start2(&init, &error);
  if (context_ == nullptr) {
    throw std::runtime_error(fmt::format(
        "cannot serve metrics and health on {} (ops.http_listen): {}; pick a free address:port, or set "
        "ops.http_listen to \"\" to turn the endpoint off",
        listen_, error_text.data()));
  }
  for (const char* path : {"/metrics", "/health/live", "/health/ready"}) {
    mg_set_request_handler(context_, path, &handleRequest, this);
  }
  mg_set_request_handler(context_, "/", &handleRequest, this);
}

void OpsHttpServer::stop() noexcept {
  if (context_ == nullptr) return;
  mg_stop(context_);
  context_ = nullptr;
}

}  // namespace fixgate::ops
