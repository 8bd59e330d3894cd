#pragma once
// A small JSON Schema (2020-12) validator for the subset api/openapi.json uses: type,
// properties, required, additionalProperties, items, minItems/maxItems, enum, const,
// pattern, minLength/maxLength, minimum/maximum, oneOf/anyOf/allOf, and $ref to a JSON
// pointer inside the same document ("#/components/schemas/…"). Annotations
// (description, default, format, examples, title) are ignored; any other keyword is an
// error, so the document cannot lean on a rule this validator would silently skip.
//
// Messages name the instance location (a JSON pointer) and the rule broken, never the
// instance's value: the bodies checked carry personal data.

#include <optional>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

namespace c2p::testing {

class JsonSchemaValidator {
 public:
  // `root` is the document $refs point into; it must outlive the validator.
  explicit JsonSchemaValidator(const boost::json::value& root) : root_(root) {}

  // nullopt when `instance` is valid against `schema`; otherwise the first reason it is
  // not ("/cards/0/state: not one of the enum values").
  std::optional<std::string> Validate(const boost::json::value& schema,
                                      const boost::json::value& instance) const;

  // The value a local reference ("#/a/b") names in the root, or nullptr.
  const boost::json::value* Resolve(std::string_view ref) const;

 private:
  std::optional<std::string> Check(const boost::json::value& schema,
                                   const boost::json::value& instance, const std::string& at,
                                   int depth) const;
  std::optional<std::string> CheckObject(const boost::json::object& schema,
                                         const boost::json::object& instance, const std::string& at,
                                         int depth) const;
  std::optional<std::string> CheckArray(const boost::json::object& schema,
                                        const boost::json::array& instance, const std::string& at,
                                        int depth) const;

  const boost::json::value& root_;
};

}  // namespace c2p::testing
