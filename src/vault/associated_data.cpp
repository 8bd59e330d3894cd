#include "vault/associated_data.hpp"

#include <stdexcept>

namespace c2p::vault {

namespace {

void AppendPart(std::string& out, std::string_view part) {
  if (part.size() > 0xFFFF) throw std::length_error("associated data part too long");
  out += static_cast<char>(part.size() >> 8);
  out += static_cast<char>(part.size() & 0xFF);
  out += part;
}

std::string Build(char kind, std::string_view issuer_id, std::string_view row_id,
                  std::string_view field) {
  std::string out;
  out.reserve(1 + 6 + issuer_id.size() + row_id.size() + field.size());
  out += kind;
  AppendPart(out, issuer_id);
  AppendPart(out, row_id);
  AppendPart(out, field);
  return out;
}

}  // namespace

std::string CardAssociatedData(std::string_view issuer_id, std::string_view card_id,
                               std::string_view field) {
  return Build('C', issuer_id, card_id, field);
}

std::string ConsumerAssociatedData(std::string_view issuer_id, std::string_view consumer_id,
                                   std::string_view field) {
  return Build('P', issuer_id, consumer_id, field);
}

std::string OperationAssociatedData(std::string_view issuer_id, std::string_view operation_id,
                                    std::string_view field) {
  return Build('O', issuer_id, operation_id, field);
}

}  // namespace c2p::vault
