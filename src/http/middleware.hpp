#pragma once
// Middleware wraps route handlers. The chain is composed once per route when the server
// starts, so a request pays only for the layers its route needs.
//
// Order (outermost first): whatever the application adds (authentication, rate limits...),
// then Body (content type and strict JSON; only on routes that take a body), then the
// handler.
// Correlation ids, header/body limits, timeouts and the catching of exceptions (a bug:
// 500) are done by the connection loop itself, so they also cover 404/405/413 replies.

#include <functional>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/metrics.hpp"
#include "http/reply.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace c2p::http {

using Next = std::function<boost::asio::awaitable<Reply>(Request&)>;
using Middleware = std::function<boost::asio::awaitable<Reply>(Request&, const Next&)>;

// A check that either answers in the route's place (a refusal) or lets the request on
// (nullopt) without suspending. Cheaper than a Middleware: no coroutine frame per request.
using Guard = std::function<std::optional<Reply>(Request&)>;

// An application layer and the routes it wraps: a route it does not apply to is composed
// without it, so its requests pay nothing for it (not even a coroutine frame). Empty
// `applies`: every route. Exactly one of `middleware` and `guard` is set; guards run
// before every middleware, so a guard layer may not follow a middleware layer.
struct Layer {
  Middleware middleware;
  Guard guard;
  std::function<bool(const Route&)> applies;
};

// Composes `chain` (outermost first) around `handler`; an empty chain is the handler.
Handler Compose(const std::vector<Middleware>& chain, Handler handler);

Middleware BodyMiddleware();

// Parses a JSON body strictly (spec/api.md §1): 415 unless the content type is
// application/json, 400 INVALID_JSON for anything the strict parser refuses.
core::Result<boost::json::value> ParseJsonBody(const Request& request);

}  // namespace c2p::http
