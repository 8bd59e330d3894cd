// The Mastercard-like directory's request readers (spec/networks.md §2).

#include "core/secret_bytes.hpp"
#include "core/strict_json.hpp"
#include "domain/country_codes.hpp"
#include "fields.hpp"
#include "requests.hpp"

namespace c2p::sim {
namespace json = boost::json;

namespace {

tl::unexpected<DirectoryError> Invalid(std::string source, std::string message) {
  DirectoryError e;
  e.status = 400;
  e.reason = "INVALID_FIELD";
  e.source = std::move(source);
  e.message = std::move(message);
  return tl::unexpected(std::move(e));
}

tl::unexpected<DirectoryError> FromProblem(const FieldProblem& p) {
  return Invalid(p.field, p.message);
}

bool IsAlpha2(std::string_view s) { return domain::IsCountryCode(s); }
bool IsCallingCode(std::string_view s) { return s.size() <= 3 && AllDigits(s); }
bool IsSubscriber(std::string_view s) { return s.size() >= 4 && s.size() <= 14 && AllDigits(s); }
bool IsStatus(std::string_view s) { return s == "ACTIVE" || s == "SUSPENDED"; }

// billingAddress {line1..3, city, state, zip, countryCode (alpha-2)}
void ReadAddress(FieldReader& parent, const json::object* address) {
  if (address == nullptr) return;
  FieldReader a(address, parent.Path("billingAddress"));
  for (const char* line : {"line1", "line2", "line3", "city", "state", "zip"})
    a.Optional(line, 128);
  a.Checked("countryCode", IsAlpha2, "an ISO 3166-1 alpha-2 country code");
  parent.Adopt(a);
}

// consumer {firstName, lastName, emailAddress, mobileNumber{countryCode, phoneNumber},
// locale, countryCode (alpha-2)}
std::string ReadConsumer(FieldReader& r) {
  const json::object* consumer = r.Object("consumer");
  FieldReader c(consumer, r.Path("consumer"));
  c.Required("firstName", 80);
  c.Required("lastName", 80);
  std::string email(c.Checked("emailAddress", IsEmail, "an email address"));
  if (const json::object* mobile = c.Object("mobileNumber")) {
    FieldReader m(mobile, c.Path("mobileNumber"));
    m.Checked("countryCode", IsCallingCode, "1 to 3 digits");
    m.Checked("phoneNumber", IsSubscriber, "4 to 14 digits");
    c.Adopt(m);
  }
  c.Checked("locale", IsLocale, "a locale like en_US");
  c.Checked("countryCode", IsAlpha2, "an ISO 3166-1 alpha-2 country code");
  r.Adopt(c);
  return email;
}

DirResult<CardData> ReadCard(std::string_view jwe, const jose::JweDecryptionKeys& keys) {
  auto plain = jose::DecryptJwe(jwe, keys);
  if (!plain) return Invalid("encryptedCard", "encryptedCard cannot be decrypted");
  auto parsed = core::ParseStrictJson(plain->as_text());
  if (!parsed || !parsed->is_object()) {
    return Invalid("encryptedCard", "encryptedCard does not hold a card object");
  }
  json::object& o = parsed->get_object();
  FieldReader r(&o, "encryptedCard");
  const auto pan = r.Checked("primaryAccountNumber", IsPan, "12 to 19 digits passing Luhn");
  const auto month = r.Checked("panExpirationMonth", IsMonth, "MM");
  const auto year = r.Checked("panExpirationYear", IsYear, "YYYY");
  const auto name = r.Optional("cardholderFullName", 80);
  ReadAddress(r, r.Object("billingAddress", false));
  CardData card;
  if (r.ok()) {
    card.pan = std::string(pan);
    card.exp_month = std::stoi(std::string(month));
    card.exp_year = std::stoi(std::string(year));
    card.name = std::string(name);
    if (const auto* a = o.if_contains("billingAddress")) card.billing_address = a->get_object();
  }
  if (auto* s = o.if_contains("primaryAccountNumber"); s && s->is_string()) {
    core::SecureWipe(s->get_string().data(), s->get_string().size());
  }
  if (!r.ok()) return FromProblem(r.problem());
  return card;
}

}  // namespace

DirResult<MastercardEnrolment> ReadMastercardEnrolment(std::string_view body,
                                                       const jose::JweDecryptionKeys& keys) {
  auto parsed = core::ParseStrictJson(body);
  if (!parsed || !parsed->is_object()) return Invalid("body", "the body must be a JSON object");
  const json::object& o = parsed->get_object();
  FieldReader r(&o, "");
  MastercardEnrolment out;
  out.src_client_id = std::string(r.Required("srcClientId", 64));
  out.service_id = std::string(r.Required("serviceId", 64));
  out.consumer_id =
      std::string(r.Checked("externalConsumerId", IsExternalId, "1 to 64 of [A-Za-z0-9._:-]"));
  out.card_id =
      std::string(r.Checked("externalCardId", IsExternalId, "1 to 64 of [A-Za-z0-9._:-]"));
  out.email = ReadConsumer(r);
  const auto jwe = r.Required("encryptedCard", jose::kMaxJweCompactBytes);
  if (!r.ok()) return FromProblem(r.problem());
  out.consumer = o.at("consumer").get_object();
  auto card = ReadCard(jwe, keys);
  if (!card) return tl::unexpected(std::move(card.error()));
  out.card = std::move(*card);
  return out;
}

DirResult<MastercardConsumer> ReadMastercardConsumer(std::string_view body) {
  auto parsed = core::ParseStrictJson(body);
  if (!parsed || !parsed->is_object()) return Invalid("body", "the body must be a JSON object");
  FieldReader r(&parsed->get_object(), "");
  MastercardConsumer out;
  out.email = ReadConsumer(r);
  if (!r.ok()) return FromProblem(r.problem());
  out.consumer = parsed->get_object().at("consumer").get_object();
  return out;
}

DirResult<MastercardCardUpdate> ReadMastercardCardUpdate(std::string_view body) {
  auto parsed = core::ParseStrictJson(body);
  if (!parsed || !parsed->is_object()) return Invalid("body", "the body must be a JSON object");
  const json::object& o = parsed->get_object();
  FieldReader r(&o, "");
  MastercardCardUpdate out;
  const json::object* address = r.Object("billingAddress", false);
  ReadAddress(r, address);
  out.status = std::string(r.Checked("status", IsStatus, "ACTIVE or SUSPENDED", false));
  if (r.ok() && address == nullptr && out.status.empty()) {
    r.Fail(FieldProblem::Kind::kMissing, "billingAddress", "is required");
  }
  if (!r.ok()) return FromProblem(r.problem());
  if (address != nullptr) out.billing_address = *address;
  return out;
}

}  // namespace c2p::sim
