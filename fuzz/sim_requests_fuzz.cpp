// libFuzzer target for c2psim's directory request readers (tools/c2psim/requests.hpp) and
// its token-event control (token_control.hpp).
// The first byte picks the reader: its low bits a Visa-like call or a Mastercard-like
// reader, its top bit "plaintext mode", where the rest of the input is the decrypted card
// of an otherwise valid enrolment (encrypted here to the simulator's fixed key), so the
// card readers are reached too.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a refusal with a status other than 400, a reason outside the documented ones, or an
//    empty message;
//  - a message holding a run of 5+ digits or a quote character: messages name fields and
//    rules, never values (which may be card data).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/serialize.hpp>

#include "requests.hpp"
#include "token_control.hpp"

namespace {

namespace sim = c2p::sim;
namespace jose = c2p::jose;
namespace json = boost::json;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "sim_requests_fuzz: FINDING: %s\n", what);
  std::abort();
}

struct Keys {
  Keys() : key(jose::RsaKey::Generate()) {
    key.set_kid("sim-fuzz");
    if (!keys.AddRsaOaep256(key)) Die("key setup");
  }
  jose::RsaKey key;
  jose::JweDecryptionKeys keys;
};

const Keys& FuzzKeys() {
  static const Keys k;
  return k;
}

void CheckError(const sim::DirectoryError& e, std::string_view input, bool visa) {
  if (e.status != 400) Die("status other than 400");
  if (e.message.empty()) Die("empty message");
  if (visa) {
    if (e.reason != "VIDC-1000" && e.reason != "VIDC-1001" && e.reason != "VIDC-1002" &&
        e.reason != "VIDC-1003") {
      Die("unexpected Visa reason");
    }
  } else if (e.reason != "INVALID_FIELD" || e.source.empty()) {
    Die("unexpected Mastercard reason or no source");
  }
  // Messages name fields (which the input names too), never values: no run of 5+ digits
  // (a PAN, a phone; the rules' own numbers have at most 3), and no quote character.
  std::size_t digits = 0;
  for (char c : e.message) {
    digits = (c >= '0' && c <= '9') ? digits + 1 : 0;
    if (digits >= 5) Die("message holds a digit run (card data?)");
    if (c == '"' || c == '\\') Die("message quotes input");
  }
  (void)input;
}

std::string Seal(std::string_view plaintext) {
  return jose::EncryptRsaOaep256(
      {reinterpret_cast<const std::uint8_t*>(plaintext.data()), plaintext.size()}, FuzzKeys().key);
}

std::string VisaEnrolWith(const std::string& jwe) {
  return json::serialize(json::object{
      {"intent", {{"type", "PRODUCT_CODE"}, {"value", "CLICK_TO_PAY"}}},
      {"consumerInformation",
       {{"externalConsumerID", "c"},
        {"firstName", "A"},
        {"lastName", "B"},
        {"emails", json::array{"a@b.c"}},
        {"phones", json::array{"33612345678"}},
        {"locale", "en_US"},
        {"countryCode", "FRA"}}},
      {"paymentInstruments",
       json::array{{{"type", "CARD"}, {"externalCardID", "k"}, {"encryptedData", jwe}}}}});
}

std::string McEnrolWith(const std::string& jwe) {
  return json::serialize(
      json::object{{"srcClientId", "s"},
                   {"serviceId", "s"},
                   {"externalConsumerId", "c"},
                   {"externalCardId", "k"},
                   {"consumer",
                    {{"firstName", "A"},
                     {"lastName", "B"},
                     {"emailAddress", "a@b.c"},
                     {"mobileNumber", {{"countryCode", "33"}, {"phoneNumber", "612345678"}}},
                     {"locale", "en_US"},
                     {"countryCode", "FR"}}},
                   {"encryptedCard", jwe}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t selector = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const bool plaintext = (selector & 0x80) != 0;
  const int which = (selector & 0x7f) % 11;
  if (plaintext) {
    if (input.size() > 4096) return 0;
    const std::string jwe = Seal(input);
    if (which % 2 == 0) {
      auto r =
          sim::ReadVisaRequest(sim::VisaCall::kEnrollData, VisaEnrolWith(jwe), FuzzKeys().keys);
      if (!r) CheckError(r.error(), input, true);
      if (r && (r->cards.size() != 1 || r->cards[0].card.pan.size() < 12)) Die("bad card");
    } else {
      auto r = sim::ReadMastercardEnrolment(McEnrolWith(jwe), FuzzKeys().keys);
      if (!r) CheckError(r.error(), input, false);
      if (r && (r->card.exp_month < 1 || r->card.exp_month > 12)) Die("bad month");
    }
    return 0;
  }
  if (which < 7) {
    auto r = sim::ReadVisaRequest(static_cast<sim::VisaCall>(which), input, FuzzKeys().keys);
    if (!r) CheckError(r.error(), input, true);
  } else if (which == 7) {
    auto r = sim::ReadMastercardEnrolment(input, FuzzKeys().keys);
    if (!r) CheckError(r.error(), input, false);
  } else if (which == 8) {
    auto r = sim::ReadMastercardConsumer(input);
    if (!r) CheckError(r.error(), input, false);
  } else if (which == 9) {
    auto r = sim::ReadMastercardCardUpdate(input);
    if (!r) CheckError(r.error(), input, false);
  } else {
    // The token-event sim control: a refusal names the member, never the input.
    std::string error;
    if (!sim::ReadTokenEventControl(input, error)) {
      if (error.empty()) Die("token control refusal without a message");
      if (error.find('"') != std::string::npos) Die("token control message quotes input");
    }
  }
  return 0;
}
