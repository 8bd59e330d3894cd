// `c2pctl batch make`: the file it writes is checked the way c2p will check it — strict
// JSON, the detached signature over the JCS payload, every JWE decrypted with c2p's key
// and its card data judged by the domain rules.

#include "tools/c2pctl/batch_file_maker.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include <boost/json/parse.hpp>

#include "core/luhn.hpp"
#include "core/strict_json.hpp"
#include "domain/card_data.hpp"
#include "domain/consumer_info.hpp"
#include "jose/jcs.hpp"
#include "jose/jwe.hpp"
#include "jose/jws.hpp"
#include "tools/c2pctl/batch_test_support.hpp"
#include "tools/c2pctl/cli.hpp"

namespace c2p::ctl {
namespace {

namespace json = boost::json;
using testing::FakeSandbox;
using testing::ReadText;

BatchMakeSpec Spec(std::uint64_t count, const std::string& batch_id = "B20261206") {
  BatchMakeSpec spec;
  spec.records.batch_id = batch_id;
  spec.records.seq_number = "7";
  spec.records.now = std::chrono::system_clock::now();
  spec.count = count;
  spec.threads = 3;
  spec.chunk_records = 4;  // several chunks, out-of-order completion
  return spec;
}

SandboxMaterial Material(const FakeSandbox& sandbox) {
  auto material = ReadSandboxMaterial(sandbox.dir.path(), "");
  if (!material) throw std::runtime_error(material.error().message);
  return std::move(*material);
}

struct Checked {
  json::object file;
  std::vector<std::string> pans;  // first card of each record, in order
};

// Everything c2p checks before looking at the records' meaning, and the signature.
Checked ParseAndVerify(const std::string& text, const jose::EcKey& signing) {
  auto parsed = core::ParseStrictJson(text);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  if (!parsed) return {};
  json::object file = parsed->as_object();
  EXPECT_EQ(file.size(), 3u);
  auto payload = jose::Canonicalize(
      json::object{{"header", file.at("header")}, {"records", file.at("records")}});
  EXPECT_TRUE(payload);
  // The bytes on disk up to `]` are the canonical payload: what was hashed was written.
  EXPECT_EQ(text.substr(0, payload->size() - 1) + "}", *payload);
  auto key = jose::VerificationKey::Es256(
      *jose::EcKey::FromJwk(signing.ToPublicJwk()));  // public half, as c2p holds it
  EXPECT_TRUE(key);
  const std::string signature(file.at("signature").as_string());
  auto verified = jose::VerifyJws(signature, *key, *payload);
  EXPECT_TRUE(verified) << (verified ? "" : verified.error().message);
  if (verified) {
    EXPECT_EQ(verified->header.at("alg"), "ES256");
    EXPECT_EQ(verified->header.at("kid").as_string(), signing.kid());
  }
  // The streaming verifier c2p uses on a big file agrees, fed in odd pieces.
  auto streaming = jose::DetachedJwsVerifier::Start(signature, *key);
  EXPECT_TRUE(streaming);
  if (streaming) {
    for (std::size_t at = 0; at < payload->size(); at += 1000) {
      streaming->Update(std::string_view(*payload).substr(at, 1000));
    }
    EXPECT_TRUE(streaming->Finish());
  }
  return {std::move(file), {}};
}

jose::JweDecryptionKeys C2pKeys(const FakeSandbox& sandbox) {
  jose::JweDecryptionKeys keys;
  EXPECT_TRUE(keys.AddEcdhEs(*jose::EcKey::FromJwk(sandbox.encryption.ToPrivateJwk())));
  return keys;
}

const json::object& Request(const json::value& record) {
  return record.at("consumerAndCardRegistrationRequest").as_object();
}

TEST(BatchMake, WritesASignedFileEveryRecordOfWhichC2pAccepts) {
  FakeSandbox sandbox;
  const SandboxMaterial material = Material(sandbox);
  const BatchMakeSpec spec = Spec(25);
  const auto path = sandbox.dir / "out.json";
  auto made = MakeBatchFile(spec, material, path);
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->path, path);
  EXPECT_FALSE(std::filesystem::exists(sandbox.dir / "out.json.part"));
  EXPECT_EQ(made->records, 25u);
  EXPECT_EQ(made->cards, 25u + 9u);  // rows 1, 4, ..., 25 have two cards
  EXPECT_TRUE(made->planted_errors.empty());

  const std::string text = ReadText(path);
  EXPECT_EQ(made->bytes, text.size());
  const Checked checked = ParseAndVerify(text, sandbox.signing);
  const json::object& file = checked.file;
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(file.at("header"), json::parse(R"({"batchId":"B20261206","seqNumber":"7",
      "issuerId":"SANDBOX001","operation":"CONSUMER_CARD_REGISTRATION"})"));

  const auto keys = C2pKeys(sandbox);
  const auto now = std::chrono::system_clock::now();
  std::set<std::string> pans;
  std::set<std::string> card_ids;
  std::vector<std::string> first_pans;
  const json::array& records = file.at("records").as_array();
  ASSERT_EQ(records.size(), 25u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::uint64_t row = i + 1;
    EXPECT_EQ(records[i].at("rowId").to_number<std::uint64_t>(), row);
    const json::object& request = Request(records[i]);
    EXPECT_EQ(request.at("consumerId").as_string(), "cons_B20261206_" + std::to_string(row));
    auto info =
        domain::ReadPersonalInformation(request.at("personalInformation"), "/personalInformation");
    ASSERT_TRUE(info) << info.error().field << ": " << info.error().message;
    EXPECT_TRUE(domain::MissingForClickToPay(info->consumer, info->billing_address).empty());
    const json::array& cards = request.at("cards").as_array();
    ASSERT_EQ(cards.size(), i % 3 == 0 ? 2u : 1u) << row;
    for (std::size_t n = 0; n < cards.size(); ++n) {
      const json::object& card = cards[n].as_object();
      EXPECT_EQ(card.at("cardId").as_string(),
                "crd_B20261206_" + std::to_string(row) + "_" + std::to_string(n + 1));
      EXPECT_TRUE(card_ids.insert(std::string(card.at("cardId").as_string())).second);
      EXPECT_EQ(card.at("state"), "ACTIVE");
      auto plain = jose::DecryptJwe(card.at("encryptedData").as_string(), keys);
      ASSERT_TRUE(plain) << plain.error().message;
      auto data = domain::ParseCardData(*plain, now);  // Luhn, 12..19 digits, not expired
      ASSERT_TRUE(data) << data.error().message;
      ASSERT_TRUE(data->name.has_value());
      const std::string pan(data->pan.as_text());
      EXPECT_TRUE(core::PassesLuhn(pan));
      EXPECT_TRUE(pans.insert(pan).second) << "PAN repeated in row " << row;
      auto product = domain::MatchCardProduct(material.products, "SANDBOX001",
                                              card.at("cardProductId").as_string(), data->pan);
      ASSERT_TRUE(product) << product.error().message;
      EXPECT_FALSE(domain::IsExpired(data->exp, now + std::chrono::hours(24 * 300)));
      if (n == 0) first_pans.push_back(pan);
    }
  }
  // The documented test cards come first; the simulator's behaviour suffixes never.
  EXPECT_EQ(first_pans[0], "4111111111111111");
  for (const std::string& pan : pans) {
    for (const char* suffix : {"0002", "0010", "0028", "0036"}) {
      EXPECT_FALSE(pan.ends_with(suffix)) << "generated PAN with a test-card suffix";
    }
  }
  EXPECT_TRUE(pans.contains("5555555555554444"));
}

// Names, PANs and personal data are a function of (batchId, seq, index): the same spec
// gives the same records whatever the threads and chunks; only the encryption differs.
TEST(BatchMake, RecordsAreDeterministicApartFromTheirEncryption) {
  FakeSandbox sandbox;
  const SandboxMaterial material = Material(sandbox);
  const auto keys = C2pKeys(sandbox);
  auto comparable = [&](const std::filesystem::path& path) {
    json::array records = core::ParseStrictJson(ReadText(path))->at("records").as_array();
    for (json::value& record : records) {
      for (json::value& card :
           record.at("consumerAndCardRegistrationRequest").at("cards").as_array()) {
        auto plain = jose::DecryptJwe(card.at("encryptedData").as_string(), keys);
        card.as_object()["encryptedData"] = plain ? std::string(plain->as_text()) : "?";
      }
    }
    return records;
  };
  BatchMakeSpec one = Spec(17);
  one.threads = 1;
  one.chunk_records = 100;
  BatchMakeSpec many = Spec(17);
  many.threads = 4;
  many.chunk_records = 1;
  ASSERT_TRUE(MakeBatchFile(one, material, sandbox.dir / "a.json"));
  ASSERT_TRUE(MakeBatchFile(many, material, sandbox.dir / "b.json"));
  EXPECT_NE(ReadText(sandbox.dir / "a.json"), ReadText(sandbox.dir / "b.json"));
  EXPECT_EQ(comparable(sandbox.dir / "a.json"), comparable(sandbox.dir / "b.json"));

  // Another batch gets other consumers and other generated PANs.
  ASSERT_TRUE(MakeBatchFile(Spec(17, "OTHER"), material, sandbox.dir / "c.json"));
  const json::array a = comparable(sandbox.dir / "a.json");
  const json::array c = comparable(sandbox.dir / "c.json");
  EXPECT_NE(Request(a[5]).at("consumerId"), Request(c[5]).at("consumerId"));
  EXPECT_NE(Request(a[5]).at("cards"), Request(c[5]).at("cards"));
}

TEST(BatchMake, AnEmptyFileIsSignedToo) {
  FakeSandbox sandbox;
  auto made = MakeBatchFile(Spec(0), Material(sandbox), sandbox.dir / "empty.json");
  ASSERT_TRUE(made) << made.error().message;
  const Checked checked = ParseAndVerify(ReadText(sandbox.dir / "empty.json"), sandbox.signing);
  ASSERT_FALSE(checked.file.empty());
  EXPECT_TRUE(checked.file.at("records").as_array().empty());
  EXPECT_EQ(made->cards, 0u);
}

TEST(BatchMake, ManyRecordsOnManyThreadsStayInOrder) {
  FakeSandbox sandbox;
  BatchMakeSpec spec = Spec(600);
  spec.threads = 4;
  spec.chunk_records = 7;
  spec.records.cards = CardsPerConsumer::kOne;
  auto made = MakeBatchFile(spec, Material(sandbox), sandbox.dir / "big.json");
  ASSERT_TRUE(made) << made.error().message;
  const Checked checked = ParseAndVerify(ReadText(sandbox.dir / "big.json"), sandbox.signing);
  const json::array& records = checked.file.at("records").as_array();
  ASSERT_EQ(records.size(), 600u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    ASSERT_EQ(records[i].at("rowId").to_number<std::uint64_t>(), i + 1);
  }
  EXPECT_EQ(made->cards, 600u);
}

TEST(BatchMake, WithErrorsEveryRecordLevelErrorIsPlantedWhereItSays) {
  FakeSandbox sandbox;
  const SandboxMaterial material = Material(sandbox);
  BatchMakeSpec spec = Spec(60);
  spec.records.with_errors = true;
  auto made = MakeBatchFile(spec, material, sandbox.dir / "errors.json");
  ASSERT_TRUE(made) << made.error().message;
  EXPECT_EQ(made->planted_errors, (std::map<int, std::uint64_t>{
                                      {200, 1}, {202, 1}, {203, 1}, {204, 1}, {205, 1}, {206, 1}}));
  const Checked checked = ParseAndVerify(ReadText(sandbox.dir / "errors.json"), sandbox.signing);
  const json::array& records = checked.file.at("records").as_array();
  const auto keys = C2pKeys(sandbox);
  const auto now = std::chrono::system_clock::now();

  // The outcome c2p would give each record, judged like its record-level checks.
  std::vector<std::string> first_pans;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::uint64_t row = i + 1;
    const json::object& request = Request(records[i]);
    int code = 0;
    if (!domain::ReadPersonalInformation(request.at("personalInformation"), "/p")) code = 200;
    const json::object& card = request.at("cards").at(0).as_object();
    const std::string_view state = card.at("state").as_string();
    if (code == 0 && state != "ACTIVE" && state != "INACTIVE") code = 202;
    auto plain = jose::DecryptJwe(card.at("encryptedData").as_string(), keys);
    if (code == 0 && !plain) code = 203;
    std::string pan;
    if (plain) {
      auto data = domain::ParseCardData(*plain, now);
      if (code == 0 && !data) code = 204;
      auto pan_text = core::ParseStrictJson(plain->as_text());
      pan = std::string(pan_text->at("pan").as_string());
      if (code == 0 && data &&
          !domain::MatchCardProduct(material.products, "SANDBOX001",
                                    card.at("cardProductId").as_string(), data->pan)) {
        code = 205;
      }
    }
    if (code == 0 && !first_pans.empty() &&
        std::find(first_pans.begin(), first_pans.end(), pan) != first_pans.end()) {
      code = 206;
    }
    first_pans.push_back(pan);
    const auto planted = ErrorForRow(spec.records, row);
    EXPECT_EQ(code, planted ? static_cast<int>(*planted) : 0) << "row " << row;
  }
}

TEST(BatchMake, RefusesAnExistingFileAndBadHeaderValues) {
  FakeSandbox sandbox;
  const SandboxMaterial material = Material(sandbox);
  testing::WriteText(sandbox.dir / "taken.json", "x");
  EXPECT_FALSE(MakeBatchFile(Spec(1), material, sandbox.dir / "taken.json"));
  EXPECT_EQ(ReadText(sandbox.dir / "taken.json"), "x");
  EXPECT_FALSE(MakeBatchFile(Spec(1, "bad id"), material, sandbox.dir / "x.json"));
  EXPECT_FALSE(MakeBatchFile(Spec(1, std::string(49, 'B')), material, sandbox.dir / "x.json"));
  BatchMakeSpec bad_seq = Spec(1);
  bad_seq.records.seq_number = "1a";
  EXPECT_FALSE(CheckBatchMakeSpec(bad_seq));
  BatchMakeSpec bad_operation = Spec(1);
  bad_operation.operation = "DELETE_EVERYTHING";
  EXPECT_FALSE(CheckBatchMakeSpec(bad_operation));
  BatchMakeSpec too_many = Spec(kMaxBatchRecords + 1);
  EXPECT_FALSE(CheckBatchMakeSpec(too_many));
  EXPECT_FALSE(std::filesystem::exists(sandbox.dir / "x.json"));
  EXPECT_FALSE(std::filesystem::exists(sandbox.dir / "x.json.part"));
}

TEST(BatchMake, TheSandboxFileNamesTheIssuerAndItsKeys) {
  FakeSandbox sandbox;
  auto other = ReadSandboxMaterial(sandbox.dir.path(), "SANDBOX002");
  ASSERT_TRUE(other) << other.error().message;
  EXPECT_EQ(other->issuer_id, "SANDBOX002");
  EXPECT_EQ(other->signing_key.Thumbprint(), sandbox.other_signing.Thumbprint());
  EXPECT_EQ(other->signing_key.kid(), sandbox.other_signing.Thumbprint());
  ASSERT_EQ(other->products.size(), 2u);
  EXPECT_EQ(other->products[0].id, "VISA_CLASSIC");
  EXPECT_EQ(other->products[1].id, "MC_STANDARD");
  EXPECT_EQ(other->products[1].issuer, "SANDBOX002");
  EXPECT_FALSE(ReadSandboxMaterial(sandbox.dir.path(), "NOBODY"));
  c2p::testing::ScratchDir empty;
  EXPECT_FALSE(ReadSandboxMaterial(empty.path(), ""));
}

TEST(BatchRecords, CardOrdinalsPansAndExpiriesFollowTheirRules) {
  const std::vector<domain::CardProduct> products = SandboxProducts(
      json::object{{"VISA", "VISA_CLASSIC"}, {"MASTERCARD", "MC_STANDARD"}}, "SANDBOX001");
  RecordContext context{{}, products, nullptr, nullptr, PanSalt("B1", "1")};
  EXPECT_EQ(PanSalt("B1", "1"), PanSalt("B1", "1"));
  EXPECT_NE(PanSalt("B1", "1"), PanSalt("B1", "2"));
  for (CardsPerConsumer mode :
       {CardsPerConsumer::kOne, CardsPerConsumer::kTwo, CardsPerConsumer::kMixed}) {
    std::uint64_t ordinal = 0;
    for (std::uint64_t index = 0; index < 50; ++index) {
      ASSERT_EQ(FirstCardOrdinal(mode, index), ordinal) << index;
      ordinal += CardCount(mode, index);
    }
  }
  std::set<std::string> seen;
  for (std::uint64_t ordinal = 0; ordinal < 2000; ++ordinal) {
    const std::string pan = PanForCard(context, ordinal);
    ASSERT_EQ(pan.size(), 16u);
    ASSERT_TRUE(core::PassesLuhn(pan)) << ordinal;
    ASSERT_TRUE(seen.insert(pan).second) << ordinal;
    const domain::CardProduct& product = ProductForCard(context, ordinal);
    EXPECT_EQ(product.network,
              ordinal % 2 == 0 ? domain::Network::kVisa : domain::Network::kMastercard);
    auto matched =
        domain::MatchCardProduct(products, "SANDBOX001", product.id, core::SecretBytes(pan));
    ASSERT_TRUE(matched) << ordinal;
  }
  // Expiries: 1 to 4 years ahead, so never expired at make time nor soon after.
  const auto now = std::chrono::system_clock::now();
  for (std::uint64_t ordinal = 0; ordinal < 48; ++ordinal) {
    auto expiry = domain::ParseExpiry(ExpiryForCard(now, ordinal));
    ASSERT_TRUE(expiry);
    EXPECT_FALSE(domain::IsExpired(*expiry, now + std::chrono::hours(24 * 360)));
  }
  EXPECT_EQ(ConsumerIdFor("B1", 3), "cons_B1_3");
  EXPECT_EQ(CardIdFor("B1", 3, 2), "crd_B1_3_2");
}

TEST(BatchMakeCommand, PrintsThePathOfTheFileItNamedAfterTheBatch) {
  FakeSandbox sandbox;
  const std::string dir = sandbox.dir.path().string();
  const std::string sandbox_dir = sandbox.dir.path().string();
  std::ostringstream out;
  std::ostringstream err;
  const char* argv[] = {"c2pctl",    "batch", "make",  "--sandbox", sandbox_dir.c_str(),
                        "--records", "3",     "--out", dir.c_str(), "--batch-id",
                        "BCLI",      "--seq", "42",    "--cards",   "2"};
  const auto before = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  ASSERT_EQ(RunC2pctl(std::size(argv), argv, out, err), kExitOk) << err.str();
  std::string printed = out.str();
  ASSERT_FALSE(printed.empty());
  printed.pop_back();
  const std::filesystem::path path(printed);
  EXPECT_EQ(path.parent_path(), sandbox.dir.path());
  const std::string name = path.filename().string();
  ASSERT_TRUE(name.starts_with("BCLI-42-")) << name;
  ASSERT_TRUE(name.ends_with(".json")) << name;
  EXPECT_GE(std::stoll(name.substr(8)), before);
  const Checked checked = ParseAndVerify(ReadText(path), sandbox.signing);
  EXPECT_EQ(checked.file.at("records").as_array().size(), 3u);
  EXPECT_EQ(Request(checked.file.at("records").at(2)).at("cards").as_array().size(), 2u);
  // Card data and personal data are not echoed.
  EXPECT_EQ(err.str().find("4111"), std::string::npos);
  EXPECT_EQ(err.str().find("@"), std::string::npos);

  std::ostringstream out2;
  std::ostringstream err2;
  const char* bad_cards[] = {"c2pctl",    "batch", "make",    "--sandbox", sandbox_dir.c_str(),
                             "--records", "1",     "--cards", "3"};
  EXPECT_EQ(RunC2pctl(std::size(bad_cards), bad_cards, out2, err2), kExitUsage);
  const char* no_records[] = {"c2pctl", "batch", "make", "--sandbox", sandbox_dir.c_str()};
  EXPECT_EQ(RunC2pctl(std::size(no_records), no_records, out2, err2), kExitUsage);
  const char* bad_seq[] = {"c2pctl",    "batch", "make",  "--sandbox", sandbox_dir.c_str(),
                           "--records", "1",     "--seq", "x"};
  EXPECT_EQ(RunC2pctl(std::size(bad_seq), bad_seq, out2, err2), kExitUsage);
  const char* no_sandbox[] = {"c2pctl",       "batch",     "make", "--sandbox",
                              "/nonexistent", "--records", "1"};
  EXPECT_EQ(RunC2pctl(std::size(no_sandbox), no_sandbox, out2, err2), kExitFailure);
}

}  // namespace
}  // namespace c2p::ctl
