#include "engine/card_status_driver.hpp"

namespace c2p::engine {

namespace asio = boost::asio;

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
  co_return co_await UpdateCardAtNetwork(c, update, options_);
}

}  // namespace c2p::engine
