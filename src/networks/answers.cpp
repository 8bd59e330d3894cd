#include "networks/answers.hpp"

#include <charconv>
#include <utility>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "core/strict_json.hpp"
#include "http/client.hpp"
#include "networks/directory_call.hpp"
#include "networks/profile_fields.hpp"

namespace c2p::networks {
namespace json = boost::json;
namespace {

// Answers are small; anything deeper than this is not a directory's answer.
constexpr std::size_t kMaxAnswerDepth = 16;

std::optional<json::object> ParseObject(std::string_view body) {
  auto parsed = core::ParseStrictJson(body, kMaxAnswerDepth);
  if (!parsed || !parsed->is_object()) return std::nullopt;
  return std::move(parsed->get_object());
}

std::optional<std::string_view> StringMember(const json::object& o, std::string_view name) {
  const json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_string()) return std::nullopt;
  return std::string_view(v->get_string());
}

Failure Malformed(const Answer& answer, std::string_view what) {
  Failure f = MakeFailure(FailureReason::kMalformedAnswer,
                          "unreadable directory answer: " + std::string(what), answer.status);
  // A 2xx we cannot read may have been applied.
  f.maybe_applied = answer.status >= 200 && answer.status < 300;
  return f;
}

bool Is2xx(unsigned status) { return status >= 200 && status < 300; }

// No run of 5+ digits: a code or field path never carries something that could be a
// PAN, a phone number or a postal code.
bool HasNoDigitRun(std::string_view s) {
  int digits = 0;
  for (const char c : s) {
    digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
    if (digits >= 5) return false;
  }
  return true;
}

// A network code is echoed in messages only when it looks like one (no free text).
bool IsCodeText(std::string_view s) {
  if (s.empty() || s.size() > 40 || !HasNoDigitRun(s)) return false;
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A field path as the gateway names it in Source ("consumer.mobileNumber.phoneNumber").
bool IsFieldPath(std::string_view s) {
  if (s.empty() || s.size() > 64 || !HasNoDigitRun(s)) return false;
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '/';
    if (!ok) return false;
  }
  return true;
}

Failure StatusOnlyFailure(const Answer& answer) {
  FailureReason reason = FailureReason::kRejected;
  if (answer.status == 429) {
    reason = FailureReason::kRateLimited;
  } else if (answer.status >= 500 || answer.status == 408) {
    reason = FailureReason::kUnavailable;
  } else if (answer.status == 404) {
    reason = FailureReason::kNotEnrolled;
  } else if (Is2xx(answer.status) || answer.status < 200 || answer.status >= 600) {
    return Malformed(answer, "unexpected status");
  }
  Failure f = MakeFailure(reason, "directory answered HTTP " + std::to_string(answer.status),
                          answer.status);
  f.retry_after = ParseRetryAfter(answer.retry_after);
  return f;
}

FailureReason VisaReason(std::string_view code, unsigned status) {
  if (code == "VIDC-2000") return FailureReason::kAlreadyEnrolled;
  if (code == "VIDC-2001" || code == "VIDC-2005" || code == "NOT_FOUND") {
    return FailureReason::kNotEnrolled;
  }
  if (code == "VIDC-2003") return FailureReason::kCardExpired;
  if (code == "VIDC-2004") return FailureReason::kCardAlreadyExists;
  if (code == "VIDC-2006") return FailureReason::kCardNotEligible;
  if (code == "VIDC-7000") return FailureReason::kTokenizationDeclined;
  if (code == "VIDC-3000") return FailureReason::kInProgress;
  if (code == "VIDC-5000") return FailureReason::kUnavailable;
  if (status == 429) return FailureReason::kRateLimited;
  if (status >= 500) return FailureReason::kUnavailable;
  return FailureReason::kRejected;  // VIDC-1000…1003, UNAUTHORIZED, anything else 4xx
}

FailureReason MastercardReason(std::string_view code, unsigned status) {
  if (code == "NOT_FOUND") return FailureReason::kNotEnrolled;
  if (code == "ALREADY_EXISTS") return FailureReason::kCardAlreadyExists;
  if (code == "CARD_NOT_ELIGIBLE") return FailureReason::kCardNotEligible;
  if (code == "TOKENIZATION_DECLINED") return FailureReason::kTokenizationDeclined;
  if (code == "RATE_LIMITED" || status == 429) return FailureReason::kRateLimited;
  if (code == "SERVICE_UNAVAILABLE" || status >= 500) return FailureReason::kUnavailable;
  return FailureReason::kRejected;  // INVALID_FIELD, UNAUTHORIZED, anything else 4xx
}

Failure CodedFailure(const Answer& answer, FailureReason reason, std::string_view code) {
  std::string message = "directory answered HTTP " + std::to_string(answer.status);
  if (IsCodeText(code)) message += " " + std::string(code);
  Failure f = MakeFailure(reason, std::move(message), answer.status);
  if (IsCodeText(code)) f.network_code = std::string(code);
  f.retry_after = ParseRetryAfter(answer.retry_after);
  return f;
}

bool SuccessDetailFor(const json::object& d, std::string_view card) {
  if (card.empty()) return true;
  const auto id = StringMember(d, "externalCardID");
  return id && *id == card;
}

}  // namespace

std::string_view FailureCodeOf(FailureReason reason) {
  switch (reason) {
    case FailureReason::kDataIncomplete:
      return "CONSUMER_DATA_INCOMPLETE";
    case FailureReason::kCardExpired:
      return "CARD_EXPIRED";
    case FailureReason::kCardNotEligible:
      return "CARD_NOT_ELIGIBLE";
    case FailureReason::kTokenizationDeclined:
      return "TOKENIZATION_DECLINED";
    case FailureReason::kRejected:
    case FailureReason::kAlreadyEnrolled:
    case FailureReason::kNotEnrolled:
    case FailureReason::kCardAlreadyExists:
      return "NETWORK_REJECTED";
    case FailureReason::kInProgress:
    case FailureReason::kRateLimited:
    case FailureReason::kUnavailable:
    case FailureReason::kTimeout:
    case FailureReason::kConnection:
    case FailureReason::kMalformedAnswer:
    case FailureReason::kLeaseEnding:
      return "NETWORK_UNAVAILABLE";
  }
  return "NETWORK_REJECTED";
}

bool IsRetryable(FailureReason reason) { return FailureCodeOf(reason) == "NETWORK_UNAVAILABLE"; }

Failure MakeFailure(FailureReason reason, std::string message, unsigned http_status) {
  Failure f;
  f.reason = reason;
  f.retryable = IsRetryable(reason);
  f.failure_code = std::string(FailureCodeOf(reason));
  f.http_status = http_status;
  f.message = std::move(message);
  return f;
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value) {
  if (value.empty() || value.size() > 5) return std::nullopt;
  long n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < 0 || n > 86400) {
    return std::nullopt;
  }
  return std::chrono::seconds(n);
}

Failure TransportFailure(const http::TransportError& error) {
  using K = http::TransportErrorKind;
  switch (error.kind) {
    case K::kTimeout: {
      Failure f = MakeFailure(FailureReason::kTimeout, error.message);
      f.maybe_applied = true;
      return f;
    }
    case K::kConnectionLost:
    case K::kResponseTooLarge:
    case K::kCancelled:
    case K::kOther: {
      Failure f = MakeFailure(FailureReason::kConnection, error.message);
      f.maybe_applied = true;
      return f;
    }
    case K::kConnect:
    case K::kTls:
      return MakeFailure(FailureReason::kConnection, error.message);
    case K::kInvalidRequest:
      return MakeFailure(FailureReason::kRejected, error.message);
  }
  return MakeFailure(FailureReason::kConnection, error.message);
}

// ---- Visa-like ----

Failure ReadVisaError(const Answer& answer) {
  const auto body = ParseObject(answer.body);
  if (!body) return StatusOnlyFailure(answer);
  const auto reason = StringMember(*body, "reason");
  if (!reason) return StatusOnlyFailure(answer);
  return CodedFailure(answer, VisaReason(*reason, answer.status), *reason);
}

CallResult ReadVisaWriteAnswer(const Answer& answer) {
  if (answer.status != 202) {
    if (Is2xx(answer.status)) return tl::unexpected(Malformed(answer, "status"));
    return tl::unexpected(ReadVisaError(answer));
  }
  const auto body = ParseObject(answer.body);
  if (!body) return tl::unexpected(Malformed(answer, "body"));
  const auto trace = StringMember(*body, "requestTraceId");
  if (!trace || !IsExternalId(*trace, 128)) {
    return tl::unexpected(Malformed(answer, "requestTraceId"));
  }
  Outcome out;
  out.pending = true;
  out.trace_id = std::string(*trace);
  return out;
}

CallResult ReadVisaStatusAnswer(const Answer& answer, std::string_view external_card_id) {
  if (answer.status != 200) {
    if (Is2xx(answer.status)) return tl::unexpected(Malformed(answer, "status"));
    return tl::unexpected(ReadVisaError(answer));
  }
  const auto body = ParseObject(answer.body);
  if (!body) return tl::unexpected(Malformed(answer, "body"));
  const auto status = StringMember(*body, "status");
  if (!status) return tl::unexpected(Malformed(answer, "status"));
  if (*status == "IN_PROGRESS") {
    Outcome out;
    out.pending = true;
    return out;
  }
  if (*status != "COMPLETED") return tl::unexpected(Malformed(answer, "status"));
  const json::value* details = body->if_contains("details");
  if (details == nullptr || !details->is_array()) {
    return tl::unexpected(Malformed(answer, "details"));
  }
  for (const json::value& v : details->get_array()) {
    if (!v.is_object()) return tl::unexpected(Malformed(answer, "details"));
    const json::object& d = v.get_object();
    if (!SuccessDetailFor(d, external_card_id)) continue;
    const auto result = StringMember(d, "status");
    if (!result) return tl::unexpected(Malformed(answer, "details.status"));
    if (*result == "SUCCESS") {
      Outcome out;
      if (const auto token = StringMember(d, "tokenId")) out.digital_card_id = std::string(*token);
      if (!external_card_id.empty() && out.digital_card_id.empty()) {
        return tl::unexpected(Malformed(answer, "details.tokenId"));
      }
      return out;
    }
    if (*result != "FAILED") return tl::unexpected(Malformed(answer, "details.status"));
    std::string_view code;
    if (const json::value* e = d.if_contains("errorDetails"); e != nullptr && e->is_array()) {
      const json::array& errors = e->get_array();
      if (!errors.empty() && errors[0].is_object()) {
        code = StringMember(errors[0].get_object(), "reason").value_or("");
      }
    }
    // The request itself was answered: a failed card is the outcome, not an HTTP error.
    const Answer as_card{0, {}, {}};
    Failure f = CodedFailure(as_card, VisaReason(code, 0), code);
    f.message = "directory request failed for the card";
    if (IsCodeText(code)) f.message += ": " + std::string(code);
    return tl::unexpected(std::move(f));
  }
  return tl::unexpected(Malformed(answer, "details without the card"));
}

namespace {

Result<Profile> ReadCards(const Answer& answer, const json::object& body, bool visa,
                          std::string_view consumer_key, std::string_view cards_key,
                          std::string_view id_key, std::string_view token_key,
                          std::string_view last4_key) {
  Profile p;
  const json::value* consumer = body.if_contains(consumer_key);
  if (consumer == nullptr || !consumer->is_object()) {
    return tl::unexpected(Malformed(answer, consumer_key));
  }
  p.consumer = consumer->get_object();
  const json::value* cards = body.if_contains(cards_key);
  if (cards == nullptr || !cards->is_array()) return tl::unexpected(Malformed(answer, cards_key));
  for (const json::value& v : cards->get_array()) {
    if (!v.is_object()) return tl::unexpected(Malformed(answer, cards_key));
    const json::object& c = v.get_object();
    const auto id = StringMember(c, id_key);
    if (!id) return tl::unexpected(Malformed(answer, id_key));
    ProfileCard card;
    card.external_card_id = std::string(*id);
    card.digital_card_id = std::string(StringMember(c, token_key).value_or(""));
    card.last4 = std::string(StringMember(c, last4_key).value_or(""));
    card.status = std::string(StringMember(c, "status").value_or(""));
    if (const json::value* a = c.if_contains("billingAddress"); a != nullptr && a->is_object()) {
      card.billing_address =
          visa ? BillingFromVisa(a->get_object()) : BillingFromMastercard(a->get_object());
    }
    if (visa) {
      card.exp = DisplayExpiryFromVisa(StringMember(c, "expirationDate").value_or(""));
      card.name = std::string(StringMember(c, "nameOnCard").value_or(""));
    } else {
      card.exp = DisplayExpiryFromMastercard(StringMember(c, "panExpirationMonth").value_or(""),
                                             StringMember(c, "panExpirationYear").value_or(""));
    }
    p.cards.push_back(std::move(card));
  }
  p.consumer_info = visa ? ConsumerFromVisa(p.consumer) : ConsumerFromMastercard(p.consumer);
  return p;
}

}  // namespace

Result<Profile> ReadVisaProfile(const Answer& answer) {
  if (answer.status != 200) {
    if (Is2xx(answer.status)) return tl::unexpected(Malformed(answer, "status"));
    return tl::unexpected(ReadVisaError(answer));
  }
  const auto body = ParseObject(answer.body);
  if (!body) return tl::unexpected(Malformed(answer, "body"));
  return ReadCards(answer, *body, true, "consumerInformation", "paymentInstruments",
                   "externalCardID", "tokenId", "last4");
}

// ---- Mastercard-like ----

Failure ReadMastercardError(const Answer& answer) {
  const auto body = ParseObject(answer.body);
  if (!body) return StatusOnlyFailure(answer);
  const json::value* errors = body->if_contains("Errors");
  const json::value* list = errors != nullptr && errors->is_object()
                                ? errors->get_object().if_contains("Error")
                                : nullptr;
  if (list == nullptr || !list->is_array() || list->get_array().empty() ||
      !list->get_array()[0].is_object()) {
    return StatusOnlyFailure(answer);
  }
  const json::object& e = list->get_array()[0].get_object();
  const auto code = StringMember(e, "ReasonCode").value_or("");
  Failure f = CodedFailure(answer, MastercardReason(code, answer.status), code);
  if (const json::value* r = e.if_contains("Recoverable");
      r != nullptr && r->is_bool() && r->get_bool() && !f.retryable) {
    // The gateway says a retry may work: trust it for 5xx-like reasons only; a refusal of
    // the data stays final whatever the flag says.
    if (answer.status >= 500) f = CodedFailure(answer, FailureReason::kUnavailable, code);
  }
  if (const json::value* d = e.if_contains("Details"); d != nullptr && d->is_object()) {
    if (const json::value* c = d->get_object().if_contains("consumerCreated");
        c != nullptr && c->is_bool()) {
      f.consumer_created = c->get_bool();
    }
  }
  if (f.reason == FailureReason::kRejected) {
    if (const auto source = StringMember(e, "Source"); source && IsFieldPath(*source)) {
      f.fields.emplace_back(*source);
    }
  }
  return f;
}

CallResult ReadMastercardEnrolAnswer(const Answer& answer) {
  if (answer.status != 200) {
    if (Is2xx(answer.status)) return tl::unexpected(Malformed(answer, "status"));
    return tl::unexpected(ReadMastercardError(answer));
  }
  const auto body = ParseObject(answer.body);
  if (!body) return tl::unexpected(Malformed(answer, "body"));
  const auto card = StringMember(*body, "srcDigitalCardId");
  if (!card || card->empty()) return tl::unexpected(Malformed(answer, "srcDigitalCardId"));
  const json::value* created = body->if_contains("consumerCreated");
  if (created == nullptr || !created->is_bool()) {
    return tl::unexpected(Malformed(answer, "consumerCreated"));
  }
  Outcome out;
  out.digital_card_id = std::string(*card);
  out.consumer_created = created->get_bool();
  return out;
}

CallResult ReadMastercardWriteAnswer(const Answer& answer) {
  if (answer.status == 200 || answer.status == 204) return Outcome{};
  if (Is2xx(answer.status)) return tl::unexpected(Malformed(answer, "status"));
  return tl::unexpected(ReadMastercardError(answer));
}

Result<Profile> ReadMastercardProfile(const Answer& answer) {
  if (answer.status != 200) {
    if (Is2xx(answer.status)) return tl::unexpected(Malformed(answer, "status"));
    return tl::unexpected(ReadMastercardError(answer));
  }
  const auto body = ParseObject(answer.body);
  if (!body) return tl::unexpected(Malformed(answer, "body"));
  return ReadCards(answer, *body, false, "consumer", "cards", "externalCardId", "srcDigitalCardId",
                   "panLastFour");
}

}  // namespace c2p::networks
