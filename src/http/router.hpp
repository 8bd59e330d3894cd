#pragma once
// Method + path-template routing. Templates are '/'-separated segments: literals
// ("cards", or D1's "operations:suspend" verbs) and parameters ("{cardId}"). Literal
// segments win over parameters. A path that matches no template is 404; a path that
// matches a template under another method is 405 with an Allow header (spec/api.md §2).

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/reply.hpp"
#include "http/request.hpp"

namespace c2p::http {

using Verb = boost::beast::http::verb;
using Handler = std::function<boost::asio::awaitable<Reply>(Request&)>;

inline constexpr std::size_t kDefaultBodyLimit = std::size_t{64} * 1024;

// What a route expects as its body; the server enforces it before the handler runs.
enum class BodyKind {
  kNone,  // any body is ignored (GET, DELETE)
  kJson,  // application/json, parsed strictly into Request::json()
  kForm,  // application/x-www-form-urlencoded or application/json (the token endpoint)
  kRaw,   // handed over as is
  kFile,  // streamed to a new file in RouteOptions::upload_dir (Request::body_file())
};

struct RouteOptions {
  BodyKind body = BodyKind::kNone;
  std::size_t body_limit = kDefaultBodyLimit;
  // The caller must present a bearer token (RFC 6750); the application's authentication
  // middleware enforces it and records the caller (Request::principal()).
  bool bearer = false;
  // kFile: where bodies are written, never held in memory; the file is removed after the
  // handler unless the handler moved it away.
  std::filesystem::path upload_dir{};
  // The whole body's read deadline; zero: the server's body_timeout.
  std::chrono::milliseconds body_timeout{0};
};

struct Route {
  Verb method;
  std::string path_template;  // also the metrics label
  Handler handler;
  RouteOptions options;
  std::size_t index = 0;  // position in the router, for per-route metrics
};

struct Match {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed } kind = Kind::kNotFound;
  const Route* route = nullptr;
  std::vector<std::pair<std::string_view, std::string>> params;
  std::string allow;  // "GET, PUT" for 405
};

class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Registers a route; throws std::logic_error on a malformed template or a duplicate
  // (method, template): both are programming errors caught at start-up.
  const Route& Add(Verb method, std::string_view path_template, Handler handler,
                   RouteOptions options = {});

  Match Find(Verb method, std::string_view path) const;

  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace c2p::http
