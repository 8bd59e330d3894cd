#include "vault/sealed_fields.hpp"

#include <boost/json/serialize.hpp>

#include "core/strict_json.hpp"
#include "vault/associated_data.hpp"
#include "vault/seal.hpp"

namespace c2p::vault {

namespace {

// Serialises into wiped memory: the std::string boost::json produces is wiped at once.
core::SecretBytes SecretJson(const boost::json::object& object) {
  std::string text = boost::json::serialize(object);
  core::SecretBytes out(text);
  core::SecureWipe(text.data(), text.size());
  return out;
}

}  // namespace

SealedCard SealCard(const vault::KeyRing& ring, std::string_view issuer, std::string_view card_id,
                    const domain::CardData& card) {
  SealedCard out;
  out.pan =
      vault::Seal(ring, card.pan, vault::CardAssociatedData(issuer, card_id, vault::kPanField));
  const core::SecretBytes exp(card.exp.ToMmYy());
  out.exp = vault::Seal(ring, exp, vault::CardAssociatedData(issuer, card_id, vault::kExpField));
  if (card.name) {
    out.name = vault::Seal(ring, *card.name,
                           vault::CardAssociatedData(issuer, card_id, vault::kNameField));
  }
  return out;
}

core::Result<domain::CardExpiry> OpenExpiry(const vault::KeyRing& ring,
                                            const store::CardRecord& card) {
  auto exp = vault::Open(ring, card.exp,
                         vault::CardAssociatedData(card.issuer_id, card.card_id, vault::kExpField));
  if (!exp) return tl::unexpected(std::move(exp.error()));
  auto parsed = domain::ParseExpiry(exp->as_text());
  if (!parsed) return core::Fail(core::ErrorCode::kInternal, "stored expiry is malformed");
  return *parsed;
}

core::Result<std::optional<core::SecretBytes>> OpenName(const vault::KeyRing& ring,
                                                        const store::CardRecord& card) {
  if (!card.name) return std::optional<core::SecretBytes>();
  auto name = vault::Open(
      ring, *card.name, vault::CardAssociatedData(card.issuer_id, card.card_id, vault::kNameField));
  if (!name) return tl::unexpected(std::move(name.error()));
  return std::optional<core::SecretBytes>(std::move(*name));
}

core::Result<domain::CardData> OpenCardData(const vault::KeyRing& ring,
                                            const store::CardRecord& card) {
  auto pan = vault::Open(ring, card.pan,
                         vault::CardAssociatedData(card.issuer_id, card.card_id, vault::kPanField));
  if (!pan) return tl::unexpected(std::move(pan.error()));
  auto exp = OpenExpiry(ring, card);
  if (!exp) return tl::unexpected(std::move(exp.error()));
  auto name = OpenName(ring, card);
  if (!name) return tl::unexpected(std::move(name.error()));
  return domain::CardData{std::move(*pan), *exp, std::move(*name)};
}

store::Blob SealPersonalInformation(const vault::KeyRing& ring, std::string_view issuer,
                                    std::string_view consumer,
                                    const domain::PersonalInformation& info) {
  const core::SecretBytes plain = SecretJson(domain::ToJson(info));
  return vault::Seal(
      ring, plain,
      vault::ConsumerAssociatedData(issuer, consumer, vault::kPersonalInformationField));
}

core::Result<domain::PersonalInformation> OpenPersonalInformation(const vault::KeyRing& ring,
                                                                  std::string_view issuer,
                                                                  std::string_view consumer,
                                                                  const store::Blob& blob) {
  auto plain = vault::Open(
      ring, blob,
      vault::ConsumerAssociatedData(issuer, consumer, vault::kPersonalInformationField));
  if (!plain) return tl::unexpected(std::move(plain.error()));
  auto json = core::ParseStrictJson(plain->as_text());
  if (!json)
    return core::Fail(core::ErrorCode::kInternal, "stored personal information is malformed");
  auto info = domain::ReadPersonalInformation(*json, "/personalInformation");
  if (!info)
    return core::Fail(core::ErrorCode::kInternal, "stored personal information is invalid");
  return std::move(*info);
}

store::Blob SealEnrolmentData(const vault::KeyRing& ring, std::string_view issuer,
                              std::string_view operation_id, const domain::EnrolmentData& data) {
  const core::SecretBytes plain = SecretJson(domain::ToJson(data));
  return vault::Seal(ring, plain,
                     vault::OperationAssociatedData(issuer, operation_id, kEnrolmentDataField));
}

core::Result<domain::EnrolmentData> OpenEnrolmentData(const vault::KeyRing& ring,
                                                      std::string_view issuer,
                                                      std::string_view operation_id,
                                                      const store::Blob& blob) {
  auto plain = vault::Open(
      ring, blob, vault::OperationAssociatedData(issuer, operation_id, kEnrolmentDataField));
  if (!plain) return tl::unexpected(std::move(plain.error()));
  auto json = core::ParseStrictJson(plain->as_text());
  if (!json) return core::Fail(core::ErrorCode::kInternal, "sealed enrolment data is malformed");
  auto data = domain::ReadEnrolmentData(*json);
  if (!data) return core::Fail(core::ErrorCode::kInternal, "sealed enrolment data is invalid");
  return std::move(*data);
}

}  // namespace c2p::vault
