#pragma once
// Middleware wraps every route's handler. The chain is composed once per route when the
// server starts, so a request pays only for the layers themselves.
//
// Order (outermost first): Recover (a thrown exception is a bug: 500, logged with the
// correlation id), Observe (access log and per-route metrics), Body (content type and
// strict JSON), then whatever the application adds (auth, idempotency...), then the
// handler. Correlation ids, header/body limits and timeouts are enforced by the
// connection loop itself, before routing, so they also cover 404/405/413 replies.

#include <functional>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "core/metrics.hpp"
#include "http/reply.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

namespace c2p::http {

using Next = std::function<boost::asio::awaitable<Reply>(Request&)>;
using Middleware = std::function<boost::asio::awaitable<Reply>(Request&, const Next&)>;

// Composes `chain` (outermost first) around `handler`.
Handler Compose(const std::vector<Middleware>& chain, Handler handler);

Middleware RecoverMiddleware();
Middleware BodyMiddleware();

// Parses a JSON body strictly (spec/api.md §1): 415 unless the content type is
// application/json, 400 INVALID_JSON for anything the strict parser refuses.
core::Result<boost::json::value> ParseJsonBody(const Request& request);

}  // namespace c2p::http
