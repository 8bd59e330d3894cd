// libFuzzer target for domain::ParseCardData, the reader of decrypted card data, and the
// hand-written JSON parser under it (domain/secret_json.hpp).
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report (an out-of-bounds write into the wiped buffer included);
//  - a refusal other than kInvalidCardData on "/encryptedData", or a message quoting the
//    input;
//  - disagreement with core::ParseStrictJson about the structure: the hand parser must
//    accept exactly the objects of string members among pan/exp/name that the strict
//    reader accepts, with the same decoded values;
//  - accepted card data breaking the rules (PAN 12..19 digits and Luhn-valid, exp not
//    before the fixed clock), or not surviving SerializeCardData + ParseCardData.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/luhn.hpp"
#include "core/strict_json.hpp"
#include "domain/card_data.hpp"
#include "domain/secret_json.hpp"
#include "fuzz/finding_rules.hpp"

namespace {

namespace domain = c2p::domain;
namespace core = c2p::core;

constexpr std::array<std::string_view, 3> kNames = {"pan", "exp", "name"};

// 2026-01-17T06:28:02Z.
constexpr std::int64_t kNowMillis = 1'768'631'282'000;

// Characters of the fixed messages: an input made only of them may be a piece of one.
constexpr std::string_view kMessageAlphabet =
    " ,.'_#;:/-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr c2p::fuzz::FindingRules kRules{"card_data_fuzz", kMessageAlphabet, 8};

// The strict reader's verdict on the structure (an object of string members among kNames)
// must be the hand parser's, and so must the decoded values.
bool StrictAgrees(std::string_view input,
                  const tl::expected<domain::SecretStringObject, domain::SecretJsonError>& hand) {
  auto strict = core::ParseStrictJson(input);
  bool strict_ok = strict && strict->is_object();
  if (strict_ok) {
    for (const auto& member : strict->get_object()) {
      const bool known = std::find(kNames.begin(), kNames.end(), member.key()) != kNames.end();
      if (!known || !member.value().is_string()) strict_ok = false;
    }
  }
  if (strict_ok != static_cast<bool>(hand)) return false;
  if (!strict_ok) return true;
  for (std::string_view name : kNames) {
    const auto* value = strict->get_object().if_contains(name);
    const auto mine = hand->Get(name);
    if ((value == nullptr) != !mine) return false;
    if (value != nullptr && std::string_view(value->get_string()) != *mine) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const core::SystemTime now = core::FromUnixMillis(kNowMillis);

  const auto hand = domain::ParseSecretStringObject(input, kNames);
  if (!StrictAgrees(input, hand))
    kRules.Die("the card data parser and the strict JSON reader disagree");

  const core::SecretBytes plaintext(input);
  auto card = domain::ParseCardData(plaintext, now);
  if (!card) {
    if (card.error().code != core::ErrorCode::kInvalidCardData)
      kRules.Die("refusal with another code");
    if (card.error().field != "/encryptedData") kRules.Die("refusal naming another field");
    if (kRules.Quotes(card.error().message, input)) kRules.Die("a message quotes the input");
    return 0;
  }
  const std::string_view pan = card->pan.as_text();
  if (pan.size() < 12 || pan.size() > 19 || !core::PassesLuhn(pan))
    kRules.Die("accepted a bad PAN");
  if (domain::IsExpired(card->exp, now)) kRules.Die("accepted an expired card");

  const core::SecretBytes again = domain::SerializeCardData(*card);
  auto reread = domain::ParseCardData(again, now);
  if (!reread) kRules.Die("serialised card data does not read back");
  if (reread->pan.as_text() != pan || reread->exp != card->exp ||
      reread->name.has_value() != card->name.has_value() ||
      (card->name && reread->name->as_text() != card->name->as_text())) {
    kRules.Die("serialised card data reads back different");
  }
  return 0;
}
