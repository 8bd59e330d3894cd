#pragma once
// A real c2pd with two issuers for the registry's end-to-end suites: ISSUER0001
// (personal_data "stored") and ISSUER0002 ("fetch"), each with VISA_CLASSIC
// (400000-499999) and MC_STANDARD (510000-559999). Tokens come from the RFC 7523 assertion
// flow, card data is a real ECDH-ES JWE to c2pd's key. Every response is kept, so a suite
// can scan them for card data and personal data (quality.md S4).
//
// The store is a SQLite file in the suite's directory, or, when C2P_E2E_STORE is
// "postgresql", a fresh database per suite on the test PostgreSQL (ctest runs such suites
// a second time that way: tests/e2e/CMakeLists.txt).

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "jose/jwe.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"
#include "jose/key_file.hpp"
#include "tests/support/c2pd_contract.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_client.hpp"
#include "tests/support/test_postgres.hpp"

namespace c2p::testing {

namespace json = boost::json;
inline constexpr const char* kIssuerA = "ISSUER0001";
inline constexpr const char* kIssuerB = "ISSUER0002";

inline std::int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Personal information with the one test email (scanned for by the leak test).
inline constexpr const char* kTestEmail = "jane.rules@example.com";
inline const std::string kInfo =
    R"({"personalInformation":{"language":"en-US","firstName":"Jane","lastName":"Doe",)"
    R"("email":"jane.rules@example.com","mobilePhoneNumber":{"countryCode":"33",)"
    R"("phoneNumber":"612345678"},"billingAddress":{"addressLine1":"1 rue de la Paix",)"
    R"("city":"Paris","postalCode":"75002","countryCode":"FR"}}})";

class RegistryE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PrepareSuite();
    StartDaemon({"pan-v1.jwk"});
  }
  // The suite's directory, keys (jwe.pub.jwk is c2pd's public card-data key) and port.
  static void PrepareSuite() {
    dir_ = NamedTestDir(SuiteName());
    dirs_.push_back(dir_);
    Generate("token-mac", "mac.jwk", "mac-1");
    Generate("jwe", "jwe.jwk", "jwe-1", "jwe.pub.jwk");
    Generate("pan", "pan-v1.jwk", "pan-v1");
    Generate("pan-hmac", "pan-hmac.jwk");
    Generate("issuer-signing", "a.jwk", "a-key", "a.pub.jwk");
    Generate("issuer-signing", "b.jwk", "b-key", "b.pub.jwk");
    port_ = FreePort();
    pg_.reset();
    if (const char* store = std::getenv("C2P_E2E_STORE");
        store != nullptr && std::string(store) == "postgresql") {
      pg_ = std::make_unique<PostgresDatabase>();
      // Unreachable PostgreSQL fails the suite rather than skipping it.
      ASSERT_EQ(pg_->error(), "");
    }
  }
  static void TearDownTestSuite() {
    if (daemon_) daemon_->Stop();
    daemon_.reset();
    tokens_.clear();
    pg_.reset();
  }

  static std::string StoreUrl() { return pg_ ? pg_->url() : "sqlite:" + SqlitePath(); }
  // The SQLite file: in the suite's directory unless a suite put it elsewhere (a small
  // file system of its own, for the disk-full test).
  static std::string SqlitePath() { return (store_dir_.empty() ? dir_ : store_dir_) + "/c2p.db"; }

  static std::string SuiteName() {
    return ::testing::UnitTest::GetInstance()->current_test_suite()->name();
  }

  static void Generate(const std::string& kind, const std::string& out, const std::string& kid = {},
                       const std::string& public_out = {}) {
    ASSERT_EQ(GenerateKeyFile(dir_, kind, out, kid, public_out), "");
  }

  static std::string ConfigPath() { return dir_ + "/c2pd.toml"; }

  // (Re)starts c2pd with `pan_keys` (oldest first: the last one encrypts).
  static void StartDaemon(const std::vector<std::string>& pan_keys) {
    if (daemon_) daemon_->Stop();
    std::string pan = "[";
    for (const auto& k : pan_keys) pan += (pan.size() > 1 ? ", \"" : "\"") + k + "\"";
    pan += "]";
    std::ofstream out(ConfigPath());
    out << "[server]\nport = " << port_ << "\nthreads = 2\n"
        << server_extra_ << "[store]\nurl = \"" << StoreUrl() << "\"\n"
        << "[keys]\ntoken_mac = \"mac.jwk\"\njwe = [\"jwe.jwk\"]\npan = " << pan
        << "\npan_hmac = \"pan-hmac.jwk\"\n";
    for (const auto& [id, key, mode] : {std::tuple{kIssuerA, "a.pub.jwk", "stored"},
                                        std::tuple{kIssuerB, "b.pub.jwk", "fetch"}}) {
      out << "[[issuers]]\nid = \"" << id << "\"\nassertion_keys = [\"" << key
          << "\"]\npersonal_data = \"" << mode << "\"\ntoken_rate_limit_per_second = 1000\n"
          << (std::string(id) == kIssuerB ? issuer_b_extra_ : issuer_a_extra_);
    }
    for (const char* id : {kIssuerA, kIssuerB}) {
      out << "[[card_products]]\nid = \"VISA_CLASSIC\"\nissuer = \"" << id
          << "\"\nnetwork = \"VISA\"\nbin_ranges = [[\"400000\", \"499999\"]]\n"
          << "[[card_products]]\nid = \"MC_STANDARD\"\nissuer = \"" << id
          << "\"\nnetwork = \"MASTERCARD\"\nbin_ranges = [[\"510000\", \"559999\"]]\n";
    }
    out << extra_config_;
    out.close();
    daemon_ = Process::Start({BinDir() + "/c2pd", "--config", ConfigPath()}, dir_ + "/c2pd.out");
    ASSERT_TRUE(daemon_);
    ASSERT_TRUE(WaitC2pdReady(port_)) << ReadFile(dir_ + "/c2pd.out");
  }

  // Returns a copy under a lock: client threads in the crash and load tests share the cache.
  static std::string Token(const std::string& issuer) {
    static std::mutex mu;
    const std::lock_guard lock(mu);
    auto& token = tokens_[issuer];
    if (!token.empty()) return token;
    const std::string key_file = issuer == kIssuerA ? "a.jwk" : "b.jwk";
    json::object claims{
        {"iss", issuer}, {"sub", issuer}, {"iat", NowSeconds()}, {"exp", NowSeconds() + 600}};
    jose::JwsSignOptions options;
    options.kid = issuer == kIssuerA ? "a-key" : "b-key";
    auto key = jose::EcKey::FromJwk(*jose::ReadJwkFile(dir_ + "/" + key_file));
    const std::string assertion = jose::SignEs256(json::serialize(claims), *key, options);
    auto r = Fetch(
        port_, "POST", "/authz/v1/oauth2/token",
        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=" + assertion,
        "Content-Type: application/x-www-form-urlencoded\r\n");
    EXPECT_TRUE(r && r->status == 200) << (r ? r->body : "no response");
    if (r && r->status == 200) {
      token = std::string(json::parse(r->body).at("access_token").as_string());
    }
    return token;
  }

  // One call with issuer `as`'s token; every response body is kept for the leak scan.
  static HttpResponse Call(const std::string& method, const std::string& path,
                           const std::string& body = {}, const std::string& as = kIssuerA,
                           const std::string& extra_headers = {}) {
    std::string headers = "Authorization: Bearer " + Token(as) + "\r\n" + extra_headers;
    if (!body.empty()) headers += "Content-Type: application/json\r\n";
    auto r = Fetch(port_, method, path, body, headers);
    EXPECT_TRUE(r) << method << " " << path;
    if (!r) return {};
    std::lock_guard lock(responses_mu_);
    responses_.push_back(r->body);
    for (const auto& [k, v] : r->headers) responses_.push_back(v);
    return *r;
  }

  static std::string Consumer(const std::string& issuer, const std::string& id) {
    return "/banking/v2/issuers/" + issuer + "/consumers/" + id;
  }
  static std::string Card(const std::string& issuer, const std::string& id) {
    return "/banking/v2/issuers/" + issuer + "/cards/" + id;
  }

  // A Luhn-valid PAN: `digits` followed by its check digit. Every PAN a test uses is
  // remembered for the leak scan.
  static std::string Pan(const std::string& digits) {
    int sum = 0;
    for (std::size_t i = 0; i < digits.size(); ++i) {
      int d = digits[digits.size() - 1 - i] - '0';
      if (i % 2 == 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    std::string pan = digits + static_cast<char>('0' + (10 - sum % 10) % 10);
    std::lock_guard lock(responses_mu_);
    pans_.push_back(pan);
    return pan;
  }

  // A JWE of {"pan","exp","name"?} to c2pd's key.
  static std::string Jwe(const std::string& pan, const std::string& exp = "1230",
                         const std::string& name = {}) {
    json::object plain{{"pan", pan}, {"exp", exp}};
    if (!name.empty()) plain["name"] = name;
    const std::string text = json::serialize(plain);
    auto key = jose::EcKey::FromJwk(*jose::ReadJwkFile(dir_ + "/jwe.jwk"));
    return jose::EncryptEcdhEs({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()},
                               *key, "jwe-1");
  }

  static std::string CardBody(const std::string& consumer, const std::string& pan,
                              const std::string& product = "VISA_CLASSIC",
                              const std::string& exp = "1230", const std::string& extra = {}) {
    return R"({"consumerId":")" + consumer + R"(","cardProductId":")" + product +
           R"(","encryptedData":")" + Jwe(pan, exp) + "\"" + extra + "}";
  }

  static json::object Body(const HttpResponse& r) {
    boost::system::error_code ec;
    auto v = json::parse(r.body, ec);
    return !ec && v.is_object() ? v.as_object() : json::object{};
  }
  static std::string ErrorCodeOf(const HttpResponse& r) {
    auto b = Body(r);
    return b.contains("errorCode") ? std::string(b.at("errorCode").as_string()) : "";
  }
  static std::string FieldOf(const HttpResponse& r) {
    auto b = Body(r);
    return b.contains("field") ? std::string(b.at("field").as_string()) : "";
  }

  // A blob literal in the store's SQL dialect, from its hex digits.
  static std::string BlobLiteral(const std::string& hex) {
    return pg_ ? "'\\x" + hex + "'::bytea" : "x'" + hex + "'";
  }

  // One integer from the store, read beside the running c2pd (read-only, WAL, on SQLite).
  static std::int64_t QueryInt(const std::string& sql) {
    if (pg_) return pg_->QueryInt(sql);
    sqlite3* db = nullptr;
    std::int64_t out = -1;
    if (sqlite3_open_v2(SqlitePath().c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
          sqlite3_step(stmt) == SQLITE_ROW) {
        out = sqlite3_column_int64(stmt, 0);
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
  }

  // The first column of every row of `sql` as text, on either store (read-only on SQLite).
  static std::vector<std::string> QueryStrings(const std::string& sql) {
    if (pg_) return pg_->QueryStrings(sql);
    std::vector<std::string> out;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2((dir_ + "/c2p.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
        SQLITE_OK) {
      sqlite3_stmt* stmt = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW) {
          const unsigned char* text = sqlite3_column_text(stmt, 0);
          out.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
        }
      }
      sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return out;
  }

  // Test set-up only: one statement written beside the running c2pd, on either store
  // (waits up to 5 s for c2pd's writer on SQLite). False when it fails.
  static bool Execute(const std::string& sql) {
    if (pg_) return pg_->Execute(sql);
    sqlite3* db = nullptr;
    bool ok = sqlite3_open((dir_ + "/c2p.db").c_str(), &db) == SQLITE_OK;
    if (ok) {
      sqlite3_busy_timeout(db, 5000);
      ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    }
    sqlite3_close(db);
    return ok;
  }

  static std::vector<std::string> Responses() {
    std::lock_guard lock(responses_mu_);
    return responses_;
  }

  static inline std::string dir_;
  static inline std::unique_ptr<PostgresDatabase> pg_;  // the suite's database, on PostgreSQL
  // Set before SetUpTestSuite: the directory of the SQLite file (default: dir_).
  static inline std::string store_dir_;
  // Appended to c2pd.toml's [server] table (timeouts, connection limit…).
  static inline std::string server_extra_;
  // Appended to c2pd.toml by StartDaemon (suites that add networks, engine settings…).
  static inline std::string extra_config_;
  // Appended to ISSUER0002's [[issuers]] table (its issuer backend, for instance).
  static inline std::string issuer_b_extra_;
  // Appended to ISSUER0001's [[issuers]] table (auto-enrolment, for instance).
  static inline std::string issuer_a_extra_;
  static inline std::uint16_t port_ = 0;
  static inline std::optional<Process> daemon_;
  static inline std::map<std::string, std::string> tokens_;
  static inline std::mutex responses_mu_;
  static inline std::vector<std::string> responses_;
  static inline std::vector<std::string> pans_;
  static inline std::vector<std::string> dirs_;  // every suite's, for the leak scan
};

}  // namespace c2p::testing
