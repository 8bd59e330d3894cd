#pragma once
// The Visa-like directory (shared/spec/networks.md §1): writes answer 202 with a
// requestTraceId and finish later; PollRequest reads GET /requestStatus/{id}.

#include "http/client.hpp"
#include "networks/directory_call.hpp"
#include "networks/network_connector.hpp"

namespace c2p::networks {

class VisaConnector final : public NetworkConnector {
 public:
  // `client` must outlive the connector.
  VisaConnector(http::Client& client, ConnectorConfig config, CallContext context = {});

  Network network() const override { return Network::kVisa; }
  std::unique_ptr<NetworkConnector> ForCall(CallContext context) const override;
  boost::asio::awaitable<CallResult> EnrolConsumer(const ConsumerRef& consumer,
                                                   const CardRef& card) override;
  boost::asio::awaitable<CallResult> AddCard(const ConsumerRef& consumer,
                                             const CardRef& card) override;
  boost::asio::awaitable<CallResult> UpdateConsumer(const ConsumerRef& consumer) override;
  boost::asio::awaitable<CallResult> UpdateCard(const std::string& external_consumer_id,
                                                const CardUpdate& update) override;
  boost::asio::awaitable<CallResult> DeleteCard(const std::string& external_consumer_id,
                                                const std::string& external_card_id) override;
  boost::asio::awaitable<CallResult> DeleteConsumer(
      const std::string& external_consumer_id) override;
  boost::asio::awaitable<Result<Profile>> GetProfile(
      const std::string& external_consumer_id) override;
  boost::asio::awaitable<CallResult> PollRequest(const std::string& trace_id,
                                                 const std::string& external_card_id) override;

 private:
  boost::asio::awaitable<CallResult> Write(std::string method, std::string path,
                                           boost::json::object body);
  std::string Url(std::string_view path) const;

  http::Client& client_;
  ConnectorConfig config_;
  CallContext context_;
};

}  // namespace c2p::networks
