#pragma once
// The driver of CLICK_TO_PAY_UPDATE of a card (spec/api.md §5.3): the body's billing
// address, and its cardholder name for Visa only (Mastercard ignores names: it is not
// sent), go to the card's network. The data comes sealed with the job (like an
// enrolment's, vault::SealEnrolmentData) and is used for this operation only. The card
// stays ENROLLED whatever the outcome.
//
// Safe to repeat: the same update applied twice leaves the directory as once.

#include "engine/await_request.hpp"
#include "engine/card_job.hpp"
#include "engine/driver.hpp"
#include "store/store.hpp"
#include "vault/key_ring.hpp"

namespace c2p::engine {

inline constexpr std::string_view kCardUpdateJob = "CARD_UPDATE";

// The update sent to a card's network, from the request's data: a name only for Visa.
// Nothing to send (a name alone for a Mastercard card) leaves both members empty.
networks::CardUpdate CardUpdateFor(std::string_view network, std::string external_card_id,
                                   const std::optional<std::string>& name,
                                   const std::optional<domain::BillingAddress>& billing);

class CardUpdateDriver final : public Driver {
 public:
  CardUpdateDriver(store::Store& store, const vault::KeyRing& keys, ConnectorsByNetwork connectors,
                   PollOptions options = {});

  boost::asio::awaitable<RunResult> Run(const store::JobRecord& job) override;

 private:
  store::Store& store_;
  const vault::KeyRing& keys_;
  ConnectorsByNetwork connectors_;
  PollOptions options_;
};

}  // namespace c2p::engine
