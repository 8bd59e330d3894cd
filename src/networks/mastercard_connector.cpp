#include "networks/mastercard_connector.hpp"

#include <utility>

#include <boost/json/serialize.hpp>

#include "networks/answers.hpp"
#include "networks/directory_call.hpp"
#include "networks/normalise.hpp"

namespace c2p::networks {
namespace json = boost::json;
namespace {

Failure NothingToPoll() {
  return MakeFailure(FailureReason::kRejected,
                     "the Mastercard-like directory has no requests to poll");
}

Answer AnswerOf(const http::ClientResponse& r) {
  return Answer{r.status, r.body, r.header("retry-after")};
}

}  // namespace

MastercardConnector::MastercardConnector(http::Client& client, ConnectorConfig config,
                                         CallContext context)
    : client_(client), config_(std::move(config)), context_(std::move(context)) {}

std::unique_ptr<NetworkConnector> MastercardConnector::ForCall(CallContext context) const {
  return std::make_unique<MastercardConnector>(client_, config_, std::move(context));
}

std::string MastercardConnector::Url(std::string_view path) const {
  return config_.url + "/src/api/digital/payments" + std::string(path);
}

boost::asio::awaitable<Result<http::ClientResponse>> MastercardConnector::Call(
    std::string method, std::string path, std::string body, std::chrono::milliseconds timeout) {
  const CallEffect effect = method == "GET" ? CallEffect::kReads : CallEffect::kWrites;
  co_return co_await CallDirectory(client_, config_, context_, effect, std::move(method), Url(path),
                                   std::move(body), timeout);
}

namespace {

// Request bodies are built outside the coroutines (GCC 12 miscompiles braced lists of
// string literals inside a coroutine body: "array used as initializer").

Result<std::string> EnrolBody(const ConnectorConfig& config, const ConsumerRef& consumer,
                              const CardRef& card) {
  if (!IsExternalId(consumer.external_consumer_id)) {
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  }
  if (!IsExternalId(card.external_card_id)) return tl::unexpected(BadIdFailure("externalCardId"));
  if (card.card == nullptr) {
    return tl::unexpected(MakeFailure(FailureReason::kDataIncomplete, "card data missing"));
  }
  auto info = MastercardConsumer(consumer.info, consumer.billing);
  if (!info) return tl::unexpected(IncompleteFailure(std::move(info.error())));
  auto plaintext = MastercardCardPlaintext(*card.card, card.billing);
  if (!plaintext) return tl::unexpected(IncompleteFailure(std::move(plaintext.error())));
  return json::serialize(json::object{{"srcClientId", config.src_client_id},
                                      {"serviceId", config.service_id},
                                      {"externalConsumerId", consumer.external_consumer_id},
                                      {"externalCardId", card.external_card_id},
                                      {"consumer", std::move(*info)},
                                      {"encryptedCard", EncryptForNetwork(config, *plaintext)}});
}

Result<std::string> UpdateConsumerBody(const ConsumerRef& consumer) {
  if (!IsExternalId(consumer.external_consumer_id)) {
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  }
  auto info = MastercardConsumer(consumer.info, consumer.billing);
  if (!info) return tl::unexpected(IncompleteFailure(std::move(info.error())));
  return json::serialize(json::object{{"consumer", std::move(*info)}});
}

Result<std::string> UpdateCardBody(const std::string& external_consumer_id,
                                   const CardUpdate& update) {
  if (!IsExternalId(external_consumer_id))
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  if (!IsExternalId(update.external_card_id)) return tl::unexpected(BadIdFailure("externalCardId"));
  // A status alone (suspend / resume) needs no address; anything else changes the address.
  if (!update.billing && !update.status) {
    Failure f = MakeFailure(FailureReason::kDataIncomplete,
                            "missing or unusable for mastercard: billingAddress");
    f.fields.emplace_back("billingAddress");
    return tl::unexpected(std::move(f));
  }
  json::object body;
  if (update.billing) {
    auto address = MastercardBillingAddress(*update.billing);
    if (!address) return tl::unexpected(IncompleteFailure(std::move(address.error())));
    body["billingAddress"] = std::move(*address);
  }
  if (update.status) {
    body["status"] = *update.status == CardStatus::kSuspended ? "SUSPENDED" : "ACTIVE";
  }
  return json::serialize(body);
}

Result<std::string> ConsumerPath(const std::string& external_consumer_id) {
  if (!IsExternalId(external_consumer_id))
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  return "/consumers/" + external_consumer_id;
}

Result<std::string> CardPath(const std::string& external_consumer_id,
                             const std::string& external_card_id) {
  if (!IsExternalId(external_consumer_id))
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  if (!IsExternalId(external_card_id)) return tl::unexpected(BadIdFailure("externalCardId"));
  return "/consumers/" + external_consumer_id + "/cards/" + external_card_id;
}

}  // namespace

boost::asio::awaitable<CallResult> MastercardConnector::EnrolConsumer(const ConsumerRef& consumer,
                                                                      const CardRef& card) {
  auto body = EnrolBody(config_, consumer, card);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  auto response = co_await Call(std::string("POST"), std::string("/enrollments"), std::move(*body),
                                config_.enrol_timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadMastercardEnrolAnswer(AnswerOf(*response));
}

boost::asio::awaitable<CallResult> MastercardConnector::AddCard(const ConsumerRef& consumer,
                                                                const CardRef& card) {
  co_return co_await EnrolConsumer(consumer, card);
}

boost::asio::awaitable<CallResult> MastercardConnector::UpdateConsumer(
    const ConsumerRef& consumer) {
  auto body = UpdateConsumerBody(consumer);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  auto response = co_await Call(std::string("PUT"), *ConsumerPath(consumer.external_consumer_id),
                                std::move(*body), config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadMastercardWriteAnswer(AnswerOf(*response));
}

boost::asio::awaitable<CallResult> MastercardConnector::UpdateCard(
    const std::string& external_consumer_id, const CardUpdate& update) {
  auto body = UpdateCardBody(external_consumer_id, update);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  auto response =
      co_await Call(std::string("PUT"), *CardPath(external_consumer_id, update.external_card_id),
                    std::move(*body), config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadMastercardWriteAnswer(AnswerOf(*response));
}

boost::asio::awaitable<CallResult> MastercardConnector::DeleteCard(
    const std::string& external_consumer_id, const std::string& external_card_id) {
  auto path = CardPath(external_consumer_id, external_card_id);
  if (!path) co_return tl::unexpected(std::move(path.error()));
  auto response =
      co_await Call(std::string("DELETE"), std::move(*path), std::string(), config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadMastercardWriteAnswer(AnswerOf(*response));
}

boost::asio::awaitable<CallResult> MastercardConnector::DeleteConsumer(
    const std::string& external_consumer_id) {
  auto path = ConsumerPath(external_consumer_id);
  if (!path) co_return tl::unexpected(std::move(path.error()));
  auto response =
      co_await Call(std::string("DELETE"), std::move(*path), std::string(), config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadMastercardWriteAnswer(AnswerOf(*response));
}

boost::asio::awaitable<Result<Profile>> MastercardConnector::GetProfile(
    const std::string& external_consumer_id) {
  auto path = ConsumerPath(external_consumer_id);
  if (!path) co_return tl::unexpected(std::move(path.error()));
  auto response =
      co_await Call(std::string("GET"), std::move(*path), std::string(), config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadMastercardProfile(AnswerOf(*response));
}

boost::asio::awaitable<CallResult> MastercardConnector::PollRequest(
    const std::string& /*trace_id*/, const std::string& /*external_card_id*/) {
  co_return tl::unexpected(NothingToPoll());
}

}  // namespace c2p::networks
