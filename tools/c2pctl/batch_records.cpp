#include "tools/c2pctl/batch_records.hpp"

#include <array>
#include <chrono>
#include <stdexcept>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/luhn.hpp"
#include "core/secret_bytes.hpp"
#include "domain/card_data.hpp"
#include "domain/consumer_info.hpp"
#include "jose/jcs.hpp"
#include "jose/jwe.hpp"

namespace c2p::ctl {

namespace json = boost::json;

namespace {

constexpr std::uint64_t kPanCounterSpace = 100'000'000;  // the 8 counter digits
constexpr std::array<std::string_view, 2> kTestCards = {"4111111111111111", "5555555555554444"};
// Short names, so "FIRST LAST" fits the 26 characters of a cardholder name.
constexpr std::array<std::string_view, 8> kFirstNames = {"Ada",     "Alan", "Grace",  "Linus",
                                                         "Barbara", "Ken",  "Edsger", "Margaret"};
constexpr std::array<std::string_view, 8> kLastNames = {
    "Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Thompson", "Dijkstra", "Hamilton"};

std::string Padded(std::uint64_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

// The digit that makes body+digit pass Luhn.
char LuhnDigit(const std::string& body) {
  for (char digit = '0'; digit <= '9'; ++digit) {
    if (core::PassesLuhn(body + digit)) return digit;
  }
  throw std::logic_error("no Luhn digit");  // one of ten always fits
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view FirstName(std::uint64_t row_id) {
  return kFirstNames[row_id % kFirstNames.size()];
}
std::string_view LastName(std::uint64_t row_id) {
  return kLastNames[(row_id / kFirstNames.size()) % kLastNames.size()];
}

json::object PersonalInformationFor(std::uint64_t row_id, bool bad_email) {
  domain::PersonalInformation info;
  info.consumer.language = "en-GB";
  info.consumer.first_name = std::string(FirstName(row_id));
  info.consumer.last_name = std::string(LastName(row_id));
  info.consumer.date_of_birth = std::to_string(1950 + row_id % 50) + "-" +
                                Padded(1 + row_id % 12, 2) + "-" + Padded(1 + row_id % 28, 2);
  info.consumer.email = bad_email ? "not-an-email"
                                  : Lower(*info.consumer.first_name) + "." +
                                        Lower(*info.consumer.last_name) + "." +
                                        std::to_string(row_id) + "@example.com";
  // UK mobile numbers 07700 900000–900999 are reserved for fiction (Ofcom); the rest of
  // the row id keeps them distinct enough for a demo.
  info.consumer.mobile_phone_number =
      domain::MobilePhone{"44", "7700" + Padded(900000 + row_id % 1000, 6)};
  info.billing_address = domain::BillingAddress{std::to_string(1 + row_id % 200) + " High Street",
                                                std::nullopt,
                                                std::nullopt,
                                                "London",
                                                std::nullopt,
                                                "SW1A 1AA",
                                                "GB"};
  return domain::ToJson(info);
}

std::string EncryptCardData(std::string_view pan, const std::string& exp, std::string_view name,
                            const jose::EcKey& recipient, std::string_view kid) {
  domain::CardData card;
  card.pan = core::SecretBytes(pan);
  card.exp = *domain::ParseExpiry(exp);
  card.name = core::SecretBytes(name);
  const core::SecretBytes plaintext = domain::SerializeCardData(card);
  return jose::EncryptEcdhEs(plaintext.view(), recipient, kid);
}

}  // namespace

std::uint64_t PanSalt(const std::string& batch_id, const std::string& seq_number) {
  // FNV-1a: a stable spread of the file's identity, not a secret.
  std::uint64_t hash = 14695981039346656037ULL;
  for (char c : batch_id + "-" + seq_number) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash % kPanCounterSpace;
}

std::uint64_t CardCount(CardsPerConsumer cards, std::uint64_t index) {
  switch (cards) {
    case CardsPerConsumer::kOne:
      return 1;
    case CardsPerConsumer::kTwo:
      return 2;
    case CardsPerConsumer::kMixed:
      break;
  }
  return index % 3 == 0 ? 2 : 1;
}

std::uint64_t FirstCardOrdinal(CardsPerConsumer cards, std::uint64_t index) {
  switch (cards) {
    case CardsPerConsumer::kOne:
      return index;
    case CardsPerConsumer::kTwo:
      return 2 * index;
    case CardsPerConsumer::kMixed:
      break;
  }
  return index + (index + 2) / 3;  // one extra card for each of indexes 0, 3, 6, ... below
}

const domain::CardProduct& ProductForCard(const RecordContext& context, std::uint64_t ordinal) {
  return context.products[ordinal % context.products.size()];
}

std::string PanForCard(const RecordContext& context, std::uint64_t ordinal) {
  const domain::CardProduct& product = ProductForCard(context, ordinal);
  if (ordinal < kTestCards.size()) {
    std::string test_card(kTestCards[ordinal]);
    for (const domain::BinRange& range : product.bin_ranges) {
      if (domain::InBinRange(range, test_card)) return test_card;
    }
  }
  const std::string body =
      product.bin_ranges.front().low + Padded((context.salt + ordinal) % kPanCounterSpace, 8) + "9";
  return body + LuhnDigit(body);
}

std::string ExpiryForCard(core::SystemTime now, std::uint64_t ordinal) {
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  // 12 to 47 months ahead: valid for at least a year whatever the day of the make.
  const std::chrono::year_month expiry =
      today.year() / today.month() + std::chrono::months(12 + static_cast<int>(ordinal % 36));
  return Padded(static_cast<unsigned>(expiry.month()), 2) +
         Padded(static_cast<std::uint64_t>(static_cast<int>(expiry.year()) % 100), 2);
}

std::optional<PlantedError> ErrorForRow(const RecordSpec& spec, std::uint64_t row_id) {
  if (!spec.with_errors || row_id % kErrorEvery != 0) return std::nullopt;
  // Row 10 is the first with an error: the 206 of row 60 has earlier rows to copy from.
  constexpr std::array<PlantedError, 6> kCycle = {
      PlantedError::kConsumerField, PlantedError::kCardField,      PlantedError::kUndecryptable,
      PlantedError::kBadLuhn,       PlantedError::kUnknownProduct, PlantedError::kDuplicatePan};
  const PlantedError error = kCycle[(row_id / kErrorEvery - 1) % kCycle.size()];
  // Without personalInformation there is no consumer field to spoil.
  if (error == PlantedError::kConsumerField && !spec.personal_information) return std::nullopt;
  return error;
}

std::string ConsumerIdFor(const std::string& batch_id, std::uint64_t row_id) {
  return "cons_" + batch_id + "_" + std::to_string(row_id);
}

std::string CardIdFor(const std::string& batch_id, std::uint64_t row_id, std::uint64_t n) {
  return "crd_" + batch_id + "_" + std::to_string(row_id) + "_" + std::to_string(n);
}

std::string CanonicalRecord(const RecordContext& context, std::uint64_t index) {
  const RecordSpec& spec = context.spec;
  const std::uint64_t row_id = index + 1;
  const std::optional<PlantedError> error = ErrorForRow(spec, row_id);
  const std::string name = Upper(FirstName(row_id)) + " " + Upper(LastName(row_id));

  json::array cards;
  const std::uint64_t first = FirstCardOrdinal(spec.cards, index);
  const std::uint64_t count = CardCount(spec.cards, index);
  for (std::uint64_t n = 0; n < count; ++n) {
    const std::uint64_t ordinal = first + n;
    const bool planted = n == 0 && error.has_value();
    std::string pan = PanForCard(context, ordinal);
    std::string product_id = ProductForCard(context, ordinal).id;
    std::string state = "ACTIVE";
    const jose::EcKey* recipient = context.encryption_key;
    std::string_view kid;  // the recipient's own
    if (planted) {
      switch (*error) {
        case PlantedError::kCardField:
          state = "SOMETIMES";
          break;
        case PlantedError::kUndecryptable:
          recipient = context.foreign_key;
          kid = context.encryption_key->kid();  // c2p's kid, so only the key is wrong
          break;
        case PlantedError::kBadLuhn:
          pan.back() = static_cast<char>('0' + (pan.back() - '0' + 1) % 10);
          break;
        case PlantedError::kUnknownProduct:
          product_id = "NO_SUCH_PRODUCT";
          break;
        case PlantedError::kDuplicatePan: {
          // Row 1 has no predecessor, but ErrorForRow never plants on it. The product goes
          // with the PAN, so the copy is refused as a duplicate and not as out of range.
          const std::uint64_t copied = FirstCardOrdinal(spec.cards, index - 1);
          pan = PanForCard(context, copied);
          product_id = ProductForCard(context, copied).id;
          break;
        }
        case PlantedError::kConsumerField:
          break;
      }
    }
    json::object card{{"cardId", CardIdFor(spec.batch_id, row_id, n + 1)},
                      {"cardProductId", std::move(product_id)},
                      {"encryptedData", EncryptCardData(pan, ExpiryForCard(spec.now, ordinal), name,
                                                        *recipient, kid)},
                      {"state", std::move(state)}};
    core::SecureWipe(pan.data(), pan.size());
    cards.emplace_back(std::move(card));
  }

  json::object request{{"consumerId", ConsumerIdFor(spec.batch_id, row_id)},
                       {"cards", std::move(cards)}};
  if (spec.personal_information) {
    request["personalInformation"] =
        PersonalInformationFor(row_id, error == PlantedError::kConsumerField);
  }
  const json::object record{{"rowId", row_id},
                            {"consumerAndCardRegistrationRequest", std::move(request)}};
  std::string out;
  auto written = jose::CanonicalizeTo(record, out);
  if (!written) throw std::runtime_error("record canonicalization failed");
  return out;
}

}  // namespace c2p::ctl
