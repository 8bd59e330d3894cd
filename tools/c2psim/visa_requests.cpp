// The Visa-like directory's request readers (spec/networks.md §1).

#include <optional>

#include "core/secret_bytes.hpp"
#include "core/strict_json.hpp"
#include "domain/country_codes.hpp"
#include "fields.hpp"
#include "requests.hpp"

namespace c2p::sim {
namespace json = boost::json;

CardData::~CardData() { core::SecureWipe(pan.data(), pan.size()); }

namespace {

DirectoryError Visa(std::string reason, std::string message) {
  DirectoryError e;
  e.status = 400;
  e.reason = std::move(reason);
  e.message = std::move(message);
  return e;
}

tl::unexpected<DirectoryError> FromProblem(const FieldProblem& p) {
  return tl::unexpected(
      Visa(p.kind == FieldProblem::Kind::kMissing ? "VIDC-1001" : "VIDC-1002", p.message));
}

bool IsAlpha3(std::string_view s) { return domain::IsCountryAlpha3(s); }

// intent {type: PRODUCT_CODE, value: CLICK_TO_PAY}
void ReadIntent(FieldReader& r) {
  const json::object* intent = r.Object("intent");
  if (intent == nullptr) return;
  FieldReader i(intent, "intent");
  const auto type = i.Required("type");
  const auto value = i.Required("value");
  if (i.ok() && type != "PRODUCT_CODE")
    i.Fail(FieldProblem::Kind::kFormat, "type", "must be PRODUCT_CODE");
  if (i.ok() && value != "CLICK_TO_PAY")
    i.Fail(FieldProblem::Kind::kFormat, "value", "must be CLICK_TO_PAY");
  r.Adopt(i);
}

// A one-element array of strings that satisfy `rule`.
std::string ReadSingleton(FieldReader& r, std::string_view key, bool (*rule)(std::string_view),
                          std::string_view what) {
  const json::array* a = r.Array(key);
  if (a == nullptr) return {};
  if (a->size() != 1 || !(*a)[0].is_string() || !rule((*a)[0].get_string())) {
    r.Fail(FieldProblem::Kind::kFormat, key, "must hold exactly one " + std::string(what));
    return {};
  }
  return std::string((*a)[0].get_string());
}

// billingAddress {addressLine1..3, city, state, postalCode, country (alpha-3)}
void ReadVisaAddress(FieldReader& parent, const json::object* address, std::string_view key) {
  if (address == nullptr) return;
  FieldReader a(address, parent.Path(key));
  for (const char* line :
       {"addressLine1", "addressLine2", "addressLine3", "city", "state", "postalCode"}) {
    a.Optional(line, 128);
  }
  a.Checked("country", IsAlpha3, "an ISO 3166-1 alpha-3 country code");
  parent.Adopt(a);
}

// The full consumerInformation of enrollData / manageConsumerInformation.
void ReadFullConsumer(FieldReader& c, VisaRequest& out) {
  c.Required("firstName", 80);
  c.Optional("middleName", 80);
  c.Required("lastName", 80);
  out.email = ReadSingleton(c, "emails", IsEmail, "email address");
  ReadSingleton(c, "phones", IsPhoneDigits, "phone number of 4 to 15 digits");
  c.Checked("locale", IsLocale, "a locale like en_US");
  c.Checked("countryCode", IsAlpha3, "an ISO 3166-1 alpha-3 country code");
}

// The decrypted card of a paymentInstrument.
DirResult<CardData> ReadCardPlaintext(std::string_view jwe, const jose::JweDecryptionKeys& keys,
                                      const std::string& path) {
  auto plain = jose::DecryptJwe(jwe, keys);
  if (!plain) return tl::unexpected(Visa("VIDC-1003", path + " cannot be decrypted"));
  auto parsed = core::ParseStrictJson(plain->as_text());
  if (!parsed || !parsed->is_object()) {
    return tl::unexpected(Visa("VIDC-1003", path + " does not hold a card object"));
  }
  FieldReader r(&parsed->get_object(), path);
  CardData card;
  const auto pan = r.Checked("accountNumber", IsPan, "12 to 19 digits passing Luhn");
  const auto exp = r.Checked("expirationDate", IsYearMonth, "YYYY-MM");
  const auto name = r.Optional("nameOnCard", 26);
  ReadVisaAddress(r, r.Object("billingAddress", false), "billingAddress");
  if (!r.ok()) {
    if (auto* s = parsed->get_object().if_contains("accountNumber"); s && s->is_string()) {
      core::SecureWipe(s->get_string().data(), s->get_string().size());
    }
    return FromProblem(r.problem());
  }
  card.pan = std::string(pan);
  card.exp_year = std::stoi(std::string(exp.substr(0, 4)));
  card.exp_month = std::stoi(std::string(exp.substr(5, 2)));
  card.name = std::string(name);
  if (const auto* a = parsed->get_object().if_contains("billingAddress")) {
    card.billing_address = a->get_object();
  }
  auto& kept = parsed->get_object().at("accountNumber").get_string();
  core::SecureWipe(kept.data(), kept.size());
  return card;
}

// A card whose encryptedData is unusable comes back as the error (VIDC-1003 or the
// plaintext's own field problem); field problems of the list itself go to `r`.
std::optional<DirectoryError> ReadCards(FieldReader& r, const jose::JweDecryptionKeys& keys,
                                        VisaRequest& out) {
  const json::array* list = r.Array("paymentInstruments");
  if (list == nullptr) return std::nullopt;
  if (list->empty() || list->size() > 10) {
    r.Fail(FieldProblem::Kind::kFormat, "paymentInstruments", "must hold 1 to 10 cards");
    return std::nullopt;
  }
  for (std::size_t i = 0; i < list->size() && r.ok(); ++i) {
    const std::string path = "paymentInstruments[" + std::to_string(i) + "]";
    if (!(*list)[i].is_object()) {
      r.Fail(FieldProblem::Kind::kFormat, "paymentInstruments", "must hold objects");
      return std::nullopt;
    }
    FieldReader p(&(*list)[i].get_object(), path);
    const auto type = p.Required("type");
    if (p.ok() && type != "CARD") p.Fail(FieldProblem::Kind::kFormat, "type", "must be CARD");
    const auto id = p.Checked("externalCardID", IsExternalId, "1 to 64 of [A-Za-z0-9._:-]");
    const auto jwe = p.Required("encryptedData", jose::kMaxJweCompactBytes);
    r.Adopt(p);
    if (!r.ok()) return std::nullopt;
    auto card = ReadCardPlaintext(jwe, keys, path + ".encryptedData");
    if (!card) return std::move(card.error());
    out.cards.push_back(VisaCard{std::string(id), std::move(*card)});
  }
  return std::nullopt;
}

void ReadUpdates(FieldReader& r, VisaRequest& out, bool deleting) {
  const json::array* list = r.Array("paymentInstruments");
  if (list == nullptr) return;
  if (list->empty() || list->size() > 10) {
    r.Fail(FieldProblem::Kind::kFormat, "paymentInstruments", "must hold 1 to 10 cards");
    return;
  }
  for (std::size_t i = 0; i < list->size() && r.ok(); ++i) {
    if (!(*list)[i].is_object()) {
      r.Fail(FieldProblem::Kind::kFormat, "paymentInstruments", "must hold objects");
      return;
    }
    FieldReader p(&(*list)[i].get_object(), "paymentInstruments[" + std::to_string(i) + "]");
    const auto id = p.Checked("externalCardID", IsExternalId, "1 to 64 of [A-Za-z0-9._:-]");
    if (deleting) {
      r.Adopt(p);
      if (r.ok()) out.card_ids.emplace_back(id);
      continue;
    }
    VisaCardUpdate u;
    u.external_card_id = std::string(id);
    u.name_on_card = std::string(p.Optional("nameOnCard", 26));
    if (const json::object* a = p.Object("billingAddress", false)) {
      ReadVisaAddress(p, a, "billingAddress");
      u.billing_address = *a;
    }
    const auto status = p.Optional("status");
    if (p.ok() && !status.empty() && status != "ACTIVE" && status != "SUSPENDED") {
      p.Fail(FieldProblem::Kind::kFormat, "status", "must be ACTIVE or SUSPENDED");
    }
    u.status = std::string(status);
    r.Adopt(p);
    if (r.ok()) out.updates.push_back(std::move(u));
  }
}

}  // namespace

DirResult<VisaRequest> ReadVisaRequest(VisaCall call, std::string_view body,
                                       const jose::JweDecryptionKeys& keys) {
  auto parsed = core::ParseStrictJson(body);
  if (!parsed || !parsed->is_object()) {
    return tl::unexpected(Visa("VIDC-1000", "the body must be a JSON object"));
  }
  FieldReader r(&parsed->get_object(), "");
  VisaRequest out;
  out.call = call;
  ReadIntent(r);
  const json::object* consumer = r.Object("consumerInformation");
  FieldReader c(consumer, "consumerInformation");
  out.consumer_id =
      std::string(c.Checked("externalConsumerID", IsExternalId, "1 to 64 of [A-Za-z0-9._:-]"));
  const bool full = call == VisaCall::kEnrollData || call == VisaCall::kManageConsumerInformation;
  if (full) {
    ReadFullConsumer(c, out);
    if (c.ok()) out.consumer = *consumer;
  }
  r.Adopt(c);
  std::optional<DirectoryError> failure;
  switch (call) {
    case VisaCall::kEnrollData:
    case VisaCall::kEnrollPaymentInstruments:
      if (r.ok()) failure = ReadCards(r, keys, out);
      break;
    case VisaCall::kManagePaymentInstruments:
      if (r.ok()) ReadUpdates(r, out, false);
      break;
    case VisaCall::kDeletePaymentInstruments:
      if (r.ok()) ReadUpdates(r, out, true);
      break;
    case VisaCall::kManageConsumerInformation:
    case VisaCall::kDeleteConsumerInformation:
    case VisaCall::kGetData:
      break;
  }
  if (failure) return tl::unexpected(std::move(*failure));
  if (!r.ok()) return FromProblem(r.problem());
  return out;
}

}  // namespace c2p::sim
