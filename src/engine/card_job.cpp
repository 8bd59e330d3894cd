#include "engine/card_job.hpp"

#include "engine/external_ids.hpp"

namespace c2p::engine {

boost::asio::awaitable<tl::expected<CardJob, RunResult>> LoadCardJob(
    store::Store& store, const ConnectorsByNetwork& connectors, const store::JobRecord& job) {
  if (!job.card_ref) {
    co_return tl::unexpected(
        RunResult(FailedWith("NETWORK_REJECTED", "internal: job without a card")));
  }
  auto card = co_await store.GetCardByRef(*job.card_ref);
  if (!card) {
    co_return tl::unexpected(RunResult(InternalRetry("store: " + card.error().message)));
  }
  if (!*card) {
    co_return tl::unexpected(
        RunResult(FailedWith("NETWORK_REJECTED", "internal: the card no longer exists")));
  }
  auto connector = connectors.find((*card)->network);
  if (connector == connectors.end()) {
    co_return tl::unexpected(RunResult(FailedWith(
        "NETWORK_UNAVAILABLE", "the " + (*card)->network + " directory is not configured")));
  }
  CardJob out;
  out.card = std::move(**card);
  out.connector = connector->second->ForCall({job.correlation_id, job.lease_until_ms});
  out.external_consumer_id = ExternalConsumerId(job.issuer_id, out.card.consumer_id);
  out.external_card_id = ExternalCardId(job.issuer_id, out.card.card_id, out.card.created_ms);
  co_return out;
}

boost::asio::awaitable<RunResult> UpdateCardAtNetwork(const CardJob& card,
                                                      const networks::CardUpdate& update,
                                                      const PollOptions& options) {
  auto call = co_await card.connector->UpdateCard(card.external_consumer_id, update);
  // Waited on without the card's id: an update's answer names no token for it.
  auto ended = co_await AwaitRequest(*card.connector, std::move(call), std::string(), options);
  if (!ended) {
    co_return RetryWith("NETWORK_UNAVAILABLE", "the directory is still processing the update");
  }
  if (!*ended) {
    const networks::Failure& f = ended->error();
    if (f.reason == networks::FailureReason::kNotEnrolled) {
      co_return FailedWith("NETWORK_REJECTED", "the network no longer holds the card");
    }
    co_return FromFailure(f);
  }
  co_return SucceededWith({});
}

}  // namespace c2p::engine
