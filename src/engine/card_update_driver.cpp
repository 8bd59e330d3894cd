#include "engine/card_update_driver.hpp"

#include "vault/sealed_fields.hpp"

namespace c2p::engine {

namespace asio = boost::asio;

networks::CardUpdate CardUpdateFor(std::string_view network, std::string external_card_id,
                                   const std::optional<std::string>& name,
                                   const std::optional<domain::BillingAddress>& billing) {
  networks::CardUpdate update;
  update.external_card_id = std::move(external_card_id);
  update.billing = billing;
  if (network == "VISA") update.name_on_card = name;
  return update;
}

CardUpdateDriver::CardUpdateDriver(store::Store& store, const vault::KeyRing& keys,
                                   ConnectorsByNetwork connectors, PollOptions options)
    : store_(store), keys_(keys), connectors_(std::move(connectors)), options_(options) {}

asio::awaitable<RunResult> CardUpdateDriver::Run(const store::JobRecord& job) {
  if (!job.input) co_return FailedWith("NETWORK_REJECTED", "internal: update job without its data");
  auto data = vault::OpenEnrolmentData(keys_, job.issuer_id, job.operation_id, *job.input);
  // c2p's own problem: retried, never blamed on the network.
  if (!data) co_return InternalRetry("sealed update data does not open");
  auto loaded = co_await LoadCardJob(store_, connectors_, job);
  if (!loaded) co_return std::move(loaded.error());
  CardJob& c = *loaded;
  networks::CardUpdate update =
      CardUpdateFor(c.card.network, c.external_card_id, data->name, data->billing_address);
  // A name alone for a network that ignores names: nothing to change there.
  if (!update.billing && !update.name_on_card) co_return SucceededWith({});
  co_return co_await UpdateCardAtNetwork(c, update, options_);
}

}  // namespace c2p::engine
