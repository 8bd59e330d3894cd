#pragma once
// The driver of the network side of suspending or resuming an enrolled card (spec/api.md
// §4.6): the issuer's SUSPEND / RESUME operation stays PENDING until the card's network has
// suspended / resumed its digital card (a card update with a status, docs/simulator.md).
//
// The card's registry state changed when the issuer asked and stays whatever happens here:
// the issuer's state is authoritative. A FAILED operation says the network did not follow.
//
// Safe to repeat: setting the status the card already has changes nothing at the network.

#include "engine/await_request.hpp"
#include "engine/card_job.hpp"
#include "engine/driver.hpp"
#include "store/store.hpp"

namespace c2p::engine {

inline constexpr std::string_view kCardSuspendJob = "CARD_SUSPEND";
inline constexpr std::string_view kCardResumeJob = "CARD_RESUME";

class CardStatusDriver final : public Driver {
 public:
  CardStatusDriver(store::Store& store, ConnectorsByNetwork connectors, networks::CardStatus status,
                   PollOptions options = {});

  boost::asio::awaitable<RunResult> Run(const store::JobRecord& job) override;

 private:
  store::Store& store_;
  ConnectorsByNetwork connectors_;
  networks::CardStatus status_;
  PollOptions options_;
};

}  // namespace c2p::engine
