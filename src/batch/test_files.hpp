#pragma once
// Test-only (never linked into c2p): batch files built in memory and signed with a test
// key the way an issuer signs them (ES256, detached, over the JCS form of
// {"header","records"}), then written in any member order or byte form.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "batch/batch_check.hpp"
#include "jose/jcs.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"

namespace c2p::batch::testing {

namespace json = boost::json;

inline constexpr char kIssuer[] = "ISSUER0001";
inline constexpr char kBatchId[] = "B2026-01_17";
inline constexpr char kFileName[] = "B2026-01_17-1-1768600000.json";

// One key per test process, kid "issuer-key-1".
inline const jose::EcKey& TestKey() {
  static const jose::EcKey key = [] {
    jose::EcKey k = jose::EcKey::Generate();
    k.set_kid("issuer-key-1");
    return k;
  }();
  return key;
}
inline const jose::VerificationKey& TestVerificationKey() {
  static const jose::VerificationKey key = *jose::VerificationKey::Es256(TestKey());
  return key;
}

inline json::object TestHeader() {
  return {{"batchId", kBatchId},
          {"seqNumber", "1"},
          {"issuerId", kIssuer},
          {"operation", "CONSUMER_CARD_REGISTRATION"}};
}

// A valid record; `padding` characters of encryptedData make it as large as needed.
inline json::object TestRecord(std::int64_t row_id, std::size_t padding = 40) {
  const std::string n = std::to_string(row_id);
  json::object card{{"cardId", "crd_" + n},
                    {"cardProductId", "VISA_CLASSIC"},
                    {"encryptedData", "eyJhbGciOiJFQ0RILUVTIn0." + std::string(padding, 'A')},
                    {"state", "ACTIVE"}};
  json::object request{{"consumerId", "cons_" + n}, {"cards", json::array{card}}};
  return {{"rowId", row_id}, {"consumerAndCardRegistrationRequest", std::move(request)}};
}

// The JCS payload an issuer signs.
inline std::string Payload(const json::value& header, const json::array& records) {
  json::object whole{{"header", header}, {"records", records}};
  auto canonical = jose::Canonicalize(whole);
  if (!canonical) throw std::runtime_error("test payload has no JCS form");
  return *canonical;
}

inline std::string Sign(const std::string& payload, const jose::EcKey& key = TestKey()) {
  jose::JwsSignOptions options;
  options.detached = true;
  return jose::SignEs256(payload, key, options);
}

struct TestFile {
  json::value header = TestHeader();
  json::array records;
  std::optional<json::value> signature;  // nullopt: computed over header and records

  // The member texts in the given order ("h", "r", "s"); members named "-" are left out.
  std::string Text(const std::vector<std::string>& order = {"h", "r", "s"}) const {
    const json::value sig = signature ? *signature : json::value(Sign(Payload(header, records)));
    std::string out = "{";
    for (const auto& member : order) {
      if (out.size() > 1) out += ",\n";
      if (member == "h") out += "\"header\": " + json::serialize(header);
      if (member == "s") out += "\"signature\": " + json::serialize(sig);
      if (member == "r") {
        out += "\"records\": [\n";
        for (std::size_t i = 0; i < records.size(); ++i) {
          out += (i ? ",\n  " : "  ") + json::serialize(records[i]);
        }
        out += "\n]";
      }
    }
    return out + "}\n";
  }
};

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write test file");
}

inline FileExpectation TestExpectation(const std::string& name = kFileName) {
  FileExpectation expectation;
  expectation.issuer = kIssuer;
  expectation.name = *ParseFileName(name);
  expectation.key_for = [](std::string_view kid) -> const jose::VerificationKey* {
    return kid == "issuer-key-1" ? &TestVerificationKey() : nullptr;
  };
  return expectation;
}

}  // namespace c2p::batch::testing
