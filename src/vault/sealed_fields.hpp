#pragma once
// Card data and personal information on their way into and out of the store: sealed
// field by field under the vault's current key, each bound to its (issuer, card or
// consumer, field) so a blob copied elsewhere does not open. Plaintext lives only in
// core::SecretBytes (wiped), except the DTOs the domain reads it into.

#include <optional>
#include <string_view>

#include "core/error.hpp"
#include "domain/card_data.hpp"
#include "domain/consumer_info.hpp"
#include "domain/request_bodies.hpp"
#include "store/registry_records.hpp"
#include "vault/key_ring.hpp"

namespace c2p::vault {

struct SealedCard {
  store::Blob pan;
  store::Blob exp;
  std::optional<store::Blob> name;
};

SealedCard SealCard(const vault::KeyRing& ring, std::string_view issuer, std::string_view card_id,
                    const domain::CardData& card);

// The stored expiry of a card row; kInternal if it does not open (c2p's fault).
core::Result<domain::CardExpiry> OpenExpiry(const vault::KeyRing& ring,
                                            const store::CardRecord& card);
// The whole card data of a row (PAN, expiry, name), for a call to a network: kInternal if
// a field does not open.
core::Result<domain::CardData> OpenCardData(const vault::KeyRing& ring,
                                            const store::CardRecord& card);
// The stored cardholder name, nullopt when none was given.
core::Result<std::optional<core::SecretBytes>> OpenName(const vault::KeyRing& ring,
                                                        const store::CardRecord& card);

store::Blob SealPersonalInformation(const vault::KeyRing& ring, std::string_view issuer,
                                    std::string_view consumer,
                                    const domain::PersonalInformation& info);
core::Result<domain::PersonalInformation> OpenPersonalInformation(const vault::KeyRing& ring,
                                                                  std::string_view issuer,
                                                                  std::string_view consumer,
                                                                  const store::Blob& blob);

// An enrolment's request data (domain::EnrolmentData), sealed with its job and bound to
// the operation.
store::Blob SealEnrolmentData(const vault::KeyRing& ring, std::string_view issuer,
                              std::string_view operation_id, const domain::EnrolmentData& data);
core::Result<domain::EnrolmentData> OpenEnrolmentData(const vault::KeyRing& ring,
                                                      std::string_view issuer,
                                                      std::string_view operation_id,
                                                      const store::Blob& blob);

}  // namespace c2p::vault
