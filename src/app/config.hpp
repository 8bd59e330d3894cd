#pragma once
// c2pd's configuration: one TOML file loaded into typed structs and validated completely
// at start-up. An unknown key, a wrong type or a bad value stops the start with a message
// naming the key (e.g. "issuers[1].personal_data: must be \"stored\" or \"fetch\"").
// Relative file paths are resolved against the config file's directory. Secrets are never
// inline: the config names files that hold them.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "http/server.hpp"
#include "log/log.hpp"

namespace c2p::app {

struct StoreConfig {
  std::string url;  // "sqlite:PATH" | "postgresql://…" (may hold a password: never logged)
  // PostgreSQL only: writer connections committing groups concurrently (SQLite has one).
  // Four overlap enough round trips for 2–3× one's P1 on PostgreSQL (performance.md).
  unsigned write_connections = 4;
};

struct KeysConfig {
  std::filesystem::path token_mac;  // oct JWK: access-token MAC key
  // Previous MAC keys: tokens they signed stay valid until they expire (rotation).
  std::vector<std::filesystem::path> token_mac_retired;
  std::vector<std::filesystem::path> jwe;  // EC JWKs c2p decrypts card data with
  std::vector<std::filesystem::path> pan;  // oct JWKs, PAN encryption key versions
  std::filesystem::path pan_hmac;          // oct JWK: PAN index key
};

enum class PersonalData { kStored, kFetch };

struct IssuerConfig {
  std::string id;
  std::vector<std::filesystem::path> assertion_keys;  // public EC JWKs
  PersonalData personal_data = PersonalData::kStored;
  bool auto_enrolment = false;
  std::string base_url;          // issuer backend (consumer info, OAuth); no trailing slash
  std::string notification_url;  // where notifications go; no trailing slash
  // The hosts notification_url may name (required with it): a URL naming any other host is
  // refused at start-up, so a mistyped or tampered configuration cannot send elsewhere.
  std::vector<std::string> notification_hosts;
  std::filesystem::path notification_secret_file;  // whsec_… secret
  unsigned max_operations_per_notification = 10;
  bool notify_pending = false;
  bool consumer_info_by_card = false;
  unsigned rate_limit_per_second = 0;         // bearer routes; 0: unlimited
  unsigned token_rate_limit_per_second = 10;  // the token endpoint; 0: unlimited
  // Outbound OAuth to the issuer (spec/outbound.md §1, src/notify): on when a client id and
  // its secret file are set (both or neither). The URL defaults to
  // {base_url}/authz/d1/v1/oauth2/token and is filled in here when OAuth is on.
  std::string oauth_token_url;
  std::string oauth_client_id;
  std::filesystem::path oauth_client_secret_file;           // the secret on one line
  std::string oauth_scope;                                  // empty: none sent
  std::chrono::milliseconds consumer_info_timeout{10'000};  // per Get Consumer Information
  // Batch files (spec/batch.md): the spool (inbox/, work/, outbox/ under it); empty: batch
  // files are off for the issuer. Relative paths resolve against the config file's folder.
  std::filesystem::path spool_dir;
  unsigned batch_records_per_second = 0;  // 0: unthrottled
};

struct AuthConfig {
  // What an assertion's optional "aud" must name (spec/api.md §3.1).
  std::string audience = "c2p";
};

enum class Network { kVisa, kMastercard };

struct BinRange {
  std::string low;  // inclusive, digits, same length as high
  std::string high;
};

struct CardProductConfig {
  std::string id;
  std::string issuer;
  Network network = Network::kVisa;
  std::vector<BinRange> bin_ranges;
  // decision = "GREEN" (default) | "YELLOW": YELLOW makes the token service's approval
  // a step-up for this product's cards (spec/outbound.md §4).
  bool step_up = false;
};

// [networks.visa] / [networks.mastercard]: where a directory is and how c2p calls it
// (src/networks, docs/networks.md). Secrets stay in files: the API key file holds the
// x-api-key on one line; the encryption key is the network's public RSA JWK.
struct NetworkEndpointConfig {
  std::string url;  // http:// or https://, no trailing slash
  std::filesystem::path api_key_file;
  std::filesystem::path encryption_key;
  std::chrono::milliseconds timeout{10'000};        // per directory call
  std::chrono::milliseconds enrol_timeout{60'000};  // Mastercard's blocking enrolment
  // A call left unanswered may still be running at the directory: its operation's next
  // attempt waits at least this (and at least the call's timeout) before it looks.
  std::chrono::milliseconds in_doubt{0};
  std::string src_client_id = "c2p";                // Mastercard only
  std::string service_id = "c2p-issuer-enrolment";  // Mastercard only
  // The bearer secret the network's token service presents to /tsp/v1/networks/{network}
  // (one line). Without it c2p answers that network's token service 404.
  std::filesystem::path tsp_secret_file;
};

struct NetworksConfig {
  std::optional<NetworkEndpointConfig> visa;
  std::optional<NetworkEndpointConfig> mastercard;
};

// The enrolment engine (src/engine).
struct EngineConfig {
  std::chrono::milliseconds operation_deadline{std::chrono::hours(24)};
  std::chrono::milliseconds retry_base{200};
  std::chrono::milliseconds retry_max{60'000};
  unsigned max_in_flight = 512;
  // The bulk lane's (batch files' auto-enrolments) share of max_in_flight; 0: half of it
  // (docs/engine.md "Lanes"). At most max_in_flight.
  unsigned bulk_max_in_flight = 0;
  // The bulk lane's share while interactive jobs run (the last 2 s); 0: a quarter of
  // bulk_max_in_flight. At most bulk_max_in_flight.
  unsigned bulk_max_in_flight_when_interactive = 0;
  // Each directory's share of a Click to Pay profiles read (spec/api.md §5.7).
  std::chrono::milliseconds profile_timeout{5'000};
  // How long a claimed job is held before another worker (another node, after a crash) may
  // take it over; must outlast one attempt (docs/engine.md "Leases and fencing").
  std::chrono::milliseconds lease{300'000};
};

// [notifications]: delivery to the issuers (src/notify).
struct NotificationsConfig {
  // Delays after the 1st, 2nd… failed attempt, the last one repeating; empty: the schedule of
  // shared/spec/outbound.md §3 (5 s, 30 s, 2 min … 8 h).
  std::vector<std::chrono::milliseconds> retry_schedule;
  std::chrono::milliseconds horizon{std::chrono::hours(72)};  // then DEAD
  unsigned jitter_percent = 20;                               // each delay ± this
  unsigned max_in_flight_per_issuer = 4;
  std::chrono::milliseconds timeout{10'000};  // one attempt, connection included
  // A claimed message is not claimed again (by any node) before this; above `timeout`.
  std::chrono::milliseconds lease{60'000};
  // The longest sleep of the delivery loop: how soon a c2pctl resume or redeliver is seen.
  std::chrono::milliseconds idle_poll{1'000};
};

// [batch]: batch registration files (src/batch).
struct BatchConfig {
  std::chrono::milliseconds poll_interval{1'000};  // inbox look-ups
  std::chrono::milliseconds settle{2'000};         // a file not named *.part is complete after this
  std::uint64_t max_file_bytes = 200ULL << 20;
  unsigned chunk_records = 1024;  // records per unit of work
  // Records per unit of work while interactive jobs run (the last 2 s); at most chunk_records.
  unsigned chunk_records_when_interactive = 128;
  unsigned prepare_threads = 0;  // 0: one per core
  // Where HTTPS uploads are streamed before they join a spool: on the spools' file system
  // (they are moved by rename). Empty: "uploads" beside the first issuer's spool.
  std::filesystem::path upload_dir;
};

struct Config {
  std::filesystem::path path;  // the file it came from
  http::ServerOptions server;
  StoreConfig store;
  log::Options log;
  KeysConfig keys;
  NotificationsConfig notifications;
  BatchConfig batch;
  AuthConfig auth;
  std::vector<IssuerConfig> issuers;
  std::vector<CardProductConfig> card_products;
  NetworksConfig networks;
  EngineConfig engine;
};

// Reads and validates a config file. Referenced key and secret files must exist.
core::Result<Config> LoadConfig(const std::filesystem::path& path);
// Same, from text; relative paths resolve against `base_dir`.
core::Result<Config> ParseConfig(std::string_view text, const std::filesystem::path& base_dir);

}  // namespace c2p::app
