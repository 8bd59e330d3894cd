#include "api/service_routes.hpp"

#include "api/openapi_document.hpp"

namespace c2p::api {

namespace asio = boost::asio;
using http::Reply;
using http::Request;
using http::Status;
using http::Verb;

void AddServiceRoutes(http::Router& router, Readiness ready, core::metrics::Registry& metrics) {
  router.Add(Verb::get, "/healthz", [](Request&) -> asio::awaitable<Reply> {
    co_return http::Json(Status::ok, {{"status", "ok"}});
  });

  router.Add(Verb::get, "/readyz", [ready = std::move(ready)](Request&) -> asio::awaitable<Reply> {
    auto ok = co_await ready();
    if (!ok)
      co_return http::ErrorReply(core::Error::Make(core::ErrorCode::kUnavailable, "not ready"));
    co_return http::Json(Status::ok, {{"status", "ready"}});
  });

  router.Add(Verb::get, "/metrics", [&metrics](Request&) -> asio::awaitable<Reply> {
    co_return http::Text(Status::ok, metrics.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });

  // spec/api.md §6: public, like the other service endpoints (it describes the API, it
  // holds no data). Embedded at build time: the document of the binary that serves it.
  router.Add(Verb::get, "/openapi.json", [](Request&) -> asio::awaitable<Reply> {
    co_return http::Text(Status::ok, std::string(OpenApiDocument()), "application/json");
  });
}

}  // namespace c2p::api
