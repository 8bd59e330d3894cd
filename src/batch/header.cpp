#include "batch/header.hpp"

#include <array>

#include "core/ids.hpp"

namespace c2p::batch {
namespace json = boost::json;
namespace {

struct FieldRule {
  std::string_view name;
  bool (*accepts)(std::string_view);
  std::string Header::*member;
};

const std::array<FieldRule, 4> kFields = {{
    {"batchId", IsBatchId, &Header::batch_id},
    {"seqNumber", IsSeqNumber, &Header::seq_number},
    {"issuerId", core::IsIssuerId, &Header::issuer_id},
    {"operation", IsOperation, &Header::operation},
}};

bool IsKnownField(std::string_view name) {
  for (const auto& field : kFields) {
    if (field.name == name) return true;
  }
  return false;
}

}  // namespace

bool IsBatchId(std::string_view text) { return core::IsIdToken(text, 1, 48); }

bool IsSeqNumber(std::string_view text) {
  if (text.empty() || text.size() > 48) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsOperation(std::string_view text) {
  return text == kOperationRegistration || text == kOperationRegistrationWithDigitalCards;
}

tl::expected<Header, HeaderRefusal> ReadHeader(const json::value& value) {
  const json::object* object = value.if_object();
  if (object == nullptr) {
    return tl::unexpected(HeaderRefusal{FileError::kInvalidJson, "header is not an object"});
  }
  for (const auto& field : kFields) {
    const json::value* member = object->if_contains(field.name);
    if (member == nullptr || member->is_null()) {
      return tl::unexpected(HeaderRefusal{FileError::kMissingHeaderField,
                                          "header." + std::string(field.name) + " is missing"});
    }
  }
  for (const auto& member : *object) {
    if (!IsKnownField(member.key())) {
      return tl::unexpected(
          HeaderRefusal{FileError::kHeaderFieldFormat, "header has an unknown member"});
    }
  }
  Header header;
  for (const auto& field : kFields) {
    const json::string* text = object->at(field.name).if_string();
    if (text == nullptr || !field.accepts(*text)) {
      return tl::unexpected(HeaderRefusal{
          FileError::kHeaderFieldFormat,
          "header." + std::string(field.name) + " does not have the required format"});
    }
    header.*field.member = std::string(*text);
  }
  return header;
}

Header SalvageHeader(const json::value& value) {
  Header header;
  const json::object* object = value.if_object();
  if (object == nullptr) return header;
  for (const auto& field : kFields) {
    const json::value* member = object->if_contains(field.name);
    const json::string* text = member == nullptr ? nullptr : member->if_string();
    if (text != nullptr && field.accepts(*text)) header.*field.member = std::string(*text);
  }
  return header;
}

json::object HeaderToJson(const Header& header) {
  json::object out;
  for (const auto& field : kFields) {
    const std::string& text = header.*field.member;
    if (!text.empty()) out[field.name] = text;
  }
  return out;
}

}  // namespace c2p::batch
