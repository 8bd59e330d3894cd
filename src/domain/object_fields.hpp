#pragma once
// Reads one JSON object of a request body into a DTO, member by member, with the API's
// rules (spec/api.md §1, §2): the value must be an object; every member must be one the
// DTO knows (no mass assignment); each member has its JSON type and passes its rule. Every
// refusal is kFieldInvalidFormat naming the member as a JSON pointer (RFC 6901).
//
// A DTO reader lists its members in wire order and asks Finish() once: after the first
// failure the other reads do nothing, so the error reported is the first in that order.
//
// `null` is a value of the wrong type, not an absent member [c2p]: a body says either
// nothing or something valid about a field.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "domain/field_rules.hpp"

namespace c2p::domain {

// Writing back: sets out[name] when `value` holds one.
void PutOptional(boost::json::object& out, std::string_view name,
                 const std::optional<std::string>& value);

// A JSON pointer token for `name`, escaped per RFC 6901 ("~" -> "~0", "/" -> "~1").
std::string PointerToken(std::string_view name);

class ObjectFields {
 public:
  // Refuses a value that is not an object (field `pointer`), or one with a member not in
  // `known`. The unknown member is named by its pointer when its name is a short plain
  // token (^[A-Za-z0-9_-]{1,64}$), otherwise the object's pointer is the field: an
  // arbitrary key could be long or carry personal data. `value` must outlive the reader.
  static core::Result<ObjectFields> Open(const boost::json::value& value, std::string pointer,
                                         std::span<const std::string_view> known);

  const std::string& pointer() const { return pointer_; }
  // pointer() + "/" + escaped member name.
  std::string PointerTo(std::string_view member) const;
  // The member's value, or nullptr when absent.
  const boost::json::value* Find(std::string_view member) const;

  // A required string member passing `rule`: "is required" when absent, "must be a
  // string" for another type, "must be <rule.requirement>" when the rule refuses it.
  void Read(std::string_view member, const TextRule& rule, std::string& out);
  // The same for an optional member; `out` stays nullopt when it is absent.
  void Read(std::string_view member, const TextRule& rule, std::optional<std::string>& out);

  // An optional string member naming an enumerator: `parse` maps the wire name, and
  // `requirement` completes "must be ..." when it does not know it.
  template <typename Enum>
  void ReadEnum(std::string_view member, std::optional<Enum> (*parse)(std::string_view),
                std::string_view requirement, std::optional<Enum>& out);

  // An optional nested object, read by `reader(value, pointer)` (a DTO reader).
  template <typename T, typename Reader>
  void ReadObject(std::string_view member, Reader reader, std::optional<T>& out);

  // Records a failure found by the caller (a rule across members); the first one stays.
  void Fail(core::Error error);

  // Ok when every read succeeded, else the first failure.
  core::Result<void> Finish();

 private:
  ObjectFields(const boost::json::object& object, std::string pointer)
      : object_(&object), pointer_(std::move(pointer)) {}

  // The member's string, nullptr when absent or after a failure (recorded here).
  const boost::json::string* FindString(std::string_view member);

  const boost::json::object* object_;
  std::string pointer_;
  std::optional<core::Error> error_;
};

template <typename Enum>
void ObjectFields::ReadEnum(std::string_view member, std::optional<Enum> (*parse)(std::string_view),
                            std::string_view requirement, std::optional<Enum>& out) {
  const auto* text = FindString(member);
  if (text == nullptr) return;
  out = parse(*text);
  if (!out) Fail(FieldError(PointerTo(member), std::string("must be ") + std::string(requirement)));
}

template <typename T, typename Reader>
void ObjectFields::ReadObject(std::string_view member, Reader reader, std::optional<T>& out) {
  if (error_) return;
  const auto* value = Find(member);
  if (value == nullptr) return;
  auto read = reader(*value, PointerTo(member));
  if (!read) {
    Fail(std::move(read.error()));
    return;
  }
  out = std::move(*read);
}

}  // namespace c2p::domain
