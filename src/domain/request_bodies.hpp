#pragma once
// The bodies of the /banking/v2 writes (spec/api.md §4), read from an already strictly
// parsed JSON value (core::ParseStrictJson) into DTOs. Refusals are kFieldInvalidFormat
// with the field's JSON pointer from the body's root ("/state",
// "/personalInformation/email").

#include <optional>
#include <string>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/error.hpp"
#include "domain/consumer_info.hpp"
#include "domain/states.hpp"

namespace c2p::domain {

// PUT …/consumers/{consumerId} (§4.1).
struct ConsumerPutBody {
  std::optional<PersonalInformation> personal_information;
  std::optional<ConsumerState> state;  // ACTIVE or INACTIVE only

  bool operator==(const ConsumerPutBody&) const = default;
};

// PUT …/cards/{cardId} (§4.4).
struct CardPutBody {
  std::string consumer_id;
  std::string card_product_id;
  // The compact JWE, checked here only for being a string: its size, form and algorithms
  // are jose::DecryptJwe's, whose refusals are INVALID_ENCRYPTED_DATA (quality.md S3).
  std::string encrypted_data;
  std::optional<CardState> state;  // ACTIVE or INACTIVE only

  bool operator==(const CardPutBody&) const = default;
};

// POST …:suspend | :resume | :delete of a card, :delete of a consumer (§4.6).
struct LifecycleBody {
  std::optional<std::string> reason;
  ReasonCode reason_code = ReasonCode::kIssuerDecision;  // the default when absent

  bool operator==(const LifecycleBody&) const = default;
};

// POST …/cards/{cardId}/operations:clickToPayEnrolment (§5.2); every member optional.
// The personal data here is used for this one operation (sealed with its job) and never
// stored with the consumer.
struct EnrolmentData {
  std::optional<std::string> name;  // cardholder name, Visa only
  std::optional<ConsumerInfo> consumer_info;
  std::optional<BillingAddress> billing_address;

  bool operator==(const EnrolmentData&) const = default;
};
struct EnrolBody {
  EnrolmentData data;
  LifecycleBody reason;  // reason and reasonCode, as on every operation

  bool operator==(const EnrolBody&) const = default;
};

// POST …/consumers/{consumerId}/operations:clickToPayUpdate (§5.4): consumerInfo required.
// Like enrolment's data, used for this one operation (sealed with its job), never stored.
struct ConsumerUpdateBody {
  ConsumerInfo consumer_info;
  std::optional<BillingAddress> billing_address;
  LifecycleBody reason;

  bool operator==(const ConsumerUpdateBody&) const = default;
};

// POST …/cards/{cardId}/operations:clickToPayUpdate (§5.3): at least one of `name` and
// `billingAddress`. Its data is sealed with the job like an enrolment's (consumer_info
// stays empty) and used for that operation only.
struct CardUpdateBody {
  EnrolmentData data;    // name and billing_address
  LifecycleBody reason;  // reason and reasonCode

  bool operator==(const CardUpdateBody&) const = default;
};

core::Result<ConsumerPutBody> ReadConsumerPutBody(const boost::json::value& body);
core::Result<ConsumerUpdateBody> ReadConsumerUpdateBody(const boost::json::value& body);
core::Result<CardPutBody> ReadCardPutBody(const boost::json::value& body);
core::Result<LifecycleBody> ReadLifecycleBody(const boost::json::value& body);
core::Result<EnrolBody> ReadEnrolBody(const boost::json::value& body);
// The data part alone ({name?, consumerInfo?, billingAddress?}), as sealed with a job.
core::Result<EnrolmentData> ReadEnrolmentData(const boost::json::value& body);
core::Result<CardUpdateBody> ReadCardUpdateBody(const boost::json::value& body);

// Wire forms; each reader reads its writer's output back to an equal DTO. The lifecycle
// body is written with its reasonCode even when it was the default.
boost::json::object ToJson(const ConsumerPutBody& body);
boost::json::object ToJson(const CardPutBody& body);
boost::json::object ToJson(const LifecycleBody& body);
boost::json::object ToJson(const EnrolmentData& data);
boost::json::object ToJson(const EnrolBody& body);
boost::json::object ToJson(const ConsumerUpdateBody& body);
boost::json::object ToJson(const CardUpdateBody& body);

}  // namespace c2p::domain
