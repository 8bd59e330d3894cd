#include "api/idempotency.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "api/registry_views.hpp"
#include "core/time_format.hpp"
#include "jose/evp_util.hpp"
#include "log/log.hpp"

namespace c2p::api {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

constexpr std::string_view kHeader = "Idempotency-Key";

bool Replayable(http::Status status) {
  const auto code = static_cast<unsigned>(status);
  return code < 500 && code != 429;
}

std::string HeadersJson(const Reply& reply) {
  json::array out;
  for (const auto& [name, value] : reply.headers) {
    // Only what describes the result; Retry-After and the like belong to the moment.
    if (name == "Location") out.push_back(json::array{name, value});
  }
  return json::serialize(out);
}

Reply Replay(const store::IdempotencyRecord& record) {
  Reply reply;
  reply.status = static_cast<http::Status>(record.status);
  reply.body = record.body;
  boost::system::error_code ec;
  auto headers = json::parse(record.headers_json, ec);
  if (!ec && headers.is_array()) {
    for (const auto& h : headers.as_array()) {
      const auto& pair = h.as_array();
      reply.WithHeader(std::string(pair.at(0).as_string()), std::string(pair.at(1).as_string()));
    }
  }
  reply.WithHeader("Idempotent-Replayed", "true");
  return reply;
}

// A 200 or 201 with a different request is refused: the key belongs to the first.
Reply AnswerFromRecord(const store::IdempotencyRecord& record, std::string_view fingerprint) {
  if (record.request_hash != fingerprint) {
    return http::ErrorReply(
        core::Error::Make(core::ErrorCode::kIdempotencyKeyReused,
                          "this Idempotency-Key was used with a different request"));
  }
  return Replay(record);
}

std::int64_t LifetimeMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(kIdempotencyKeyLifetime).count();
}

// A record made before this, for a request received at `at_ms`, has outlived its key.
std::int64_t ReplacesBefore(std::int64_t at_ms) { return at_ms - LifetimeMillis() + 1; }

store::IdempotencyRecord RecordOf(const std::string& issuer, const Request::IdempotencyKey& key,
                                  const Reply& reply) {
  return {issuer,     key.key,  key.fingerprint, static_cast<int>(reply.status), HeadersJson(reply),
          reply.body, key.at_ms};
}

core::Error KeyTakenMeanwhile() {
  return core::Error::Make(core::ErrorCode::kIdempotencyKeyInUse,
                           "another request with this Idempotency-Key was answered first");
}

// Removes the in-flight mark however the handler ends.
struct InFlightGuard {
  InFlightKeys& keys;
  std::string key;
  ~InFlightGuard() { keys.Remove(key); }
};

}  // namespace

bool InFlightKeys::TryAdd(const std::string& key) {
  std::lock_guard lock(mu_);
  return keys_.insert(key).second;
}

void InFlightKeys::Remove(const std::string& key) {
  std::lock_guard lock(mu_);
  keys_.erase(key);
}

bool IsIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (const char c : key) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string RequestFingerprint(std::string_view method, std::string_view path,
                               std::string_view body) {
  std::string text;
  text.reserve(method.size() + path.size() + body.size() + 2);
  text.append(method).append("\n").append(path).append("\n").append(body);
  const auto digest =
      jose::detail::Sha256Of({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(digest.size() * 2);
  for (const auto b : digest) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 0xf]);
  }
  return hex;
}

http::Middleware IdempotencyMiddleware(store::Store& store, InFlightKeys& in_flight) {
  return [&store, &in_flight](Request& request, const http::Next& next) -> asio::awaitable<Reply> {
    const auto method = request.method();
    const bool write = method == http::Verb::put || method == http::Verb::post;
    const std::string_view key = request.header(kHeader);
    if (!write || key.empty() || request.principal().empty()) co_return co_await next(request);
    if (!IsIdempotencyKey(key)) {
      co_return http::ErrorReply(
          core::Error::Make(core::ErrorCode::kFieldInvalidFormat,
                            "Idempotency-Key must be 1..255 printable ASCII characters"));
    }
    const std::string& issuer = request.principal();
    // Issuer ids are fixed-length, so issuer + key cannot collide across issuers.
    InFlightGuard guard{in_flight, issuer + std::string(key)};
    if (!in_flight.TryAdd(guard.key)) {
      guard.key.clear();  // not ours to remove
      co_return http::ErrorReply(core::Error::Make(core::ErrorCode::kIdempotencyKeyInUse,
                                                   "a request with this Idempotency-Key is "
                                                   "still being processed"));
    }
    const std::string fingerprint =
        RequestFingerprint(request.raw().method_string(), request.path(), request.body());
    auto existing = co_await store.GetIdempotency(issuer, key);
    if (!existing) co_return http::ErrorReply(existing.error());
    const std::int64_t now = core::UnixMillisNow();
    if (*existing && (*existing)->created_ms >= ReplacesBefore(now)) {
      co_return AnswerFromRecord(**existing, fingerprint);
    }
    request.set_idempotency_key({std::string(key), fingerprint, now});
    Reply reply = co_await next(request);
    if (request.idempotency_key()->answer_recorded || !Replayable(reply.status)) co_return reply;
    // The handler wrote nothing with its answer (a refusal, or a route without a unit of
    // work of its own): record the answer alone.
    const store::IdempotencyRecord record = RecordOf(issuer, *request.idempotency_key(), reply);
    bool claimed = false;
    auto saved = co_await store.Write([&](store::WriteTx& tx) -> core::Result<void> {
      auto c = tx.ClaimIdempotency(record, ReplacesBefore(now));
      if (!c) return tl::unexpected(c.error());
      claimed = *c;
      return {};
    });
    if (!saved) {
      // The answer wrote nothing else (a refusal), so nothing is lost, but a key must not
      // hand out an answer it cannot reproduce: 503, and the retry decides afresh.
      log::Error("idempotency.record_failed",
                 {{"correlation_id", request.correlation_id()}, {"error", saved.error().message}});
      co_return http::ErrorReply(saved.error());
    }
    if (claimed) co_return reply;
    // Another request with this key (on another node) was answered first: its answer is
    // the key's, and this request's own work was undone (WriteAnswered) or was a refusal.
    auto first = co_await store.GetIdempotency(issuer, key);
    if (!first) co_return http::ErrorReply(first.error());
    if (!*first) co_return http::ErrorReply(KeyTakenMeanwhile());
    co_return AnswerFromRecord(**first, fingerprint);
  };
}

asio::awaitable<core::Result<Reply>> WriteAnswered(store::Store& store, Request& request,
                                                   const store::WriteWork& unit,
                                                   const std::function<Reply()>& answer) {
  Request::IdempotencyKey* key = request.idempotency_key();
  Reply reply;
  bool recorded = false;
  auto written = co_await store.Write([&](store::WriteTx& tx) -> core::Result<void> {
    recorded = false;  // set only by the run of the unit that commits
    if (auto done = unit(tx); !done) return done;
    if (key == nullptr) return {};
    reply = answer();
    if (!Replayable(reply.status)) return {};
    auto claimed =
        tx.ClaimIdempotency(RecordOf(request.principal(), *key, reply), ReplacesBefore(key->at_ms));
    if (!claimed) return tl::unexpected(claimed.error());
    if (!*claimed) return tl::unexpected(KeyTakenMeanwhile());
    recorded = true;
    return {};
  });
  if (!written) co_return tl::unexpected(written.error());
  if (key == nullptr) {
    reply = answer();
  } else {
    key->answer_recorded = recorded;
  }
  co_return reply;
}

http::Layer IdempotencyLayer(store::Store& store, InFlightKeys& in_flight) {
  return {.middleware = IdempotencyMiddleware(store, in_flight),
          .guard = {},
          .applies = [](const http::Route& route) {
            // A batch upload (a file body) is not replayed by key: its own (batchId,
            // seqNumber) makes it once-only (DUPLICATE_FILE).
            return route.options.bearer && route.options.body != http::BodyKind::kFile &&
                   (route.method == http::Verb::put || route.method == http::Verb::post);
          }};
}

}  // namespace c2p::api
