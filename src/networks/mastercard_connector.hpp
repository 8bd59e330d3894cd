#pragma once
// The Mastercard-like directory (shared/spec/networks.md §2): synchronous. POST
// /enrollments blocks until the token is provisioned, so it is awaited with its own,
// longer timeout (ConnectorConfig::enrol_timeout); no thread waits meanwhile.

#include "http/client.hpp"
#include "networks/directory_call.hpp"
#include "networks/network_connector.hpp"

namespace c2p::networks {

class MastercardConnector final : public NetworkConnector {
 public:
  // `client` must outlive the connector.
  MastercardConnector(http::Client& client, ConnectorConfig config, CallContext context = {});

  Network network() const override { return Network::kMastercard; }
  // EnrolConsumer and AddCard are the same call (the directory creates the consumer when
  // needed and says so in consumerCreated).
  std::unique_ptr<NetworkConnector> ForCall(CallContext context) const override;
  boost::asio::awaitable<CallResult> EnrolConsumer(const ConsumerRef& consumer,
                                                   const CardRef& card) override;
  boost::asio::awaitable<CallResult> AddCard(const ConsumerRef& consumer,
                                             const CardRef& card) override;
  boost::asio::awaitable<CallResult> UpdateConsumer(const ConsumerRef& consumer) override;
  // Sends billingAddress and status; the name is ignored (§2). Without a billing address
  // the directory refuses the call, so one is required here (kDataIncomplete otherwise).
  boost::asio::awaitable<CallResult> UpdateCard(const std::string& external_consumer_id,
                                                const CardUpdate& update) override;
  boost::asio::awaitable<CallResult> DeleteCard(const std::string& external_consumer_id,
                                                const std::string& external_card_id) override;
  boost::asio::awaitable<CallResult> DeleteConsumer(
      const std::string& external_consumer_id) override;
  boost::asio::awaitable<Result<Profile>> GetProfile(
      const std::string& external_consumer_id) override;
  // Nothing to poll: fails with kRejected.
  boost::asio::awaitable<CallResult> PollRequest(const std::string& trace_id,
                                                 const std::string& external_card_id) override;

 private:
  std::string Url(std::string_view path) const;
  boost::asio::awaitable<Result<http::ClientResponse>> Call(std::string method, std::string path,
                                                            std::string body,
                                                            std::chrono::milliseconds timeout);

  http::Client& client_;
  ConnectorConfig config_;
  CallContext context_;
};

}  // namespace c2p::networks
