#pragma once
// A card's registration (PUT …/cards/{cardId}, spec/api.md §4.4) as a unit of work, shared
// by the route and the batch files: PrepareCard decrypts, checks and seals off the writer
// thread, RegisterCard decides and writes inside the store's transaction, where nothing
// else can change the rows it reads (PAN uniqueness, the cardId's binding).

#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "domain/card_data.hpp"
#include "domain/card_product.hpp"
#include "domain/request_bodies.hpp"
#include "registry/registry_context.hpp"
#include "store/store.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::registry {

// Everything the registration decided before its unit of work: the decrypted, checked
// and sealed card. Nothing in it is plaintext but the card data's SecretBytes.
struct PreparedCard {
  domain::CardData data;
  const domain::CardProduct* product = nullptr;  // one of ctx.products
  std::string pan_index;
  vault::SealedCard sealed;
};

core::Result<PreparedCard> PrepareCard(const RegistryContext& ctx, std::string_view issuer,
                                       std::string_view card_id, const domain::CardPutBody& body);

struct CardRegistration {
  bool created = false;
  store::CardRecord card;
  // The D1 CLICK_TO_PAY_ENROLMENT the registration started (auto-enrolment).
  std::optional<store::OperationRecord> enrolment;
};

// Every refusal comes before the first write, so a refused card leaves nothing behind in
// a transaction shared with other units. After the commit, the caller calls
// ctx.AfterCommit(enrolment.has_value()). `lane`: the auto-enrolment job's lane; a batch
// file passes kBulk, so its campaign runs within the bulk share (docs/engine.md "Lanes").
core::Result<CardRegistration> RegisterCard(const RegistryContext& ctx, store::WriteTx& tx,
                                            std::string_view issuer, std::string_view card_id,
                                            const domain::CardPutBody& body,
                                            const PreparedCard& card,
                                            std::string_view correlation_id,
                                            store::JobLane lane = store::JobLane::kInteractive);

}  // namespace c2p::registry
