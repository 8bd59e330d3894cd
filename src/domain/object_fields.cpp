#include "domain/object_fields.hpp"

#include <algorithm>

#include "core/ids.hpp"

namespace c2p::domain {

void PutOptional(boost::json::object& out, std::string_view name,
                 const std::optional<std::string>& value) {
  if (value) out[name] = *value;
}

std::string PointerToken(std::string_view name) {
  std::string token;
  token.reserve(name.size());
  for (char c : name) {
    if (c == '~') {
      token += "~0";
    } else if (c == '/') {
      token += "~1";
    } else {
      token += c;
    }
  }
  return token;
}

core::Result<ObjectFields> ObjectFields::Open(const boost::json::value& value, std::string pointer,
                                              std::span<const std::string_view> known) {
  const auto* object = value.if_object();
  if (object == nullptr) {
    if (pointer.empty()) {
      return core::Fail(core::ErrorCode::kFieldInvalidFormat, "the body must be a JSON object");
    }
    return tl::unexpected(FieldError(pointer, "must be a JSON object"));
  }
  for (const auto& member : *object) {
    const std::string_view key = member.key();
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    // A plain token needs no RFC 6901 escaping.
    if (core::IsIdToken(key, 1, 64)) pointer += "/" + std::string(key);
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "unknown member", std::move(pointer));
  }
  return ObjectFields(*object, std::move(pointer));
}

std::string ObjectFields::PointerTo(std::string_view member) const {
  return pointer_ + "/" + PointerToken(member);
}

const boost::json::value* ObjectFields::Find(std::string_view member) const {
  return object_->if_contains(member);
}

const boost::json::string* ObjectFields::FindString(std::string_view member) {
  if (error_) return nullptr;
  const auto* value = Find(member);
  if (value == nullptr) return nullptr;
  const auto* text = value->if_string();
  if (text == nullptr) Fail(FieldError(PointerTo(member), "must be a string"));
  return text;
}

void ObjectFields::Read(std::string_view member, const TextRule& rule,
                        std::optional<std::string>& out) {
  const auto* text = FindString(member);
  if (text == nullptr) return;
  if (auto ok = CheckText(rule, *text, PointerTo(member)); !ok) {
    Fail(std::move(ok.error()));
    return;
  }
  out.emplace(*text);
}

void ObjectFields::Read(std::string_view member, const TextRule& rule, std::string& out) {
  if (error_) return;
  std::optional<std::string> text;
  Read(member, rule, text);
  if (error_) return;
  if (!text) {
    Fail(FieldError(PointerTo(member), "is required"));
    return;
  }
  out = std::move(*text);
}

void ObjectFields::Fail(core::Error error) {
  if (!error_) error_ = std::move(error);
}

core::Result<void> ObjectFields::Finish() {
  if (error_) return tl::unexpected(std::move(*error_));
  return {};
}

}  // namespace c2p::domain
