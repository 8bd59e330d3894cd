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
// [c2p] The response is stored in its own group commit after the handler's: a crash in
// between loses the record, and the retry then runs the request again, which the
// registry's writes make harmless (a repeated PUT is 200 with nothing changed; a repeated
// lifecycle call is refused by the state it left behind).

#include <chrono>
#include <mutex>
#include <set>
#include <string>

#include "http/middleware.hpp"
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

// 1..255 characters of printable ASCII (0x20..0x7E).
bool IsIdempotencyKey(std::string_view key);

// Hex SHA-256 of what makes two requests "the same": method, path, and body.
std::string RequestFingerprint(std::string_view method, std::string_view path,
                               std::string_view body);

}  // namespace c2p::api
