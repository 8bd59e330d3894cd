#include "batch/record_request.hpp"

#include <array>
#include <string_view>
#include <utility>

#include <boost/json/value.hpp>

#include "domain/object_fields.hpp"
#include "domain/path_ids.hpp"

namespace c2p::batch {
namespace json = boost::json;
namespace {

constexpr std::string_view kRequest = "consumerAndCardRegistrationRequest";
constexpr std::array<std::string_view, 2> kRecordMembers = {"rowId", kRequest};
constexpr std::array<std::string_view, 3> kRequestMembers = {"consumerId", "personalInformation",
                                                             "cards"};

tl::unexpected<core::Error> Prefixed(core::Error error, const std::string& prefix) {
  error.field = prefix + error.field;
  return tl::unexpected(std::move(error));
}

tl::unexpected<core::Error> Invalid(std::string message, std::string field) {
  return core::Fail(core::ErrorCode::kFieldInvalidFormat, std::move(message), std::move(field));
}

CardRequest ReadCard(const json::value& value, const std::string& consumer_id,
                     const std::string& pointer) {
  CardRequest card{{}, Invalid("a card must be an object", pointer)};
  const json::object* object = value.if_object();
  if (object == nullptr) return card;
  const json::value* card_id = object->if_contains("cardId");
  if (card_id != nullptr && card_id->is_string()) card.card_id = card_id->as_string();
  if (card_id == nullptr) {
    card.body = Invalid("cardId is required", pointer + "/cardId");
    return card;
  }
  if (auto ok = domain::CheckPathId(domain::PathId::kCardId, card.card_id);
      !ok || !card_id->is_string()) {
    card.body = Invalid("cardId must match ^[A-Za-z0-9_-]{1,48}$", pointer + "/cardId");
    return card;
  }
  // The card PUT body: the card's members but its id, and the record's consumerId (a
  // card naming a consumer of its own is an unknown member).
  if (object->contains("consumerId")) {
    card.body = Invalid("consumerId is not a member of a card", pointer + "/consumerId");
    return card;
  }
  json::object body = *object;
  body.erase("cardId");
  body["consumerId"] = consumer_id;
  auto read = domain::ReadCardPutBody(body);
  card.body = read ? std::move(read) : Prefixed(std::move(read.error()), pointer);
  return card;
}

}  // namespace

RecordRequest ReadRecordRequest(const RawRecord& raw) {
  RecordRequest out{raw.row_id, {}, domain::ConsumerPutBody{}, {}};
  const json::value record(raw.record);
  auto record_fields = domain::ObjectFields::Open(record, "", kRecordMembers);
  if (!record_fields) {
    out.consumer = tl::unexpected(std::move(record_fields.error()));
    return out;
  }
  const std::string prefix = "/" + std::string(kRequest);
  const json::value* request = raw.record.if_contains(kRequest);
  if (request == nullptr) {
    out.consumer = Invalid(std::string(kRequest) + " is required", prefix);
    return out;
  }
  auto request_fields = domain::ObjectFields::Open(*request, prefix, kRequestMembers);
  if (!request_fields) {
    out.consumer = tl::unexpected(std::move(request_fields.error()));
    return out;
  }
  const json::object& fields = request->as_object();
  const json::value* consumer_id = fields.if_contains("consumerId");
  if (consumer_id != nullptr && consumer_id->is_string()) {
    out.consumer_id = consumer_id->as_string();
  }
  // The consumer part: its id, then the PUT body, then the cards' container.
  if (consumer_id == nullptr) {
    out.consumer = Invalid("consumerId is required", prefix + "/consumerId");
  } else if (auto ok = domain::CheckPathId(domain::PathId::kConsumerId, out.consumer_id);
             !ok || !consumer_id->is_string()) {
    out.consumer = Invalid("consumerId must match ^[A-Za-z0-9_-]{1,64}$", prefix + "/consumerId");
  } else {
    json::object body;
    if (const json::value* info = fields.if_contains("personalInformation")) {
      body["personalInformation"] = *info;
    }
    auto consumer = domain::ReadConsumerPutBody(body);
    out.consumer = consumer ? std::move(consumer) : Prefixed(std::move(consumer.error()), prefix);
  }
  const json::value* cards = fields.if_contains("cards");
  if (cards == nullptr || !cards->is_array()) {
    if (out.consumer) {
      out.consumer = Invalid(cards == nullptr ? "cards is required" : "cards must be an array",
                             prefix + "/cards");
    }
    return out;
  }
  const json::array& list = cards->as_array();
  out.cards.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.cards.push_back(ReadCard(list[i], out.consumer_id, prefix + "/cards/" + std::to_string(i)));
  }
  return out;
}

}  // namespace c2p::batch
