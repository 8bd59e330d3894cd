#include "app/config.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "tests/support/test_certs.hpp"

namespace c2p::app {
namespace {

namespace fs = std::filesystem;

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("c2p-config-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "keys");
    for (const char* f : {"keys/mac.jwk", "keys/jwe.jwk", "keys/pan.jwk", "keys/hmac.jwk",
                          "keys/i1.pub.jwk", "keys/whsec"}) {
      std::ofstream(dir_ / f) << "{}";
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  core::Result<Config> Parse(const std::string& extra) {
    const std::string base = R"(
[server]
listen = "127.0.0.1"
port = 8080
threads = 2

[store]
url = "sqlite:c2p.db"

[log]
level = "warn"

[keys]
token_mac = "keys/mac.jwk"
jwe = ["keys/jwe.jwk"]
pan = ["keys/pan.jwk"]
pan_hmac = "keys/hmac.jwk"

[[issuers]]
id = "ISSUER0001"
assertion_keys = ["keys/i1.pub.jwk"]
personal_data = "stored"
notification_url = "http://127.0.0.1:8090/sim/v1/issuer"
notification_hosts = ["127.0.0.1"]
notification_secret_file = "keys/whsec"

[[card_products]]
id = "VISA_CLASSIC"
issuer = "ISSUER0001"
network = "VISA"
bin_ranges = [["400000", "499999"]]
)";
    return ParseConfig(base + extra, dir_);
  }

  fs::path dir_;
};

TEST_F(ConfigTest, StoreUrlIsSqliteOrPostgresql) {
  auto replace = [&](const std::string& url) {
    std::string text = R"(
[store]
url = ")" + url + R"("
[keys]
token_mac = "keys/mac.jwk"
jwe = ["keys/jwe.jwk"]
pan = ["keys/pan.jwk"]
pan_hmac = "keys/hmac.jwk"
)";
    return ParseConfig(text, dir_);
  };
  auto pg = replace("postgresql://c2p@127.0.0.1:5432/c2p");
  ASSERT_TRUE(pg) << pg.error().message;
  EXPECT_EQ(pg->store.url, "postgresql://c2p@127.0.0.1:5432/c2p");
  auto other = replace("mysql://c2p@db/c2p");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().message, "store.url: must start with sqlite: or postgresql://");
}

TEST_F(ConfigTest, AValidFileLoadsIntoTypedStructs) {
  auto c = Parse("");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->server.port, 8080);
  EXPECT_EQ(c->server.threads, 2u);
  EXPECT_EQ(c->store.url, "sqlite:c2p.db");
  EXPECT_EQ(c->log.level, log::Level::kWarn);
  ASSERT_EQ(c->issuers.size(), 1u);
  EXPECT_EQ(c->issuers[0].id, "ISSUER0001");
  EXPECT_EQ(c->issuers[0].personal_data, PersonalData::kStored);
  EXPECT_EQ(c->issuers[0].assertion_keys[0], dir_ / "keys/i1.pub.jwk");
  ASSERT_EQ(c->card_products.size(), 1u);
  EXPECT_EQ(c->card_products[0].network, Network::kVisa);
}

TEST_F(ConfigTest, ProfileTimeoutHasADefaultAndCanBeSet) {
  auto c = Parse("");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.profile_timeout, std::chrono::milliseconds(5000));
  c = Parse("[engine]\nprofile_timeout_ms = 750\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.profile_timeout, std::chrono::milliseconds(750));
  auto bad = Parse("[engine]\nprofile_timeout_ms = 0\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("engine.profile_timeout_ms"), std::string::npos)
      << bad.error().message;
}

TEST_F(ConfigTest, LeasesHaveDefaultsAndOutlastAnAttempt) {
  auto c = Parse("");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.lease, std::chrono::milliseconds(300'000));
  EXPECT_EQ(c->notifications.lease, std::chrono::milliseconds(60'000));
  c = Parse("[engine]\nlease_ms = 4000\n[notifications]\ntimeout_ms = 1000\nlease_ms = 3000\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.lease, std::chrono::milliseconds(4000));
  EXPECT_EQ(c->notifications.lease, std::chrono::milliseconds(3000));
  auto short_job = Parse("[engine]\nlease_ms = 999\n");
  ASSERT_FALSE(short_job);
  EXPECT_NE(short_job.error().message.find("engine.lease_ms"), std::string::npos)
      << short_job.error().message;
  auto short_message = Parse("[notifications]\nlease_ms = 5000\n");  // timeout 10 s
  ASSERT_FALSE(short_message);
  EXPECT_NE(short_message.error().message.find("notifications.lease_ms"), std::string::npos)
      << short_message.error().message;
}

TEST_F(ConfigTest, BulkShareHasADefaultAndStaysWithinMaxInFlight) {
  auto c = Parse("");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.bulk_max_in_flight, 0U);  // half of max_in_flight (docs/engine.md)
  c = Parse("[engine]\nmax_in_flight = 64\nbulk_max_in_flight = 16\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.bulk_max_in_flight, 16U);
  auto bad = Parse("[engine]\nmax_in_flight = 8\nbulk_max_in_flight = 9\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("engine.bulk_max_in_flight"), std::string::npos)
      << bad.error().message;
}

TEST_F(ConfigTest, SharesWhileInteractiveJobsRunHaveDefaultsAndLimits) {
  auto c = Parse("");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.bulk_max_in_flight_when_interactive, 0U);  // a quarter of the bulk share
  EXPECT_EQ(c->batch.chunk_records_when_interactive, 128U);
  c = Parse(
      "[engine]\nbulk_max_in_flight_when_interactive = 8\n"
      "[batch]\nchunk_records_when_interactive = 64\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->engine.bulk_max_in_flight_when_interactive, 8U);
  EXPECT_EQ(c->batch.chunk_records_when_interactive, 64U);
  auto bad = Parse("[engine]\nmax_in_flight = 8\nbulk_max_in_flight_when_interactive = 9\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("engine.bulk_max_in_flight_when_interactive"),
            std::string::npos)
      << bad.error().message;
  bad = Parse("[batch]\nchunk_records_when_interactive = 0\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("batch.chunk_records_when_interactive"), std::string::npos)
      << bad.error().message;
}

TEST_F(ConfigTest, AuthSettingsHaveDefaultsAndCanBeSet) {
  auto defaults = Parse("");
  ASSERT_TRUE(defaults) << defaults.error().message;
  EXPECT_EQ(defaults->auth.audience, "c2p");
  EXPECT_EQ(defaults->issuers[0].token_rate_limit_per_second, 10u);
  EXPECT_EQ(defaults->issuers[0].rate_limit_per_second, 0u);
  EXPECT_TRUE(defaults->keys.token_mac_retired.empty());

  auto set = Parse("\n[auth]\naudience = \"https://c2p.example/token\"\n");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->auth.audience, "https://c2p.example/token");

  auto unknown = Parse("\n[auth]\naudiance = \"x\"\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "auth.audiance: unknown key");
}

TEST_F(ConfigTest, RetiredTokenMacKeysMustExist) {
  const std::string text = R"(
[store]
url = "sqlite:x.db"
[keys]
token_mac = "keys/mac.jwk"
token_mac_retired = ["keys/old-mac.jwk"]
jwe = ["keys/jwe.jwk"]
pan = ["keys/pan.jwk"]
pan_hmac = "keys/hmac.jwk"
)";
  auto missing = ParseConfig(text, dir_);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message.rfind("keys.token_mac_retired: no such file", 0), 0u)
      << missing.error().message;
  std::ofstream(dir_ / "keys/old-mac.jwk") << "{}";
  auto present = ParseConfig(text, dir_);
  ASSERT_TRUE(present) << present.error().message;
  ASSERT_EQ(present->keys.token_mac_retired.size(), 1u);
}

TEST_F(ConfigTest, NetworksAreOptionalAndRead) {
  auto none = Parse("");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->networks.visa);
  EXPECT_FALSE(none->networks.mastercard);
  std::ofstream(dir_ / "keys/visa.api") << "k";
  std::ofstream(dir_ / "keys/visa.pub.jwk") << "{}";
  auto c = Parse(R"(
[networks.visa]
url = "http://127.0.0.1:8090"
api_key_file = "keys/visa.api"
encryption_key = "keys/visa.pub.jwk"
timeout_ms = 2000
tsp_secret_file = "keys/visa.api"

[networks.mastercard]
url = "https://mc.example"
api_key_file = "keys/visa.api"
encryption_key = "keys/visa.pub.jwk"
enrol_timeout_ms = 30000
in_doubt_ms = 90000
src_client_id = "client-1"
service_id = "svc-1"
)");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->networks.visa);
  EXPECT_EQ(c->networks.visa->url, "http://127.0.0.1:8090");
  EXPECT_EQ(c->networks.visa->api_key_file, dir_ / "keys/visa.api");
  EXPECT_EQ(c->networks.visa->encryption_key, dir_ / "keys/visa.pub.jwk");
  EXPECT_EQ(c->networks.visa->timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(c->networks.visa->enrol_timeout, std::chrono::milliseconds(60000));
  EXPECT_EQ(c->networks.visa->in_doubt, std::chrono::milliseconds(0));
  EXPECT_EQ(c->networks.visa->tsp_secret_file, dir_ / "keys/visa.api");
  ASSERT_TRUE(c->networks.mastercard);
  EXPECT_TRUE(c->networks.mastercard->tsp_secret_file.empty());
  EXPECT_EQ(c->networks.mastercard->enrol_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(c->networks.mastercard->in_doubt, std::chrono::milliseconds(90000));
  EXPECT_EQ(c->networks.mastercard->src_client_id, "client-1");
  EXPECT_EQ(c->networks.mastercard->service_id, "svc-1");
}

TEST_F(ConfigTest, NetworkErrorsNameTheKey) {
  std::ofstream(dir_ / "keys/api") << "k";
  const std::string files = "api_key_file = \"keys/api\"\nencryption_key = \"keys/jwe.jwk\"\n";
  auto unknown = Parse("[networks.visa]\nurl = \"http://x\"\n" + files + "src_client_id = \"c\"\n");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "networks.visa.src_client_id: unknown key");
  auto amex = Parse("[networks.amex]\nurl = \"http://x\"\n");
  ASSERT_FALSE(amex);
  EXPECT_EQ(amex.error().message, "networks.amex: unknown key");
  auto url = Parse("[networks.mastercard]\nurl = \"ftp://x/\"\n" + files);
  ASSERT_FALSE(url);
  EXPECT_NE(url.error().message.find("networks.mastercard.url"), std::string::npos);
  auto missing = Parse("[networks.visa]\nurl = \"http://x\"\napi_key_file = \"keys/nope\"\n");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("networks.visa.api_key_file"), std::string::npos);
  auto timeout = Parse("[networks.visa]\nurl = \"http://x\"\n" + files + "timeout_ms = 0\n");
  ASSERT_FALSE(timeout);
  EXPECT_NE(timeout.error().message.find("networks.visa.timeout_ms"), std::string::npos);
  auto tsp = Parse("[networks.visa]\nurl = \"http://x\"\n" + files + "tsp_secret_file = \"no\"\n");
  ASSERT_FALSE(tsp);
  EXPECT_NE(tsp.error().message.find("networks.visa.tsp_secret_file"), std::string::npos);
}

// A job's holder sends no write that could still be unsettled when its lease ends, so the
// lease must leave an attempt as long again as a call plus its in-doubt wait.
TEST_F(ConfigTest, TheJobLeaseOutlastsTheLongestCallAndItsInDoubtWait) {
  std::ofstream(dir_ / "keys/api") << "k";
  const std::string mastercard =
      "[networks.mastercard]\nurl = \"http://x\"\napi_key_file = \"keys/api\"\n"
      "encryption_key = \"keys/jwe.jwk\"\nenrol_timeout_ms = 20000\n";
  // 2 × (20 s + 20 s): the in-doubt wait defaults to the call's timeout.
  auto fits = Parse(mastercard + "[engine]\nlease_ms = 80000\n");
  ASSERT_TRUE(fits) << fits.error().message;
  auto too_short = Parse(mastercard + "[engine]\nlease_ms = 79999\n");
  ASSERT_FALSE(too_short);
  EXPECT_EQ(too_short.error().message,
            "engine.lease_ms: must be at least twice networks.mastercard's longest call and its "
            "in-doubt wait (80000 ms)");
  auto long_doubt = Parse(mastercard + "in_doubt_ms = 30000\n[engine]\nlease_ms = 80000\n");
  ASSERT_FALSE(long_doubt);
  EXPECT_NE(long_doubt.error().message.find("(100000 ms)"), std::string::npos)
      << long_doubt.error().message;
  // Visa's calls all have timeout_ms (enrol_timeout_ms is Mastercard's): 2 × (10 s + 10 s).
  auto visa = Parse(
      "[networks.visa]\nurl = \"http://x\"\napi_key_file = \"keys/api\"\n"
      "encryption_key = \"keys/jwe.jwk\"\n[engine]\nlease_ms = 40000\n");
  ASSERT_TRUE(visa) << visa.error().message;
}

TEST_F(ConfigTest, CardProductDecisionIsGreenOrYellow) {
  auto c = Parse("");
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->card_products[0].step_up);
  const std::string product =
      "[[card_products]]\nid = \"MC\"\nissuer = \"ISSUER0001\"\nnetwork = \"MASTERCARD\"\n"
      "bin_ranges = [[\"510000\", \"559999\"]]\n";
  c = Parse(product + "decision = \"YELLOW\"\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->card_products[1].step_up);
  c = Parse(product + "decision = \"RED\"\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.rfind("card_products[1].decision", 0), 0u) << c.error().message;
}

TEST_F(ConfigTest, IssuerBackendAndOAuthAreRead) {
  auto none = Parse("");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->issuers[0].oauth_client_id.empty());
  EXPECT_TRUE(none->issuers[0].oauth_token_url.empty());
  EXPECT_EQ(none->issuers[0].consumer_info_timeout, std::chrono::milliseconds(10000));
  std::ofstream(dir_ / "keys/oauth.secret") << "s3cret";
  const std::string issuer =
      "[[issuers]]\nid = \"ISSUER0002\"\nassertion_keys = [\"keys/i1.pub.jwk\"]\n"
      "base_url = \"https://issuer.example/api\"\n";
  auto c = Parse(issuer +
                 "oauth_client_id = \"c2p\"\noauth_client_secret_file = \"keys/oauth.secret\"\n"
                 "consumer_info_timeout_ms = 2500\n");
  ASSERT_TRUE(c) << c.error().message;
  const IssuerConfig& i = c->issuers[1];
  EXPECT_EQ(i.oauth_client_id, "c2p");
  EXPECT_EQ(i.oauth_client_secret_file, dir_ / "keys/oauth.secret");
  EXPECT_EQ(i.oauth_token_url, "https://issuer.example/api/authz/d1/v1/oauth2/token");
  EXPECT_EQ(i.consumer_info_timeout, std::chrono::milliseconds(2500));
  c = Parse(issuer +
            "oauth_client_id = \"c2p\"\noauth_client_secret_file = \"keys/oauth.secret\"\n"
            "oauth_token_url = \"https://auth.example/token\"\noauth_scope = \"consumers\"\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->issuers[1].oauth_token_url, "https://auth.example/token");
  EXPECT_EQ(c->issuers[1].oauth_scope, "consumers");
}

TEST_F(ConfigTest, IssuerBackendErrorsNameTheKey) {
  std::ofstream(dir_ / "keys/oauth.secret") << "s3cret";
  const std::string issuer =
      "[[issuers]]\nid = \"ISSUER0002\"\nassertion_keys = [\"keys/i1.pub.jwk\"]\n";
  const std::string secret = "oauth_client_secret_file = \"keys/oauth.secret\"\n";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"base_url = \"https://issuer.example/\"\n", "issuers[1].base_url"},
      {"base_url = \"ftp://issuer.example\"\n", "issuers[1].base_url"},
      {"base_url = \"https://x\"\noauth_client_id = \"c2p\"\n",
       "issuers[1].oauth_client_secret_file"},
      {"base_url = \"https://x\"\n" + secret, "issuers[1].oauth_client_id"},
      {"base_url = \"https://x\"\noauth_client_id = \"c:2p\"\n" + secret,
       "issuers[1].oauth_client_id"},
      {"oauth_client_id = \"c2p\"\n" + secret, "issuers[1].oauth_client_id: needs base_url"},
      {"base_url = \"https://x\"\noauth_client_id = \"c2p\"\n" + secret +
           "oauth_token_url = \"https://x/token?a=1\"\n",
       "issuers[1].oauth_token_url"},
      {"base_url = \"https://x\"\noauth_scope = \"s\"\n", "issuers[1].oauth_scope"},
      {"base_url = \"https://x\"\noauth_client_id = \"c2p\"\n"
       "oauth_client_secret_file = \"keys/missing\"\n",
       "issuers[1].oauth_client_secret_file"},
      {"base_url = \"https://x\"\nconsumer_info_timeout_ms = 0\n",
       "issuers[1].consumer_info_timeout_ms"},
  };
  for (const auto& [extra, start] : cases) {
    auto r = Parse(issuer + extra);
    ASSERT_FALSE(r) << extra;
    EXPECT_EQ(r.error().message.rfind(start, 0), 0u) << r.error().message;
  }
}

// S7: a notification URL may only name a host the issuer's allow-list holds.
TEST_F(ConfigTest, NotificationUrlsMustNameAnAllowedHost) {
  std::ofstream(dir_ / "keys/whsec2") << "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n";
  const std::string issuer =
      "[[issuers]]\nid = \"ISSUER0002\"\nassertion_keys = [\"keys/i1.pub.jwk\"]\n"
      "notification_secret_file = \"keys/whsec2\"\n";
  auto ok = Parse(issuer +
                  "notification_url = \"https://Hooks.Issuer.example:8443/d1\"\n"
                  "notification_hosts = [\"other.example\", \"hooks.issuer.example\"]\n");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->issuers[1].notification_hosts.size(), 2U);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"notification_url = \"https://evil.example/d1\"\nnotification_hosts = "
       "[\"issuer.example\"]\n",
       "issuers[1].notification_url: its host is not in notification_hosts"},
      {"notification_url = \"https://issuer.example.evil.example/d1\"\n"
       "notification_hosts = [\"issuer.example\"]\n",
       "issuers[1].notification_url: its host is not in notification_hosts"},
      {"notification_url = \"https://issuer.example@evil.example/d1\"\n"
       "notification_hosts = [\"issuer.example\"]\n",
       "issuers[1].notification_url: must be an http:// or https:// base URL"},
      // User information or a backslash: the allow-list and a URL parser could disagree on
      // the host, so neither is accepted (docs/security.md).
      {"notification_url = \"https://evil.example@issuer.example/d1\"\n"
       "notification_hosts = [\"issuer.example\"]\n",
       "issuers[1].notification_url: must be an http:// or https:// base URL"},
      {"notification_url = \"https://evil.example\\\\@issuer.example/d1\"\n"
       "notification_hosts = [\"issuer.example\"]\n",
       "issuers[1].notification_url: must be an http:// or https:// base URL"},
      {"notification_url = \"https://issuer.example/d1\"\n",
       "issuers[1].notification_hosts: required with notification_url"},
      {"notification_url = \"https://issuer.example/d1/\"\nnotification_hosts = "
       "[\"issuer.example\"]\n",
       "issuers[1].notification_url"},
  };
  for (const auto& [text, error] : cases) {
    auto c = Parse(issuer + text);
    ASSERT_FALSE(c) << text;
    EXPECT_EQ(c.error().message.rfind(error, 0), 0U) << c.error().message;
  }
}

TEST_F(ConfigTest, NotificationDeliveryHasDefaultsAndCanBeSet) {
  auto none = Parse("");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->notifications.retry_schedule.empty());
  EXPECT_EQ(none->notifications.horizon, std::chrono::hours(72));
  EXPECT_EQ(none->notifications.idle_poll, std::chrono::seconds(1));
  auto c = Parse(
      "[notifications]\nretry_schedule_ms = [100, 200]\nhorizon_ms = 5000\njitter_percent = 0\n"
      "max_in_flight_per_issuer = 2\ntimeout_ms = 500\nidle_poll_ms = 600000\n");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->notifications.retry_schedule,
            (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(100),
                                                    std::chrono::milliseconds(200)}));
  EXPECT_EQ(c->notifications.horizon, std::chrono::milliseconds(5000));
  EXPECT_EQ(c->notifications.jitter_percent, 0U);
  EXPECT_EQ(c->notifications.max_in_flight_per_issuer, 2U);
  EXPECT_EQ(c->notifications.timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(c->notifications.idle_poll, std::chrono::minutes(10));
  for (const char* bad :
       {"retry_schedule_ms = []", "retry_schedule_ms = [0]", "retry_schedule_ms = [\"5s\"]",
        "jitter_percent = 101", "idle_poll_ms = 9", "idle_poll_ms = 600001", "nope = 1"}) {
    auto b = Parse(std::string("[notifications]\n") + bad + "\n");
    ASSERT_FALSE(b) << bad;
    EXPECT_EQ(b.error().message.rfind("notifications.", 0), 0U) << b.error().message;
  }
}

TEST_F(ConfigTest, UnknownKeysAreNamed) {
  auto top = Parse("\n[surprise]\nx = 1\n");
  ASSERT_FALSE(top);
  EXPECT_EQ(top.error().message, "surprise: unknown key");
}

TEST_F(ConfigTest, UnknownNestedKeyIsNamedWithItsPath) {
  const std::string text = R"(
[server]
prot = 1
[store]
url = "sqlite:x.db"
[keys]
token_mac = "keys/mac.jwk"
jwe = ["keys/jwe.jwk"]
pan = ["keys/pan.jwk"]
pan_hmac = "keys/hmac.jwk"
)";
  auto c = ParseConfig(text, dir_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "server.prot: unknown key");
}

TEST_F(ConfigTest, BadValuesAreNamed) {
  struct Case {
    std::string extra;
    std::string message_start;
  };
  const std::vector<Case> cases = {
      {"[[issuers]]\nid = \"SHORT\"\nassertion_keys = [\"keys/i1.pub.jwk\"]\n", "issuers[1].id"},
      {"[[issuers]]\nid = \"ISSUER0002\"\nassertion_keys = [\"keys/i1.pub.jwk\"]\n"
       "personal_data = \"maybe\"\n",
       "issuers[1].personal_data"},
      {"[[issuers]]\nid = \"ISSUER0002\"\nassertion_keys = [\"keys/missing.jwk\"]\n",
       "issuers[1].assertion_keys: no such file"},
      {"[[issuers]]\nid = \"ISSUER0001\"\nassertion_keys = [\"keys/i1.pub.jwk\"]\n",
       "issuers[1].id: duplicate"},
      {"[[card_products]]\nid = \"MC\"\nissuer = \"NOBODY0001\"\nnetwork = \"MASTERCARD\"\n"
       "bin_ranges = [[\"510000\", \"559999\"]]\n",
       "card_products[1].issuer"},
      {"[[card_products]]\nid = \"MC\"\nissuer = \"ISSUER0001\"\nnetwork = \"AMEX\"\n"
       "bin_ranges = [[\"510000\", \"559999\"]]\n",
       "card_products[1].network"},
      {"[[card_products]]\nid = \"MC\"\nissuer = \"ISSUER0001\"\nnetwork = \"MASTERCARD\"\n"
       "bin_ranges = [[\"559999\", \"510000\"]]\n",
       "card_products[1].bin_ranges"},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.extra);
    ASSERT_FALSE(r) << c.extra;
    EXPECT_EQ(r.error().message.rfind(c.message_start, 0), 0u) << r.error().message;
  }
}

TEST_F(ConfigTest, WrongTypesAndRangesAreNamed) {
  auto c = ParseConfig("[server]\nport = \"80\"\n", dir_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "server.port: must be an integer");
  c = ParseConfig("[server]\nport = 70000\n", dir_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "server.port: must be between 0 and 65535");
}

TEST_F(ConfigTest, SyntaxErrorsGiveTheLine) {
  auto c = ParseConfig("[server\n", dir_);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("line 1"), std::string::npos) << c.error().message;
}

TEST_F(ConfigTest, StoreIsRequiredAndMustBeSqlite) {
  auto c = ParseConfig("", dir_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message, "store: is required");
  c = ParseConfig("[store]\nurl = \"mysql://x\"\n", dir_);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.rfind("store.url", 0), 0u);
}

// [server.tls], with certificates made by the test.
class ConfigTlsTest : public ConfigTest {
 protected:
  void SetUp() override {
    ConfigTest::SetUp();
    testing::WriteServerTlsFiles(dir_ / "tls", ca_);
    testing::WriteServerTlsFiles(dir_ / "rsa", ca_, testing::KeyKind::kRsa2048);
  }
  static std::string TlsSection(std::string_view cert, std::string_view extra = {}) {
    return "\n[server.tls]\ncertificate = \"" + std::string(cert) + "\"\nprivate_key = \"" +
           std::string(cert.substr(0, cert.find('/'))) +
           "/server.key\"\nclient_ca = \"tls/client_ca.crt\"\n" + std::string(extra);
  }

  testing::TestCa ca_{"config test CA"};
};

TEST_F(ConfigTlsTest, TlsFilesResolveAgainstTheConfigDirectory) {
  auto c = Parse(TlsSection("tls/server.crt"));
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_TRUE(c->server.tls.has_value());
  EXPECT_EQ(c->server.tls->certificate, dir_ / "tls/server.crt");
  EXPECT_EQ(c->server.tls->private_key, dir_ / "tls/server.key");
  EXPECT_EQ(c->server.tls->client_ca, dir_ / "tls/client_ca.crt");
}

TEST_F(ConfigTlsTest, NoTlsSectionMeansPlainTcp) {
  auto c = Parse("");
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->server.tls.has_value());
}

TEST_F(ConfigTlsTest, TlsErrorsNameTheKey) {
  struct Case {
    std::string extra;
    std::string message_start;
  };
  const std::vector<Case> cases = {
      {TlsSection("tls/missing.crt"), "server.tls.certificate: no such file"},
      {"\n[server.tls]\ncertificate = \"tls/server.crt\"\nclient_ca = \"tls/client_ca.crt\"\n",
       "server.tls.private_key: is required"},
      {TlsSection("tls/server.crt", "ciphers = \"ALL\"\n"), "server.tls.ciphers: unknown key"},
      {TlsSection("rsa/server.crt"),
       "server.tls.certificate: must be an ECDSA P-256 certificate (found RSA)"},
  };
  for (const auto& c : cases) {
    auto r = Parse(c.extra);
    ASSERT_FALSE(r) << c.extra;
    EXPECT_EQ(r.error().message.rfind(c.message_start, 0), 0u) << r.error().message;
  }
}

}  // namespace
}  // namespace c2p::app
