#include "tests/support/openapi_contract.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <boost/json/parse.hpp>

#include "api/openapi_document.hpp"

namespace c2p::testing {

namespace json = boost::json;

namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    const std::size_t end = std::min(path.find('/', pos), path.size());
    out.push_back(path.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

bool IsParam(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The media type without parameters, lower-cased ("application/json").
std::string MediaType(std::string_view content_type) {
  const std::size_t semi = content_type.find(';');
  std::string_view type = content_type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return Lower(type);
}

constexpr const char* kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options"};

}  // namespace

OpenApiContract::OpenApiContract(std::string_view document)
    : document_([&] {
        boost::system::error_code ec;
        json::value v = json::parse(document, ec);
        if (ec || !v.is_object() || !v.as_object().contains("paths") ||
            !v.at("paths").is_object()) {
          throw std::invalid_argument("not an OpenAPI document with paths");
        }
        return v;
      }()),
      validator_(document_) {}

const OpenApiContract& OpenApiContract::Embedded() {
  static const OpenApiContract contract(api::OpenApiDocument());
  return contract;
}

std::string OpenApiContract::MatchPath(std::string_view path) const {
  const auto parts = Segments(path);
  std::string best;
  int best_literals = -1;
  for (const auto& item : document_.at("paths").get_object()) {
    const auto tmpl = Segments(item.key());
    if (tmpl.size() != parts.size()) continue;
    int literals = 0;
    bool ok = true;
    for (std::size_t i = 0; i < tmpl.size() && ok; ++i) {
      if (IsParam(tmpl[i])) continue;
      ok = tmpl[i] == parts[i];
      ++literals;
    }
    if (ok && literals > best_literals) {
      best = item.key();
      best_literals = literals;
    }
  }
  return best;
}

std::vector<std::pair<std::string, std::string>> OpenApiContract::Operations() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& item : document_.at("paths").get_object()) {
    if (!item.value().is_object()) continue;
    for (const char* m : kMethods) {
      if (item.value().as_object().contains(m)) out.emplace_back(Upper(m), item.key());
    }
  }
  return out;
}

const json::value* OpenApiContract::Deref(const json::value* v) const {
  for (int hops = 0; v != nullptr && hops < 8; ++hops) {
    const auto* o = v->if_object();
    if (o == nullptr) return v;
    const auto* ref = o->if_contains("$ref");
    if (ref == nullptr || !ref->is_string()) return v;
    v = validator_.Resolve(ref->get_string());
  }
  return v;
}

std::optional<std::string> OpenApiContract::CheckAgainst(const json::value& response_object,
                                                         const HttpResponse& response) const {
  const auto* resp = Deref(&response_object);
  if (resp == nullptr || !resp->is_object()) return "the response object does not resolve";
  if (const auto* headers = resp->as_object().if_contains("headers")) {
    for (const auto& h : headers->as_object()) {
      const auto* header = Deref(&h.value());
      if (header == nullptr || !header->is_object()) {
        return "header " + std::string(h.key()) + " does not resolve";
      }
      const auto* required = header->as_object().if_contains("required");
      const bool present = response.headers.count(Lower(h.key())) != 0;
      if (required != nullptr && required->is_bool() && required->get_bool() && !present) {
        return "the required header " + std::string(h.key()) + " is missing";
      }
      if (present) {
        if (const auto* schema = header->as_object().if_contains("schema")) {
          if (auto bad = validator_.Validate(*schema, json::value(response.header(Lower(h.key())))))
            return "header " + std::string(h.key()) + ": " + *bad;
        }
      }
    }
  }
  const auto* content = resp->as_object().if_contains("content");
  if (content == nullptr || content->as_object().empty()) {
    if (!response.body.empty()) return "a body where the document describes none";
    return std::nullopt;
  }
  const std::string type = MediaType(response.header("content-type"));
  const auto* media = content->as_object().if_contains(type);
  if (media == nullptr) return "Content-Type '" + type + "' is not documented";
  const auto* schema = media->as_object().if_contains("schema");
  if (schema == nullptr) return std::nullopt;
  if (type != "application/json") {
    // Only JSON bodies are validated; others are checked for their media type only.
    return std::nullopt;
  }
  boost::system::error_code ec;
  const json::value body = json::parse(response.body, ec);
  if (ec) return "the body is not JSON";
  if (auto bad = validator_.Validate(*schema, body)) return "body " + *bad;
  return std::nullopt;
}

std::optional<std::string> OpenApiContract::CheckRefusal(std::string_view component,
                                                         const HttpResponse& response) const {
  const auto* resp = validator_.Resolve("#/components/responses/" + std::string(component));
  if (resp == nullptr) return "components.responses." + std::string(component) + " is missing";
  return CheckAgainst(*resp, response);
}

std::optional<std::string> OpenApiContract::Check(std::string_view method, std::string_view target,
                                                  const HttpResponse& response) const {
  const std::string_view path = target.substr(0, target.find('?'));
  const std::string status = std::to_string(response.status);
  const std::string tmpl = MatchPath(path);
  const std::string route =
      std::string(method) + " " + (tmpl.empty() ? "(undocumented path)" : tmpl);
  const auto verdict = [&](std::optional<std::string> bad) -> std::optional<std::string> {
    if (!bad) return std::nullopt;
    return route + " -> " + status + ": " + *bad;
  };
  // What a request the router cannot hand to an operation may get: its own refusal, or
  // one of the HTTP-level refusals met before routing (docs/api-decisions.md).
  const auto refused = [&](int expected, std::string_view component,
                           std::string_view otherwise) -> std::optional<std::string> {
    if (response.status == expected) return verdict(CheckRefusal(component, response));
    if (response.status == 400) return verdict(CheckRefusal("BadRequest", response));
    if (response.status == 413) return verdict(CheckRefusal("PayloadTooLarge", response));
    if (response.status == 431) return verdict(CheckRefusal("HeaderTooLarge", response));
    return verdict(std::string(otherwise));
  };
  if (tmpl.empty()) {
    return refused(404, "NotFound", "a path the document does not name answered other than 404");
  }
  const auto* operation = document_.at("paths").at(tmpl).as_object().if_contains(Lower(method));
  if (operation == nullptr) {
    return refused(405, "MethodNotAllowed",
                   "a method the path does not document answered other than 405");
  }
  const json::value* documented = nullptr;
  if (const auto* responses = operation->as_object().if_contains("responses")) {
    const auto& r = responses->as_object();
    documented = r.if_contains(status);
    if (documented == nullptr) documented = r.if_contains(status.substr(0, 1) + "XX");
    if (documented == nullptr) documented = r.if_contains("default");
  }
  if (documented == nullptr) {
    // A header too large can answer any request, before any operation is chosen.
    if (response.status == 431) return verdict(CheckRefusal("HeaderTooLarge", response));
    return verdict("the status is not documented for this operation");
  }
  return verdict(CheckAgainst(*documented, response));
}

}  // namespace c2p::testing
