#include "networks/visa_connector.hpp"

#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "networks/answers.hpp"
#include "networks/directory_call.hpp"
#include "networks/normalise.hpp"

namespace c2p::networks {
namespace json = boost::json;
namespace {

json::object Intent() { return json::object{{"type", "PRODUCT_CODE"}, {"value", "CLICK_TO_PAY"}}; }

// One paymentInstrument with its card data encrypted, or why not.
Result<json::object> Instrument(const ConnectorConfig& config, const CardRef& card) {
  if (!IsExternalId(card.external_card_id)) return tl::unexpected(BadIdFailure("externalCardId"));
  if (card.card == nullptr) {
    return tl::unexpected(MakeFailure(FailureReason::kDataIncomplete, "card data missing"));
  }
  auto plaintext = VisaCardPlaintext(*card.card, card.billing);
  if (!plaintext) return tl::unexpected(IncompleteFailure(std::move(plaintext.error())));
  return json::object{{"type", "CARD"},
                      {"externalCardID", card.external_card_id},
                      {"encryptedData", EncryptForNetwork(config, *plaintext)}};
}

json::object ConsumerIdOnly(const std::string& id) {
  return json::object{{"externalConsumerID", id}};
}

}  // namespace

VisaConnector::VisaConnector(http::Client& client, ConnectorConfig config, CallContext context)
    : client_(client), config_(std::move(config)), context_(std::move(context)) {}

std::unique_ptr<NetworkConnector> VisaConnector::ForCall(CallContext context) const {
  return std::make_unique<VisaConnector>(client_, config_, std::move(context));
}

std::string VisaConnector::Url(std::string_view path) const {
  return config_.url + "/visaIdCredential/v1" + std::string(path);
}

boost::asio::awaitable<CallResult> VisaConnector::Write(std::string method, std::string path,
                                                        json::object body) {
  auto response =
      co_await CallDirectory(client_, config_, context_, CallEffect::kWrites, std::move(method),
                             Url(path), json::serialize(body), config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadVisaWriteAnswer(
      Answer{response->status, response->body, response->header("retry-after")});
}

namespace {

// Request bodies are built outside the coroutines (GCC 12 miscompiles braced lists of
// string literals inside a coroutine body: "array used as initializer").

Result<json::object> EnrolBody(const ConnectorConfig& config, const ConsumerRef& consumer,
                               const CardRef& card) {
  if (!IsExternalId(consumer.external_consumer_id)) {
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  }
  auto info =
      VisaConsumerInformation(consumer.external_consumer_id, consumer.info, consumer.billing);
  if (!info) return tl::unexpected(IncompleteFailure(std::move(info.error())));
  auto instrument = Instrument(config, card);
  if (!instrument) return tl::unexpected(std::move(instrument.error()));
  return json::object{{"intent", Intent()},
                      {"consumerInformation", std::move(*info)},
                      {"paymentInstruments", json::array{std::move(*instrument)}}};
}

Result<json::object> AddCardBody(const ConnectorConfig& config, const ConsumerRef& consumer,
                                 const CardRef& card) {
  if (!IsExternalId(consumer.external_consumer_id)) {
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  }
  auto instrument = Instrument(config, card);
  if (!instrument) return tl::unexpected(std::move(instrument.error()));
  return json::object{{"intent", Intent()},
                      {"consumerInformation", ConsumerIdOnly(consumer.external_consumer_id)},
                      {"paymentInstruments", json::array{std::move(*instrument)}}};
}

Result<json::object> UpdateConsumerBody(const ConsumerRef& consumer) {
  if (!IsExternalId(consumer.external_consumer_id)) {
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  }
  auto info =
      VisaConsumerInformation(consumer.external_consumer_id, consumer.info, consumer.billing);
  if (!info) return tl::unexpected(IncompleteFailure(std::move(info.error())));
  return json::object{{"intent", Intent()}, {"consumerInformation", std::move(*info)}};
}

// nameOnCard is at most 26 characters (§3): a longer name is cut on a UTF-8 boundary.
std::string NameOnCard(std::string name) {
  std::size_t cut = 0;
  std::size_t chars = 0;
  while (cut < name.size() && chars < 26) {
    ++cut;
    while (cut < name.size() && (static_cast<unsigned char>(name[cut]) & 0xC0U) == 0x80U) ++cut;
    ++chars;
  }
  name.resize(cut);
  return name;
}

Result<json::object> UpdateCardBody(const std::string& external_consumer_id,
                                    const CardUpdate& update) {
  if (!IsExternalId(external_consumer_id))
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  if (!IsExternalId(update.external_card_id)) return tl::unexpected(BadIdFailure("externalCardId"));
  json::object instrument{{"externalCardID", update.external_card_id}};
  if (update.name_on_card && !update.name_on_card->empty()) {
    instrument["nameOnCard"] = NameOnCard(*update.name_on_card);
  }
  if (update.billing) {
    auto address = VisaBillingAddress(*update.billing);
    if (!address) return tl::unexpected(IncompleteFailure(std::move(address.error())));
    instrument["billingAddress"] = std::move(*address);
  }
  if (update.status) {
    instrument["status"] = *update.status == CardStatus::kSuspended ? "SUSPENDED" : "ACTIVE";
  }
  return json::object{{"intent", Intent()},
                      {"consumerInformation", ConsumerIdOnly(external_consumer_id)},
                      {"paymentInstruments", json::array{std::move(instrument)}}};
}

Result<json::object> DeleteCardBody(const std::string& external_consumer_id,
                                    const std::string& external_card_id) {
  if (!IsExternalId(external_consumer_id))
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  if (!IsExternalId(external_card_id)) return tl::unexpected(BadIdFailure("externalCardId"));
  return json::object{
      {"intent", Intent()},
      {"consumerInformation", ConsumerIdOnly(external_consumer_id)},
      {"paymentInstruments", json::array{json::object{{"externalCardID", external_card_id}}}}};
}

Result<json::object> ConsumerOnlyBody(const std::string& external_consumer_id) {
  if (!IsExternalId(external_consumer_id))
    return tl::unexpected(BadIdFailure("externalConsumerId"));
  return json::object{{"intent", Intent()},
                      {"consumerInformation", ConsumerIdOnly(external_consumer_id)}};
}

}  // namespace

boost::asio::awaitable<CallResult> VisaConnector::EnrolConsumer(const ConsumerRef& consumer,
                                                                const CardRef& card) {
  auto body = EnrolBody(config_, consumer, card);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  auto result = co_await Write(std::string("POST"), std::string("/enrollData"), std::move(*body));
  // An accepted enrolment keeps the consumer even when the card is declined later.
  if (result) result->consumer_created = true;
  co_return result;
}

boost::asio::awaitable<CallResult> VisaConnector::AddCard(const ConsumerRef& consumer,
                                                          const CardRef& card) {
  auto body = AddCardBody(config_, consumer, card);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  co_return co_await Write(std::string("POST"), std::string("/enrollPaymentInstruments"),
                           std::move(*body));
}

boost::asio::awaitable<CallResult> VisaConnector::UpdateConsumer(const ConsumerRef& consumer) {
  auto body = UpdateConsumerBody(consumer);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  co_return co_await Write(std::string("PUT"), std::string("/manageConsumerInformation"),
                           std::move(*body));
}

boost::asio::awaitable<CallResult> VisaConnector::UpdateCard(
    const std::string& external_consumer_id, const CardUpdate& update) {
  auto body = UpdateCardBody(external_consumer_id, update);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  co_return co_await Write(std::string("PUT"), std::string("/managePaymentInstruments"),
                           std::move(*body));
}

boost::asio::awaitable<CallResult> VisaConnector::DeleteCard(
    const std::string& external_consumer_id, const std::string& external_card_id) {
  auto body = DeleteCardBody(external_consumer_id, external_card_id);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  co_return co_await Write(std::string("POST"), std::string("/deletePaymentInstruments"),
                           std::move(*body));
}

boost::asio::awaitable<CallResult> VisaConnector::DeleteConsumer(
    const std::string& external_consumer_id) {
  auto body = ConsumerOnlyBody(external_consumer_id);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  co_return co_await Write(std::string("POST"), std::string("/deleteConsumerInformation"),
                           std::move(*body));
}

boost::asio::awaitable<Result<Profile>> VisaConnector::GetProfile(
    const std::string& external_consumer_id) {
  auto body = ConsumerOnlyBody(external_consumer_id);
  if (!body) co_return tl::unexpected(std::move(body.error()));
  auto response =
      co_await CallDirectory(client_, config_, context_, CallEffect::kReads, std::string("POST"),
                             Url("/getData"), json::serialize(*body), config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  co_return ReadVisaProfile(
      Answer{response->status, response->body, response->header("retry-after")});
}

boost::asio::awaitable<CallResult> VisaConnector::PollRequest(const std::string& trace_id,
                                                              const std::string& external_card_id) {
  if (!IsExternalId(trace_id, 128)) co_return tl::unexpected(BadIdFailure("requestTraceId"));
  auto response =
      co_await CallDirectory(client_, config_, context_, CallEffect::kReads, std::string("GET"),
                             Url("/requestStatus/" + trace_id), {}, config_.timeout);
  if (!response) co_return tl::unexpected(std::move(response.error()));
  auto result = ReadVisaStatusAnswer(
      Answer{response->status, response->body, response->header("retry-after")}, external_card_id);
  if (result && result->pending) result->trace_id = trace_id;
  co_return result;
}

}  // namespace c2p::networks
