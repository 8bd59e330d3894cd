#pragma once
// Batch registration files for the end-to-end and fault suites (shared/spec/batch.md):
// the signed document, its records, dropping it in a spool's inbox and reading its _OUT.

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "jose/jcs.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/key_file.hpp"
#include "tests/support/process.hpp"
#include "tests/support/scratch_dir.hpp"

namespace c2p::testing::batch_files {

namespace json = boost::json;

inline json::object Header(const std::string& batch, const std::string& seq,
                           const std::string& issuer) {
  return {{"batchId", batch},
          {"seqNumber", seq},
          {"issuerId", issuer},
          {"operation", "CONSUMER_CARD_REGISTRATION"}};
}

// The file: {header, records, signature}, signed with the issuer's private JWK `key_file`
// (kid `kid`) over JCS({"header","records"}) (spec/batch.md §2); unsigned when !sign.
inline std::string File(const json::object& header, const json::array& records,
                        const std::string& key_file, const std::string& kid, bool sign = true) {
  json::object payload{{"header", header}, {"records", records}};
  auto canonical = jose::Canonicalize(payload);
  EXPECT_TRUE(canonical);
  json::object file = payload;
  if (sign && canonical) {
    jose::JwsSignOptions options;
    options.kid = kid;
    options.detached = true;
    auto key = jose::EcKey::FromJwk(*jose::ReadJwkFile(key_file));
    file["signature"] = jose::SignEs256(*canonical, *key, options);
  }
  return json::serialize(file);
}

inline json::object Record(std::int64_t row, const std::string& consumer, json::array cards,
                           std::optional<json::value> info = std::nullopt) {
  json::object request{{"consumerId", consumer}, {"cards", std::move(cards)}};
  if (info) request["personalInformation"] = *info;
  return {{"rowId", row}, {"consumerAndCardRegistrationRequest", std::move(request)}};
}

inline json::object CardEntry(const std::string& card_id, const std::string& product,
                              const std::string& encrypted) {
  return {{"cardId", card_id}, {"cardProductId", product}, {"encryptedData", encrypted}};
}

// Written as *.part and renamed: complete when it appears (spec §1).
inline void Drop(const std::filesystem::path& spool, const std::string& name,
                 const std::string& text) {
  const auto part = spool / "inbox" / (name + ".part");
  std::ofstream(part, std::ios::binary) << text;
  std::filesystem::rename(part, spool / "inbox" / name);
}

inline std::string OutName(const std::string& name) {
  return name.substr(0, name.size() - 5) + "_OUT.json";
}

// The _OUT document, once it exists (polled with a deadline).
inline json::object AwaitOut(const std::filesystem::path& spool, const std::string& name,
                             std::chrono::seconds deadline) {
  const auto out = spool / "outbox" / OutName(name);
  EXPECT_TRUE(Eventually([&] { return std::filesystem::exists(out); }, deadline)) << name;
  boost::system::error_code ec;
  auto v = json::parse(ReadFile(out.string()), ec);
  EXPECT_FALSE(ec) << name;
  return !ec && v.is_object() ? v.as_object() : json::object{};
}

}  // namespace c2p::testing::batch_files
