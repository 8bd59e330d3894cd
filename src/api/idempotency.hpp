#pragma once
// The Idempotency-Key header of spec/api.md §5.1 on every bearer POST/PUT:
//   - the same key with the same request (method, path, body) within 24 h replays the
//     first response (status, body, Location), marked "Idempotent-Replayed: true" [c2p];
//   - with a different request: 422 IDEMPOTENCY_KEY_REUSED;
//   - while the first is still being answered: 409 IDEMPOTENCY_KEY_IN_USE.
// Keys are per issuer. A key that breaks its rule (1..255 printable ASCII) is 400
// FIELD_INVALID_FORMAT, the message naming the header
// (no `field`: it is not a body member) [c2p]. Responses worth replaying are stored
// durably before they are sent; 5xx and 429 are not stored (retrying them must be
// possible), every other refusal is (it is the request's answer).
//
// The answer to a write is recorded in the write's own unit of work (WriteAnswered), so
// an acknowledged write and its replay record are durable together: a crash after the
// commit still replays, a crash before it left nothing to replay. An answer that wrote
// nothing else (a refusal) is recorded in a unit of its own. A key is claimed only once
// across nodes: when another request's answer is recorded first, this one's unit of work
// is undone and the recorded answer is replayed (or 422 for a different request).

#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <string>

#include "core/error.hpp"
#include "http/middleware.hpp"
#include "http/reply.hpp"
#include "store/store.hpp"

namespace c2p::api {

inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};

// Keys being answered right now, in this process.
class InFlightKeys {
 public:
  bool TryAdd(const std::string& key);
  void Remove(const std::string& key);

 private:
  std::mutex mu_;
  std::set<std::string> keys_;  // guarded by mu_
};

// Must run after the bearer middleware (it scopes keys by Request::principal()).
http::Middleware IdempotencyMiddleware(store::Store& store, InFlightKeys& in_flight);
// IdempotencyMiddleware on the bearer PUT and POST routes only: reads and open routes
// never carry it.
http::Layer IdempotencyLayer(store::Store& store, InFlightKeys& in_flight);

// The unit of work of a write route, with its answer: `unit` writes, then `answer` builds
// the reply from what the unit left. `answer` does no I/O: with an Idempotency-Key it runs
// inside the unit (on the store's writer) so that a replayable answer is recorded with
// the write. A failed unit's error is returned for the handler to answer; so is
// IDEMPOTENCY_KEY_IN_USE when another request recorded its answer to the key first (the
// unit is then undone, and the middleware replays that answer).
boost::asio::awaitable<core::Result<http::Reply>> WriteAnswered(
    store::Store& store, http::Request& request, const store::WriteWork& unit,
    const std::function<http::Reply()>& answer);

// 1..255 characters of printable ASCII (0x20..0x7E).
bool IsIdempotencyKey(std::string_view key);

// Hex SHA-256 of what makes two requests "the same": method, path, and body.
std::string RequestFingerprint(std::string_view method, std::string_view path,
                               std::string_view body);

}  // namespace c2p::api
