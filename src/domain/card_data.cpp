#include "domain/card_data.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

#include "core/luhn.hpp"
#include "domain/field_rules.hpp"
#include "domain/secret_json.hpp"

namespace c2p::domain {

namespace {

constexpr std::array<std::string_view, 3> kMembers = {"pan", "exp", "name"};
constexpr std::string_view kField = "/encryptedData";

tl::unexpected<core::Error> Refuse(std::string message) {
  return core::Fail(core::ErrorCode::kInvalidCardData, std::move(message), std::string(kField));
}

std::string_view StructureMessage(SecretJsonError error) {
  switch (error) {
    case SecretJsonError::kSyntax:
      return "card data must be a JSON object";
    case SecretJsonError::kNotAString:
      return "card data members must be strings";
    case SecretJsonError::kUnknownMember:
      return "card data may hold only pan, exp and name";
    case SecretJsonError::kDuplicateMember:
      return "card data has a duplicate member";
  }
  return "card data must be a JSON object";
}

bool IsPanText(std::string_view pan) {
  if (pan.size() < 12 || pan.size() > 19) return false;
  return std::all_of(pan.begin(), pan.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string TwoDigits(int value) {
  return {static_cast<char>('0' + value / 10 % 10), static_cast<char>('0' + value % 10)};
}

void Append(core::SecretBytes& out, std::size_t& at, std::string_view text) {
  std::memcpy(out.data() + at, text.data(), text.size());
  at += text.size();
}

}  // namespace

std::string CardExpiry::ToMmYy() const { return TwoDigits(month) + TwoDigits(year); }

std::string CardExpiry::ToDisplay() const { return TwoDigits(month) + "/" + TwoDigits(year); }

std::optional<CardExpiry> ParseExpiry(std::string_view mmyy) {
  if (mmyy.size() != 4 ||
      !std::all_of(mmyy.begin(), mmyy.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  const int month = (mmyy[0] - '0') * 10 + (mmyy[1] - '0');
  const int year = 2000 + (mmyy[2] - '0') * 10 + (mmyy[3] - '0');
  if (month < 1 || month > 12) return std::nullopt;
  return CardExpiry{year, month};
}

bool IsExpired(const CardExpiry& expiry, core::SystemTime now) {
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  const CardExpiry current{static_cast<int>(today.year()),
                           static_cast<int>(static_cast<unsigned>(today.month()))};
  return expiry < current;
}

std::string CardData::PanLast4() const {
  const std::string_view digits = pan.as_text();
  return std::string(digits.substr(digits.size() < 4 ? 0 : digits.size() - 4));
}

core::Result<CardData> ParseCardData(const core::SecretBytes& plaintext,
                                     std::optional<core::SystemTime> now) {
  auto object = ParseSecretStringObject(plaintext.as_text(), kMembers);
  if (!object) return Refuse(std::string(StructureMessage(object.error())));

  const auto pan = object->Get("pan");
  if (!pan) return Refuse("card data has no pan");
  if (!IsPanText(*pan)) return Refuse("pan must be 12 to 19 digits");
  if (!core::PassesLuhn(*pan)) return Refuse("pan fails the Luhn check");

  const auto exp_text = object->Get("exp");
  if (!exp_text) return Refuse("card data has no exp");
  const auto exp = ParseExpiry(*exp_text);
  if (!exp) return Refuse("exp must be MMYY with a month from 01 to 12");
  if (now && IsExpired(*exp, *now)) return Refuse("the card has expired");

  CardData card{core::SecretBytes(*pan), *exp, std::nullopt};
  if (const auto name = object->Get("name")) {
    if (!IsCardholderName(*name)) {
      return Refuse("name must be " + std::string(kCardholderNameRule.requirement));
    }
    card.name.emplace(*name);
  }
  return card;
}

core::SecretBytes SerializeCardData(const CardData& card) {
  // Digits and the name's characters need no JSON escaping (the name rule admits no '"',
  // '\\' or control character), so the pieces are copied as they are, into a buffer sized
  // once: growing would leave unwiped copies behind.
  constexpr std::string_view kPan = R"({"pan":")";
  constexpr std::string_view kExp = R"(","exp":")";
  constexpr std::string_view kName = R"(","name":")";
  constexpr std::string_view kEnd = R"("})";
  const std::string exp = card.exp.ToMmYy();
  std::size_t size = kPan.size() + card.pan.size() + kExp.size() + exp.size() + kEnd.size();
  if (card.name) size += kName.size() + card.name->size();
  core::SecretBytes out(size);
  std::size_t at = 0;
  Append(out, at, kPan);
  Append(out, at, card.pan.as_text());
  Append(out, at, kExp);
  Append(out, at, exp);
  if (card.name) {
    Append(out, at, kName);
    Append(out, at, card.name->as_text());
  }
  Append(out, at, kEnd);
  return out;
}

}  // namespace c2p::domain
