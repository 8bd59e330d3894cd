#include "engine/consumer_update_driver.hpp"

#include <algorithm>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "engine/external_ids.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::engine {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kUpdated = "updated";

// The networks an earlier attempt finished (none when the progress says nothing of them).
std::vector<std::string> UpdatedBefore(std::string_view progress) {
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(progress, ec);
  std::vector<std::string> out;
  const auto* o = ec ? nullptr : v.if_object();
  const auto* updated = o == nullptr ? nullptr : o->if_contains(kUpdated);
  if (updated == nullptr || !updated->is_array()) return out;
  for (const auto& n : updated->as_array()) {
    if (n.is_string()) out.emplace_back(n.as_string());
  }
  return out;
}

}  // namespace

ConsumerUpdateDriver::ConsumerUpdateDriver(
    store::Store& store, const vault::KeyRing& keys,
    std::map<std::string, networks::NetworkConnector*, std::less<>> connectors,
    ConsumerInfoSource* consumer_info, PollOptions options)
    : store_(store),
      keys_(keys),
      connectors_(std::move(connectors)),
      consumer_info_(consumer_info),
      options_(options) {}

// The issuer's update carries consumerInfo (and maybe a billing address for the cards);
// propagation carries nothing and sends what the store holds now. The consumer's country
// comes from a billing address: the body's, else the stored one, else the issuer's.
asio::awaitable<tl::expected<ConsumerUpdateDriver::Data, RunResult>> ConsumerUpdateDriver::Resolve(
    const store::JobRecord& job) {
  ConsumerData body;
  if (job.input) {
    auto data = vault::OpenEnrolmentData(keys_, job.issuer_id, job.operation_id, *job.input);
    if (!data)
      co_return tl::unexpected(RunResult(InternalRetry("sealed update data does not open")));
    body.info = std::move(data->consumer_info);
    body.billing = std::move(data->billing_address);
  }
  auto resolved = co_await ResolveConsumer(store_, keys_, consumer_info_, job, "", body);
  if (!resolved) co_return tl::unexpected(std::move(resolved.error()));
  ConsumerData& known = resolved->known;
  const ConsumerData& stored = resolved->stored;
  Data data;
  data.consumer.external_consumer_id = ExternalConsumerId(job.issuer_id, job.consumer_id);
  data.consumer.info = std::move(*known.info);
  data.consumer.billing = known.billing;
  // The cards get the body's address; propagation sends the stored one.
  data.card_billing = job.input ? body.billing : stored.billing;
  co_return data;
}

asio::awaitable<std::optional<RunResult>> ConsumerUpdateDriver::Update(
    networks::NetworkConnector& connector, const Data& data,
    const std::vector<store::CardRecord>& cards, const std::string& network) {
  auto call = co_await connector.UpdateConsumer(data.consumer);
  auto ended = co_await AwaitRequest(connector, std::move(call), "", options_);
  if (!ended) co_return RetryWith("NETWORK_UNAVAILABLE", "the directory is still updating");
  if (!*ended) co_return FromFailure(ended->error());
  if (!data.card_billing) co_return std::nullopt;
  for (const auto& card : cards) {
    if (card.network != network || card.click_to_pay_status != "ENROLLED" ||
        card.state == "DELETED") {
      continue;
    }
    networks::CardUpdate update;
    update.external_card_id = ExternalCardId(card.issuer_id, card.card_id, card.created_ms);
    update.billing = data.card_billing;
    auto card_call = co_await connector.UpdateCard(data.consumer.external_consumer_id, update);
    // "" : a card update's outcome carries no token (the card id asks for one).
    auto card_ended = co_await AwaitRequest(connector, std::move(card_call), "", options_);
    if (!card_ended) co_return RetryWith("NETWORK_UNAVAILABLE", "the directory is still updating");
    if (!*card_ended) co_return FromFailure(card_ended->error());
  }
  co_return std::nullopt;
}

asio::awaitable<RunResult> ConsumerUpdateDriver::Run(const store::JobRecord& job) {
  auto data = co_await Resolve(job);
  if (!data) co_return std::move(data.error());
  auto profiles = co_await store_.GetNetworkProfiles(job.issuer_id, job.consumer_id);
  if (!profiles) co_return InternalRetry("store: " + profiles.error().message);
  if (profiles->empty()) {
    co_return FailedWith("NETWORK_REJECTED", "the consumer is no longer enrolled in any network");
  }
  auto cards = co_await store_.GetConsumerCards(job.issuer_id, job.consumer_id);
  if (!cards) co_return InternalRetry("store: " + cards.error().message);
  const std::vector<std::string> before = UpdatedBefore(job.progress);
  boost::json::array updated;
  for (const auto& network : *profiles) {
    if (std::find(before.begin(), before.end(), network) != before.end()) {
      updated.emplace_back(network);
      continue;
    }
    auto connector = connectors_.find(network);
    if (connector == connectors_.end()) {
      co_return FailedWith("NETWORK_UNAVAILABLE",
                           "the " + network + " directory is not configured");
    }
    const auto directory = connector->second->ForCall({job.correlation_id, job.lease_until_ms});
    if (auto stop = co_await Update(*directory, *data, *cards, network)) {
      if (auto* later = std::get_if<RetryLater>(&*stop)) {
        later->progress = boost::json::serialize(boost::json::object{{kUpdated, updated}});
      }
      co_return std::move(*stop);
    }
    updated.emplace_back(network);
  }
  co_return SucceededWith({{"networksUpdated", std::move(updated)}});
}

}  // namespace c2p::engine
