#include "tests/support/json_schema.hpp"

#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>

#include <boost/json/serialize.hpp>

namespace c2p::testing {

namespace json = boost::json;

namespace {

constexpr int kMaxDepth = 64;  // deeper means a $ref cycle that consumes nothing

const std::set<std::string, std::less<>>& KnownKeywords() {
  static const std::set<std::string, std::less<>> known = {
      "$ref",    "type",      "properties", "required",    "additionalProperties",
      "items",   "minItems",  "maxItems",   "enum",        "const",
      "pattern", "minLength", "maxLength",  "minimum",     "maximum",
      "oneOf",   "anyOf",     "allOf",      "description", "default",
      "format",  "examples",  "title"};
  return known;
}

std::string Where(const std::string& at) { return at.empty() ? "/" : at; }

// RFC 6901: '~' and '/' inside a member name.
std::string Escape(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// UTF-8 to code points (JSON Schema lengths count code points, and patterns see them).
std::optional<std::wstring> Decode(std::string_view text) {
  std::wstring out;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    int extra = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      cp = c;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + static_cast<std::size_t>(extra) >= text.size()) return std::nullopt;  // truncated
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((cc & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (cc & 0x3F);
    }
    out.push_back(static_cast<wchar_t>(cp));
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

// Patterns compiled once; e2e suites validate from several client threads.
std::shared_ptr<const std::wregex> Compiled(const std::string& pattern) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const std::wregex>, std::less<>> cache;
  const std::lock_guard lock(mu);
  auto& slot = cache[pattern];
  if (!slot) {
    auto wide = Decode(pattern);
    if (!wide) return nullptr;
    try {
      slot = std::make_shared<const std::wregex>(*wide, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return nullptr;
    }
  }
  return slot;
}

bool IsInteger(const json::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  return v.is_double() && std::isfinite(v.get_double()) &&
         std::floor(v.get_double()) == v.get_double();
}

bool HasType(const json::value& v, std::string_view type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") return IsInteger(v);
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_bool();
  if (type == "null") return v.is_null();
  return false;
}

std::optional<double> NumberOf(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

// Numbers compare by value whatever their JSON kind (1 and 1.0 are one value).
bool SameValue(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) return NumberOf(a) == NumberOf(b);
  return a == b;
}

std::optional<std::size_t> SizeOf(const json::value& v) {
  if (v.is_int64() && v.get_int64() >= 0) return static_cast<std::size_t>(v.get_int64());
  if (v.is_uint64()) return static_cast<std::size_t>(v.get_uint64());
  return std::nullopt;
}

}  // namespace

const json::value* JsonSchemaValidator::Resolve(std::string_view ref) const {
  if (ref.empty() || ref.front() != '#') return nullptr;
  ref.remove_prefix(1);
  if (ref.empty()) return &root_;
  boost::system::error_code ec;
  const json::value* found = root_.find_pointer(ref, ec);
  return ec ? nullptr : found;
}

std::optional<std::string> JsonSchemaValidator::Validate(const json::value& schema,
                                                         const json::value& instance) const {
  return Check(schema, instance, "", 0);
}

std::optional<std::string> JsonSchemaValidator::Check(const json::value& schema,
                                                      const json::value& instance,
                                                      const std::string& at, int depth) const {
  if (depth > kMaxDepth) return Where(at) + ": schema nesting too deep (a $ref cycle?)";
  if (schema.is_bool()) {
    if (schema.get_bool()) return std::nullopt;
    return Where(at) + ": not allowed here";
  }
  if (!schema.is_object()) return Where(at) + ": the schema is not an object";
  const json::object& s = schema.get_object();
  for (const auto& member : s) {
    if (KnownKeywords().count(member.key()) == 0) {
      return Where(at) + ": the schema uses an unsupported keyword '" + std::string(member.key()) +
             "'";
    }
  }

  if (const auto* ref = s.if_contains("$ref")) {
    if (!ref->is_string()) return Where(at) + ": $ref is not a string";
    const json::value* target = Resolve(ref->get_string());
    if (target == nullptr) {
      return Where(at) + ": unresolvable $ref " + std::string(ref->get_string());
    }
    if (auto bad = Check(*target, instance, at, depth + 1)) return bad;
  }

  if (const auto* type = s.if_contains("type")) {
    bool ok = false;
    std::string names;
    if (type->is_string()) {
      ok = HasType(instance, type->get_string());
      names = type->get_string();
    } else if (type->is_array()) {
      for (const auto& t : type->get_array()) {
        if (!t.is_string()) return Where(at) + ": a type name is not a string";
        ok = ok || HasType(instance, t.get_string());
        names += (names.empty() ? "" : "|") + std::string(t.get_string());
      }
    } else {
      return Where(at) + ": type is neither a string nor an array";
    }
    if (!ok) return Where(at) + ": not of type " + names;
  }

  if (const auto* values = s.if_contains("enum")) {
    if (!values->is_array()) return Where(at) + ": enum is not an array";
    bool found = false;
    for (const auto& v : values->get_array()) found = found || SameValue(v, instance);
    if (!found) return Where(at) + ": not one of the enum values";
  }
  if (const auto* value = s.if_contains("const")) {
    if (!SameValue(*value, instance)) return Where(at) + ": not the constant value";
  }

  if (instance.is_string()) {
    const auto text = Decode(instance.get_string());
    if (!text) return Where(at) + ": not valid UTF-8";
    if (const auto* min = s.if_contains("minLength")) {
      const auto n = SizeOf(*min);
      if (!n) return Where(at) + ": minLength is not a non-negative integer";
      if (text->size() < *n) return Where(at) + ": shorter than minLength " + std::to_string(*n);
    }
    if (const auto* max = s.if_contains("maxLength")) {
      const auto n = SizeOf(*max);
      if (!n) return Where(at) + ": maxLength is not a non-negative integer";
      if (text->size() > *n) return Where(at) + ": longer than maxLength " + std::to_string(*n);
    }
    if (const auto* pattern = s.if_contains("pattern")) {
      if (!pattern->is_string()) return Where(at) + ": pattern is not a string";
      const std::string p(pattern->get_string());
      const auto re = Compiled(p);
      if (!re) return Where(at) + ": the pattern " + p + " does not compile";
      if (!std::regex_search(*text, *re)) return Where(at) + ": does not match the pattern " + p;
    }
  }

  if (instance.is_number()) {
    const double n = *NumberOf(instance);
    if (const auto* min = s.if_contains("minimum")) {
      const auto bound = NumberOf(*min);
      if (!bound) return Where(at) + ": minimum is not a number";
      if (n < *bound) return Where(at) + ": below the minimum " + json::serialize(*min);
    }
    if (const auto* max = s.if_contains("maximum")) {
      const auto bound = NumberOf(*max);
      if (!bound) return Where(at) + ": maximum is not a number";
      if (n > *bound) return Where(at) + ": above the maximum " + json::serialize(*max);
    }
  }

  if (instance.is_object()) {
    if (auto bad = CheckObject(s, instance.get_object(), at, depth)) return bad;
  }
  if (instance.is_array()) {
    if (auto bad = CheckArray(s, instance.get_array(), at, depth)) return bad;
  }

  if (const auto* all = s.if_contains("allOf")) {
    if (!all->is_array()) return Where(at) + ": allOf is not an array";
    for (const auto& sub : all->get_array()) {
      if (auto bad = Check(sub, instance, at, depth + 1)) return bad;
    }
  }
  if (const auto* any = s.if_contains("anyOf")) {
    if (!any->is_array()) return Where(at) + ": anyOf is not an array";
    std::string reasons;
    bool ok = false;
    for (const auto& sub : any->get_array()) {
      auto bad = Check(sub, instance, at, depth + 1);
      if (!bad) {
        ok = true;
        break;
      }
      reasons += (reasons.empty() ? "" : "; ") + *bad;
    }
    if (!ok) return Where(at) + ": matches none of anyOf (" + reasons + ")";
  }
  if (const auto* one = s.if_contains("oneOf")) {
    if (!one->is_array()) return Where(at) + ": oneOf is not an array";
    std::string reasons;
    int matches = 0;
    for (const auto& sub : one->get_array()) {
      auto bad = Check(sub, instance, at, depth + 1);
      if (!bad) {
        ++matches;
      } else {
        reasons += (reasons.empty() ? "" : "; ") + *bad;
      }
    }
    if (matches == 0) return Where(at) + ": matches none of oneOf (" + reasons + ")";
    if (matches > 1) return Where(at) + ": matches more than one of oneOf";
  }
  return std::nullopt;
}

std::optional<std::string> JsonSchemaValidator::CheckObject(const json::object& s,
                                                            const json::object& instance,
                                                            const std::string& at,
                                                            int depth) const {
  const json::object* properties = nullptr;
  if (const auto* p = s.if_contains("properties")) {
    if (!p->is_object()) return Where(at) + ": properties is not an object";
    properties = &p->get_object();
  }
  if (const auto* required = s.if_contains("required")) {
    if (!required->is_array()) return Where(at) + ": required is not an array";
    for (const auto& name : required->get_array()) {
      if (!name.is_string()) return Where(at) + ": a required name is not a string";
      if (!instance.contains(name.get_string())) {
        return Where(at) + ": the required member '" + std::string(name.get_string()) +
               "' is missing";
      }
    }
  }
  const json::value* additional = s.if_contains("additionalProperties");
  for (const auto& member : instance) {
    const std::string child = at + "/" + Escape(member.key());
    const json::value* sub = properties ? properties->if_contains(member.key()) : nullptr;
    if (sub != nullptr) {
      if (auto bad = Check(*sub, member.value(), child, depth + 1)) return bad;
    } else if (additional != nullptr) {
      if (additional->is_bool() && !additional->get_bool()) {
        return child + ": a member the schema does not allow";
      }
      if (auto bad = Check(*additional, member.value(), child, depth + 1)) return bad;
    }
  }
  return std::nullopt;
}

std::optional<std::string> JsonSchemaValidator::CheckArray(const json::object& s,
                                                           const json::array& instance,
                                                           const std::string& at, int depth) const {
  if (const auto* min = s.if_contains("minItems")) {
    const auto n = SizeOf(*min);
    if (!n) return Where(at) + ": minItems is not a non-negative integer";
    if (instance.size() < *n) return Where(at) + ": fewer items than " + std::to_string(*n);
  }
  if (const auto* max = s.if_contains("maxItems")) {
    const auto n = SizeOf(*max);
    if (!n) return Where(at) + ": maxItems is not a non-negative integer";
    if (instance.size() > *n) return Where(at) + ": more items than " + std::to_string(*n);
  }
  if (const auto* items = s.if_contains("items")) {
    for (std::size_t i = 0; i < instance.size(); ++i) {
      if (auto bad = Check(*items, instance[i], at + "/" + std::to_string(i), depth + 1)) {
        return bad;
      }
    }
  }
  return std::nullopt;
}

}  // namespace c2p::testing
