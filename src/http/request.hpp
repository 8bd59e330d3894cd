#pragma once
// A parsed inbound request as handlers see it: method, path parameters, query, headers,
// body, and the per-request context middleware fills in (correlation id, route).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/value.hpp>

namespace c2p::http {

namespace beast_http = boost::beast::http;
using RawRequest = beast_http::request<beast_http::string_body>;

struct Route;

class Request {
 public:
  Request(RawRequest raw, std::string_view path, std::string_view query)
      : raw_(std::move(raw)), path_(path), query_(query) {}

  beast_http::verb method() const { return raw_.method(); }
  std::string_view path() const { return path_; }
  std::string_view query() const { return query_; }
  std::string_view body() const { return raw_.body(); }
  // A BodyKind::kFile route's body, on disk.
  const std::filesystem::path& body_file() const { return body_file_; }
  void set_body_file(std::filesystem::path p) { body_file_ = std::move(p); }
  std::string_view header(std::string_view name) const;
  std::string_view header(beast_http::field name) const;
  const RawRequest& raw() const { return raw_; }

  // Path parameter from the route template, e.g. "cardId"; empty if absent.
  std::string_view param(std::string_view name) const;
  // First value of a query parameter (percent-decoded), nullopt if absent.
  std::optional<std::string> query_param(std::string_view name) const;

  const std::string& correlation_id() const { return correlation_id_; }
  // The parsed body of a BodyKind::kJson route (null otherwise).
  const boost::json::value& json() const { return json_; }
  void set_json(boost::json::value v) { json_ = std::move(v); }
  const Route* route() const { return route_; }
  // With mutual TLS: the common name of the client certificate's subject, which c2p
  // requires to be the caller's issuerId (spec/api.md §3.2). Empty on plain TCP.
  std::string_view client_identity() const { return client_identity_; }
  void set_client_identity(std::string id) { client_identity_ = std::move(id); }
  // The authenticated caller (an issuerId) on a bearer route and when its credential
  // expires (unix seconds), set by the authentication middleware; empty / 0 elsewhere.
  const std::string& principal() const { return principal_; }
  std::int64_t principal_expires_at() const { return principal_expires_at_; }
  void set_principal(std::string id, std::int64_t expires_at) {
    principal_ = std::move(id);
    principal_expires_at_ = expires_at;
  }

  // A write's checked Idempotency-Key (spec/api.md §5.1), set by the middleware that
  // enforces it: the handler's unit of work records its answer under the key
  // (api::WriteAnswered) and says so, so that the middleware does not record it again.
  struct IdempotencyKey {
    std::string key;
    std::string fingerprint;  // of method, path and body
    std::int64_t at_ms = 0;   // when the request was received, unix ms
    bool answer_recorded = false;
  };
  IdempotencyKey* idempotency_key() { return idempotency_key_ ? &*idempotency_key_ : nullptr; }
  void set_idempotency_key(IdempotencyKey key) { idempotency_key_ = std::move(key); }

  // Filled by the server before middleware runs.
  void set_params(std::vector<std::pair<std::string_view, std::string>> params) {
    params_ = std::move(params);
  }
  void set_route(const Route* route) { route_ = route; }
  void set_correlation_id(std::string id) { correlation_id_ = std::move(id); }

 private:
  RawRequest raw_;
  std::string path_;
  std::string query_;
  std::vector<std::pair<std::string_view, std::string>> params_;
  std::string correlation_id_;
  std::string client_identity_;
  std::string principal_;
  std::int64_t principal_expires_at_ = 0;
  boost::json::value json_;
  std::filesystem::path body_file_;
  std::optional<IdempotencyKey> idempotency_key_;
  const Route* route_ = nullptr;
};

}  // namespace c2p::http
