#include "engine/card_status_driver.hpp"

namespace c2p::engine {

namespace asio = boost::asio;
using networks::FailureReason;

CardStatusDriver::CardStatusDriver(store::Store& store, ConnectorsByNetwork connectors,
                                   networks::CardStatus status, PollOptions options)
    : store_(store), connectors_(std::move(connectors)), status_(status), options_(options) {}

asio::awaitable<RunResult> CardStatusDriver::Run(const store::JobRecord& job) {
  auto loaded = co_await LoadCardJob(store_, connectors_, job);
  if (!loaded) co_return std::move(loaded.error());
  CardJob& c = *loaded;
  networks::CardUpdate update;
  update.external_card_id = c.external_card_id;
  update.status = status_;
  auto call = co_await c.connector->UpdateCard(c.external_consumer_id, update);
  auto ended = co_await AwaitRequest(*c.connector, std::move(call), std::string(), options_);
  if (!ended) {
    co_return RetryKeeping(job, "NETWORK_UNAVAILABLE",
                           "the directory is still processing the update");
  }
  if (!*ended) {
    const networks::Failure& f = ended->error();
    if (f.reason == FailureReason::kNotEnrolled) {
      co_return FailedWith("NETWORK_REJECTED", "the network no longer holds the card");
    }
    co_return FromFailure(job, f);
  }
  co_return SucceededWith({});
}

}  // namespace c2p::engine
