#pragma once
// The request readers of both directories (spec/networks.md §1, §2): JSON body → typed
// request, or the directory's own error. They decrypt the card JWEs with the simulated
// network's RSA key and check every field and format c2p must get right (alpha-3 / alpha-2
// countries, en_US locales, digit-only phones, YYYY-MM or month/year expiry, Luhn PANs).
// Business rules (state, expiry, brand, test cards) are the directories' job.
//
// Pure functions of their input: the fuzz target sim_requests_fuzz drives them.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <tl/expected.hpp>

#include "jose/jwe.hpp"

namespace c2p::sim {

// An error as a directory answers it; each directory renders it in its own shape.
struct DirectoryError {
  unsigned status = 400;
  std::string reason;   // "VIDC-1001", "INVALID_FIELD", ...
  std::string message;  // names fields and rules, never values
  std::string source;   // Mastercard's "Source": the field at fault, or the service
  bool recoverable = false;
  boost::json::object details;
};

template <typename T>
using DirResult = tl::expected<T, DirectoryError>;

// A decrypted card. The PAN is wiped when the object goes.
struct CardData {
  CardData() = default;
  CardData(CardData&&) = default;
  CardData& operator=(CardData&&) = default;
  CardData(const CardData&) = delete;
  CardData& operator=(const CardData&) = delete;
  ~CardData();

  std::string pan;
  int exp_year = 0;
  int exp_month = 0;
  std::string name;                     // nameOnCard / cardholderFullName; may be empty
  boost::json::object billing_address;  // in the network's own shape; may be empty
};

// --- Visa-like ---------------------------------------------------------------------

enum class VisaCall {
  kEnrollData,
  kEnrollPaymentInstruments,
  kManageConsumerInformation,
  kManagePaymentInstruments,
  kDeletePaymentInstruments,
  kDeleteConsumerInformation,
  kGetData,
};

struct VisaCard {
  std::string external_card_id;
  CardData card;
};

// managePaymentInstruments: what may change. `status` is a simulator extension
// ("ACTIVE" resumes, "SUSPENDED" suspends; docs/simulator.md).
struct VisaCardUpdate {
  std::string external_card_id;
  std::string name_on_card;             // empty: unchanged
  boost::json::object billing_address;  // empty: unchanged
  std::string status;                   // empty: unchanged
};

struct VisaRequest {
  VisaCall call = VisaCall::kGetData;
  std::string consumer_id;              // consumerInformation.externalConsumerID
  boost::json::object consumer;         // the full consumerInformation (enrollData, manage)
  std::string email;                    // emails[0] of a full consumerInformation
  std::vector<VisaCard> cards;          // enrollData, enrollPaymentInstruments
  std::vector<VisaCardUpdate> updates;  // managePaymentInstruments
  std::vector<std::string> card_ids;    // deletePaymentInstruments
};

// VIDC-1000: not a JSON object; VIDC-1001: a required field is missing; VIDC-1002: a field
// has the wrong format (including the intent); VIDC-1003: an encryptedData that cannot be
// decrypted, or whose content is not the card object. All 400.
DirResult<VisaRequest> ReadVisaRequest(VisaCall call, std::string_view body,
                                       const jose::JweDecryptionKeys& keys);

// --- Mastercard-like ---------------------------------------------------------------

struct MastercardEnrolment {
  std::string src_client_id;
  std::string service_id;
  std::string consumer_id;
  std::string card_id;
  boost::json::object consumer;  // as sent
  std::string email;
  CardData card;
};

// A full consumer replacement: { "consumer": {...} }.
struct MastercardConsumer {
  boost::json::object consumer;
  std::string email;
};

// A card update: { "billingAddress"?, "status"? } (status: simulator extension).
struct MastercardCardUpdate {
  boost::json::object billing_address;
  std::string status;
};

// 400 INVALID_FIELD with Source naming the field, for every malformed input.
DirResult<MastercardEnrolment> ReadMastercardEnrolment(std::string_view body,
                                                       const jose::JweDecryptionKeys& keys);
DirResult<MastercardConsumer> ReadMastercardConsumer(std::string_view body);
DirResult<MastercardCardUpdate> ReadMastercardCardUpdate(std::string_view body);

}  // namespace c2p::sim
