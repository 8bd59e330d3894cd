#include "http/router.hpp"

#include <map>
#include <stdexcept>

namespace c2p::http {

// A segment trie: literal children by exact text, at most one parameter child.
struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::string param_name;
  std::vector<const Route*> routes;  // routes ending here, one per method
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

namespace {

// Splits "/a/b/c" into {"a","b","c"}; returns false for paths that are not absolute,
// have empty segments ("//", trailing "/") or dot segments.
bool SplitPath(std::string_view path, std::vector<std::string_view>& out) {
  out.clear();
  if (path.empty() || path.front() != '/') return false;
  if (path == "/") return true;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    const std::size_t next = path.find('/', pos);
    const std::size_t end = next == std::string_view::npos ? path.size() : next;
    const std::string_view seg = path.substr(pos, end - pos);
    if (seg.empty() || seg == "." || seg == "..") return false;
    out.push_back(seg);
    if (next == std::string_view::npos) break;
    pos = next + 1;
  }
  return true;
}

bool IsParam(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

std::string AllowHeader(const std::vector<const Route*>& routes) {
  std::string allow;
  for (const Route* r : routes) {
    if (!allow.empty()) allow += ", ";
    const auto name = boost::beast::http::to_string(r->method);
    allow.append(name.data(), name.size());
  }
  return allow;
}

}  // namespace

const Route& Router::Add(Verb method, std::string_view path_template, Handler handler,
                         RouteOptions options) {
  std::vector<std::string_view> segments;
  if (!SplitPath(path_template, segments)) {
    throw std::logic_error("bad route template " + std::string(path_template));
  }
  Node* node = root_.get();
  for (std::string_view seg : segments) {
    if (IsParam(seg)) {
      const std::string name(seg.substr(1, seg.size() - 2));
      if (!node->param) {
        node->param = std::make_unique<Node>();
        node->param_name = name;
      } else if (node->param_name != name) {
        throw std::logic_error("conflicting parameter names in " + std::string(path_template));
      }
      node = node->param.get();
    } else {
      auto& child = node->literals[std::string(seg)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  for (const Route* r : node->routes) {
    if (r->method == method) {
      throw std::logic_error("duplicate route " + std::string(path_template));
    }
  }
  auto route = std::make_unique<Route>(Route{method, std::string(path_template), std::move(handler),
                                             std::move(options), routes_.size()});
  node->routes.push_back(route.get());
  routes_.push_back(std::move(route));
  return *routes_.back();
}

Match Router::Find(Verb method, std::string_view path) const {
  Match match;
  std::vector<std::string_view> segments;
  if (!SplitPath(path, segments)) return match;
  const Node* node = root_.get();
  // Params refer to the node that named them; names live as long as the router.
  for (std::string_view seg : segments) {
    if (auto it = node->literals.find(seg); it != node->literals.end()) {
      node = it->second.get();
    } else if (node->param) {
      match.params.emplace_back(node->param_name, std::string(seg));
      node = node->param.get();
    } else {
      match.params.clear();
      return match;
    }
  }
  if (node->routes.empty()) {
    match.params.clear();
    return match;
  }
  for (const Route* r : node->routes) {
    if (r->method == method) {
      match.kind = Match::Kind::kFound;
      match.route = r;
      return match;
    }
  }
  match.kind = Match::Kind::kMethodNotAllowed;
  match.allow = AllowHeader(node->routes);
  match.params.clear();
  return match;
}

}  // namespace c2p::http
