#include "app/config.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "app/toml_reader.hpp"
#include "core/ids.hpp"
#include "http/tls.hpp"

namespace c2p::app {
namespace fs = std::filesystem;

namespace {

using core::Result;
using VoidResult = core::Result<void>;

tl::unexpected<core::Error> Err(core::Error e) { return tl::unexpected(std::move(e)); }

// The one-line key adapters are shared with c2psim (app/toml_reader.hpp).
using toml_keys::Bool;
using toml_keys::FileList;
using toml_keys::FilePath;
using toml_keys::Int;
using toml_keys::Millis;
using toml_keys::Str;

bool IsHttpUrl(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// A base URL other paths are appended to: http(s), no trailing slash, query or fragment,
// and no user information or backslash: the HTTP client refuses those at every send, and
// they are how a URL is made to name one host to the allow-list and another to a client
// (docs/security.md), so they stop the start instead.
bool IsBaseUrl(std::string_view url) {
  return IsHttpUrl(url) && !url.ends_with("/") && url.find_first_of(" ?#@\\") == std::string::npos;
}

// The host of an http(s) URL, without port or brackets ("" when there is none).
std::string UrlHost(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  if (rest.starts_with("[")) {
    const auto close = rest.find(']');
    return close == std::string_view::npos ? std::string() : std::string(rest.substr(1, close - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// [server.tls]: all three files, or no TLS. They are also loaded here (and again at start),
// so that `c2pd check-config` catches a certificate of the wrong kind or a key that does
// not match it, not only a missing file.
VoidResult ParseServerTls(const toml::table* t, const fs::path& base,
                          std::optional<http::TlsOptions>& out) {
  if (t == nullptr) return {};
  TomlReader r(*t, "server.tls");
  http::TlsOptions tls;
  if (auto ok = FilePath(r, "certificate", base, tls.certificate, true); !ok) return ok;
  if (auto ok = FilePath(r, "private_key", base, tls.private_key, true); !ok) return ok;
  if (auto ok = FilePath(r, "client_ca", base, tls.client_ca, true); !ok) return ok;
  if (auto ok = r.RejectUnknown(); !ok) return ok;
  if (auto context = http::MakeTlsContext(tls); !context) {
    // The message names the option as "tls.<key>: ..."; the section adds "server.".
    return Err(
        core::Error::Make(core::ErrorCode::kConfigInvalid, "server." + context.error().message));
  }
  out = std::move(tls);
  return {};
}

VoidResult ParseServer(const toml::table* t, const fs::path& base, http::ServerOptions& s) {
  if (t == nullptr) return {};
  TomlReader r(*t, "server");
  if (auto ok = Str(r, "listen", s.listen_address, false); !ok) return ok;
  if (auto ok = Int(r, "port", s.port, 0, 65535); !ok) return ok;
  if (auto ok = Int(r, "threads", s.threads, 0, 256); !ok) return ok;
  if (auto ok = Int(r, "max_connections", s.max_connections, 1, 1'000'000); !ok) return ok;
  if (auto ok = Int(r, "max_header_bytes", s.header_limit, 1024, 65536); !ok) return ok;
  if (auto ok = Millis(r, "header_timeout_ms", s.header_timeout); !ok) return ok;
  if (auto ok = Millis(r, "body_timeout_ms", s.body_timeout); !ok) return ok;
  if (auto ok = Millis(r, "idle_timeout_ms", s.idle_timeout); !ok) return ok;
  if (auto ok = Millis(r, "write_timeout_ms", s.write_timeout); !ok) return ok;
  if (auto ok = Millis(r, "shutdown_grace_ms", s.shutdown_grace); !ok) return ok;
  if (auto ok = Bool(r, "access_log", s.access_log); !ok) return ok;
  auto tls = r.Table("tls");
  if (!tls) return Err(tls.error());
  if (auto ok = ParseServerTls(*tls, base, s.tls); !ok) return ok;
  return r.RejectUnknown();
}

VoidResult ParseStore(const toml::table* t, StoreConfig& s) {
  if (t == nullptr)
    return Err(core::Error::Make(core::ErrorCode::kConfigInvalid, "store: is required"));
  TomlReader r(*t, "store");
  if (auto ok = Str(r, "url", s.url, true); !ok) return ok;
  if (!s.url.starts_with("sqlite:") && !s.url.starts_with("postgresql://")) {
    return Err(r.Invalid("url", "must start with sqlite: or postgresql://"));
  }
  if (auto ok = Int(r, "write_connections", s.write_connections, 1, 64); !ok) return ok;
  return r.RejectUnknown();
}

VoidResult ParseLog(const toml::table* t, const fs::path& base, log::Options& s) {
  if (t == nullptr) return {};
  TomlReader r(*t, "log");
  std::string level = "info";
  if (auto ok = Str(r, "level", level, false); !ok) return ok;
  auto parsed = log::ParseLevel(level);
  if (!parsed) return Err(r.Invalid("level", parsed.error().message));
  s.level = *parsed;
  std::string file;
  if (auto ok = Str(r, "file", file, false); !ok) return ok;
  if (!file.empty())
    s.file = (fs::path(file).is_relative() ? base / file : fs::path(file)).string();
  return r.RejectUnknown();
}

VoidResult ParseKeys(const toml::table* t, const fs::path& base, KeysConfig& k) {
  if (t == nullptr)
    return Err(core::Error::Make(core::ErrorCode::kConfigInvalid, "keys: is required"));
  TomlReader r(*t, "keys");
  if (auto ok = FilePath(r, "token_mac", base, k.token_mac, true); !ok) return ok;
  if (auto ok = FileList(r, "token_mac_retired", base, k.token_mac_retired, false); !ok) return ok;
  if (auto ok = FileList(r, "jwe", base, k.jwe, true); !ok) return ok;
  if (auto ok = FileList(r, "pan", base, k.pan, true); !ok) return ok;
  if (auto ok = FilePath(r, "pan_hmac", base, k.pan_hmac, true); !ok) return ok;
  return r.RejectUnknown();
}

VoidResult ParseAuth(const toml::table* t, AuthConfig& a) {
  if (t == nullptr) return {};
  TomlReader r(*t, "auth");
  if (auto ok = Str(r, "audience", a.audience, false); !ok) return ok;
  return r.RejectUnknown();
}

VoidResult ParseNetwork(const toml::table* t, std::string_view name, const fs::path& base,
                        std::optional<NetworkEndpointConfig>& out) {
  if (t == nullptr) return {};
  TomlReader r(*t, "networks." + std::string(name));
  NetworkEndpointConfig n;
  if (auto ok = Str(r, "url", n.url, true); !ok) return ok;
  const bool http_url = n.url.starts_with("http://") || n.url.starts_with("https://");
  if (!http_url || n.url.ends_with("/") || n.url.find_first_of(" ?#") != std::string::npos) {
    return Err(r.Invalid("url", "must be an http:// or https:// base URL without a trailing /"));
  }
  if (auto ok = FilePath(r, "api_key_file", base, n.api_key_file, true); !ok) return ok;
  if (auto ok = FilePath(r, "encryption_key", base, n.encryption_key, true); !ok) return ok;
  if (auto ok = Millis(r, "timeout_ms", n.timeout); !ok) return ok;
  if (auto ok = Millis(r, "enrol_timeout_ms", n.enrol_timeout); !ok) return ok;
  if (auto ok = Millis(r, "in_doubt_ms", n.in_doubt); !ok) return ok;
  if (auto ok = FilePath(r, "tsp_secret_file", base, n.tsp_secret_file, false); !ok) return ok;
  if (name == "mastercard") {
    if (auto ok = Str(r, "src_client_id", n.src_client_id, false); !ok) return ok;
    if (auto ok = Str(r, "service_id", n.service_id, false); !ok) return ok;
  }
  out = std::move(n);
  return r.RejectUnknown();
}

// A job's holder sends no directory write that could still be unanswered or in doubt
// when its lease ends (networks::CallContext::settled_by_ms): the last `settles` of every
// lease refuse writes, so at least as much again must be left for the attempt itself.
VoidResult CheckLeaseOutlastsCalls(const Config& config) {
  for (const auto& [name, network] : {std::pair{"visa", &config.networks.visa},
                                      std::pair{"mastercard", &config.networks.mastercard}}) {
    if (!*network) continue;
    const auto& n = **network;
    // Only Mastercard's enrolment blocks for enrol_timeout; every Visa call has `timeout`.
    const auto longest =
        std::string_view(name) == "mastercard" ? std::max(n.timeout, n.enrol_timeout) : n.timeout;
    const auto settles = longest + std::max(n.in_doubt, longest);
    if (config.engine.lease < 2 * settles) {
      return Err(core::Error::Make(core::ErrorCode::kConfigInvalid,
                                   "engine.lease_ms: must be at least twice networks." +
                                       std::string(name) +
                                       "'s longest call and its in-doubt wait (" +
                                       std::to_string(2 * settles.count()) + " ms)"));
    }
  }
  return {};
}

VoidResult ParseEngine(const toml::table* t, EngineConfig& e) {
  if (t == nullptr) return {};
  TomlReader r(*t, "engine");
  // Up to a week: Millis() stops at an hour, which is too short for a deadline.
  std::int64_t deadline = e.operation_deadline.count();
  if (auto ok = Int(r, "operation_deadline_ms", deadline, 1, 7LL * 24 * 3'600'000); !ok) return ok;
  e.operation_deadline = std::chrono::milliseconds(deadline);
  if (auto ok = Millis(r, "retry_base_ms", e.retry_base); !ok) return ok;
  if (auto ok = Millis(r, "retry_max_ms", e.retry_max); !ok) return ok;
  if (auto ok = Int(r, "max_in_flight", e.max_in_flight, 1, 100'000); !ok) return ok;
  if (auto ok = Int(r, "bulk_max_in_flight", e.bulk_max_in_flight, 0, 100'000); !ok) return ok;
  if (auto ok = Int(r, "bulk_max_in_flight_when_interactive", e.bulk_max_in_flight_when_interactive,
                    0, 100'000);
      !ok) {
    return ok;
  }
  if (auto ok = Millis(r, "profile_timeout_ms", e.profile_timeout); !ok) return ok;
  if (auto ok = Millis(r, "lease_ms", e.lease); !ok) return ok;
  if (e.lease < std::chrono::seconds(1)) return Err(r.Invalid("lease_ms", "must be at least 1000"));
  if (e.retry_max < e.retry_base) {
    return Err(r.Invalid("retry_max_ms", "must not be below retry_base_ms"));
  }
  if (e.bulk_max_in_flight > e.max_in_flight) {
    return Err(r.Invalid("bulk_max_in_flight", "must not be above max_in_flight"));
  }
  if (e.bulk_max_in_flight_when_interactive > e.max_in_flight) {
    return Err(r.Invalid("bulk_max_in_flight_when_interactive", "must not be above max_in_flight"));
  }
  return r.RejectUnknown();
}

VoidResult ParseNotifications(const toml::table* t, NotificationsConfig& n) {
  if (t == nullptr) return {};
  TomlReader r(*t, "notifications");
  auto steps = r.Array("retry_schedule_ms");
  if (!steps) return Err(steps.error());
  if (*steps != nullptr) {
    for (const auto& item : **steps) {
      const auto* v = item.as_integer();
      if (v == nullptr || v->get() < 1 || v->get() > 7LL * 24 * 3'600'000) {
        return Err(r.Invalid("retry_schedule_ms", "must be an array of 1..604800000"));
      }
      n.retry_schedule.emplace_back(v->get());
    }
    if (n.retry_schedule.empty()) {
      return Err(r.Invalid("retry_schedule_ms", "needs at least one delay"));
    }
  }
  std::int64_t horizon = n.horizon.count();
  if (auto ok = Int(r, "horizon_ms", horizon, 1, 30LL * 24 * 3'600'000); !ok) return ok;
  n.horizon = std::chrono::milliseconds(horizon);
  if (auto ok = Int(r, "jitter_percent", n.jitter_percent, 0, 100); !ok) return ok;
  if (auto ok = Int(r, "max_in_flight_per_issuer", n.max_in_flight_per_issuer, 1, 1'000); !ok) {
    return ok;
  }
  if (auto ok = Millis(r, "timeout_ms", n.timeout); !ok) return ok;
  if (auto ok = Millis(r, "lease_ms", n.lease); !ok) return ok;
  if (n.lease <= n.timeout) return Err(r.Invalid("lease_ms", "must be above timeout_ms"));
  std::int64_t idle_poll = n.idle_poll.count();
  if (auto ok = Int(r, "idle_poll_ms", idle_poll, 10, 600'000); !ok) return ok;
  n.idle_poll = std::chrono::milliseconds(idle_poll);
  return r.RejectUnknown();
}

VoidResult ParseBatch(const toml::table* t, const fs::path& base, BatchConfig& b) {
  if (t == nullptr) return {};
  TomlReader r(*t, "batch");
  if (auto ok = Millis(r, "poll_ms", b.poll_interval); !ok) return ok;
  if (auto ok = Millis(r, "settle_ms", b.settle); !ok) return ok;
  std::uint64_t mb = b.max_file_bytes >> 20;
  if (auto ok = Int(r, "max_file_mb", mb, 1, 200); !ok) return ok;  // spec/batch.md §1
  b.max_file_bytes = mb << 20;
  if (auto ok = Int(r, "chunk_records", b.chunk_records, 1, 10'000); !ok) return ok;
  if (auto ok =
          Int(r, "chunk_records_when_interactive", b.chunk_records_when_interactive, 1, 10'000);
      !ok) {
    return ok;
  }
  if (auto ok = Int(r, "prepare_threads", b.prepare_threads, 0, 256); !ok) return ok;
  std::string uploads;
  if (auto ok = Str(r, "upload_dir", uploads, false); !ok) return ok;
  if (!uploads.empty()) {
    b.upload_dir = fs::path(uploads).is_relative() ? base / uploads : fs::path(uploads);
  }
  return r.RejectUnknown();
}

VoidResult ParseNetworks(const toml::table* t, const fs::path& base, NetworksConfig& n) {
  if (t == nullptr) return {};
  TomlReader r(*t, "networks");
  auto visa = r.Table("visa");
  if (!visa) return Err(visa.error());
  if (auto ok = ParseNetwork(*visa, "visa", base, n.visa); !ok) return ok;
  auto mastercard = r.Table("mastercard");
  if (!mastercard) return Err(mastercard.error());
  if (auto ok = ParseNetwork(*mastercard, "mastercard", base, n.mastercard); !ok) return ok;
  return r.RejectUnknown();
}

// The issuer's outbound OAuth keys (after base_url has been read).
VoidResult ParseIssuerOAuth(TomlReader& r, const fs::path& base, IssuerConfig& s) {
  if (auto ok = Str(r, "oauth_client_id", s.oauth_client_id, false); !ok) return ok;
  if (auto ok = FilePath(r, "oauth_client_secret_file", base, s.oauth_client_secret_file, false);
      !ok) {
    return ok;
  }
  if (auto ok = Str(r, "oauth_token_url", s.oauth_token_url, false); !ok) return ok;
  if (auto ok = Str(r, "oauth_scope", s.oauth_scope, false); !ok) return ok;
  if (s.oauth_client_id.empty() != s.oauth_client_secret_file.empty()) {
    return Err(r.Invalid(s.oauth_client_id.empty() ? "oauth_client_id" : "oauth_client_secret_file",
                         "oauth_client_id and oauth_client_secret_file go together"));
  }
  // RFC 7617: the client id is the part before the first ':' of the Basic credentials.
  if (s.oauth_client_id.find_first_of(":\r\n") != std::string::npos) {
    return Err(r.Invalid("oauth_client_id", "must not hold ':' or a line break"));
  }
  if (!s.oauth_token_url.empty() && !IsBaseUrl(s.oauth_token_url)) {
    return Err(r.Invalid("oauth_token_url",
                         "must be an http:// or https:// URL without a trailing / or query"));
  }
  const bool on = !s.oauth_client_id.empty();
  if (!on && (!s.oauth_token_url.empty() || !s.oauth_scope.empty())) {
    return Err(r.Invalid(s.oauth_token_url.empty() ? "oauth_scope" : "oauth_token_url",
                         "needs oauth_client_id and oauth_client_secret_file"));
  }
  if (on && s.oauth_token_url.empty()) {
    if (s.base_url.empty()) {
      return Err(r.Invalid("oauth_client_id", "needs base_url or oauth_token_url"));
    }
    s.oauth_token_url = s.base_url + "/authz/d1/v1/oauth2/token";
  }
  return {};
}

VoidResult ParseIssuer(const toml::table& t, std::size_t i, const fs::path& base, IssuerConfig& s) {
  TomlReader r(t, "issuers[" + std::to_string(i) + "]");
  if (auto ok = Str(r, "id", s.id, true); !ok) return ok;
  if (!core::IsIssuerId(s.id)) return Err(r.Invalid("id", "must match ^[A-Za-z0-9_-]{10}$"));
  if (auto ok = FileList(r, "assertion_keys", base, s.assertion_keys, true); !ok) return ok;
  std::string personal = "stored";
  if (auto ok = Str(r, "personal_data", personal, false); !ok) return ok;
  if (personal == "stored") {
    s.personal_data = PersonalData::kStored;
  } else if (personal == "fetch") {
    s.personal_data = PersonalData::kFetch;
  } else {
    return Err(r.Invalid("personal_data", "must be \"stored\" or \"fetch\""));
  }
  if (auto ok = Bool(r, "auto_enrolment", s.auto_enrolment); !ok) return ok;
  if (auto ok = Str(r, "base_url", s.base_url, false); !ok) return ok;
  if (!s.base_url.empty() && !IsBaseUrl(s.base_url)) {
    return Err(r.Invalid(
        "base_url", "must be an http:// or https:// base URL without a trailing /, '@' or '\\'"));
  }
  if (auto ok = Str(r, "notification_url", s.notification_url, false); !ok) return ok;
  if (!s.notification_url.empty() && !IsBaseUrl(s.notification_url)) {
    return Err(
        r.Invalid("notification_url",
                  "must be an http:// or https:// base URL without a trailing /, '@' or '\\'"));
  }
  auto hosts = r.StringList("notification_hosts");
  if (!hosts) return Err(hosts.error());
  s.notification_hosts = std::move(*hosts);
  if (!s.notification_url.empty()) {
    if (s.notification_hosts.empty()) {
      return Err(r.Invalid("notification_hosts", "required with notification_url"));
    }
    const std::string host = UrlHost(s.notification_url);
    const bool allowed =
        std::any_of(s.notification_hosts.begin(), s.notification_hosts.end(),
                    [&](const std::string& h) { return EqualsIgnoringCase(h, host); });
    if (!allowed) {
      return Err(r.Invalid("notification_url", "its host is not in notification_hosts"));
    }
  }
  if (auto ok = FilePath(r, "notification_secret_file", base, s.notification_secret_file,
                         !s.notification_url.empty());
      !ok) {
    return ok;
  }
  if (auto ok =
          Int(r, "max_operations_per_notification", s.max_operations_per_notification, 1, 100);
      !ok) {
    return ok;
  }
  if (auto ok = Bool(r, "notify_pending", s.notify_pending); !ok) return ok;
  if (auto ok = Bool(r, "consumer_info_by_card", s.consumer_info_by_card); !ok) return ok;
  if (auto ok = Int(r, "rate_limit_per_second", s.rate_limit_per_second, 0, 1'000'000); !ok) {
    return ok;
  }
  if (auto ok = Int(r, "token_rate_limit_per_second", s.token_rate_limit_per_second, 0, 1'000'000);
      !ok) {
    return ok;
  }
  if (auto ok = ParseIssuerOAuth(r, base, s); !ok) return ok;
  if (auto ok = Millis(r, "consumer_info_timeout_ms", s.consumer_info_timeout); !ok) return ok;
  std::string spool;
  if (auto ok = Str(r, "spool_dir", spool, false); !ok) return ok;
  if (!spool.empty()) s.spool_dir = fs::path(spool).is_relative() ? base / spool : fs::path(spool);
  if (auto ok = Int(r, "batch_records_per_second", s.batch_records_per_second, 0, 1'000'000); !ok) {
    return ok;
  }
  return r.RejectUnknown();
}

VoidResult ParseCardProduct(const toml::table& t, std::size_t i, CardProductConfig& p) {
  TomlReader r(t, "card_products[" + std::to_string(i) + "]");
  if (auto ok = Str(r, "id", p.id, true); !ok) return ok;
  if (!core::IsCardId(p.id)) return Err(r.Invalid("id", "must match ^[A-Za-z0-9_-]{1,48}$"));
  if (auto ok = Str(r, "issuer", p.issuer, true); !ok) return ok;
  std::string network;
  if (auto ok = Str(r, "network", network, true); !ok) return ok;
  if (network == "VISA") {
    p.network = Network::kVisa;
  } else if (network == "MASTERCARD") {
    p.network = Network::kMastercard;
  } else {
    return Err(r.Invalid("network", "must be \"VISA\" or \"MASTERCARD\""));
  }
  auto ranges = r.Array("bin_ranges");
  if (!ranges) return Err(ranges.error());
  if (*ranges == nullptr || (*ranges)->empty()) {
    return Err(r.Invalid("bin_ranges", "needs at least one [low, high] range"));
  }
  for (const auto& item : **ranges) {
    const auto* pair = item.as_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() ||
        !(*pair)[1].is_string()) {
      return Err(r.Invalid("bin_ranges", "each range is [\"low\", \"high\"]"));
    }
    BinRange range{(*pair)[0].as_string()->get(), (*pair)[1].as_string()->get()};
    if (!AllDigits(range.low) || range.low.size() != range.high.size() || !AllDigits(range.high) ||
        range.low.size() < 6 || range.low.size() > 12 || range.low > range.high) {
      return Err(
          r.Invalid("bin_ranges", "low and high are 6..12 digits, same length, low <= high"));
    }
    p.bin_ranges.push_back(std::move(range));
  }
  std::string decision = "GREEN";
  if (auto ok = Str(r, "decision", decision, false); !ok) return ok;
  if (decision != "GREEN" && decision != "YELLOW") {
    return Err(r.Invalid("decision", "must be \"GREEN\" or \"YELLOW\""));
  }
  p.step_up = decision == "YELLOW";
  return r.RejectUnknown();
}

}  // namespace

core::Result<Config> ParseConfig(std::string_view text, const fs::path& base_dir) {
  // Debian's toml++ is built with exceptions: its parse error is caught here, at start-up,
  // and becomes a value like every other configuration error.
  toml::table root;
  try {
    root = toml::parse(text);
  } catch (const toml::parse_error& err) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "TOML syntax error at line " +
                                                           std::to_string(err.source().begin.line) +
                                                           ": " + std::string(err.description()));
  }
  TomlReader r(root, "");
  Config config;

  auto server = r.Table("server");
  if (!server) return Err(server.error());
  if (auto ok = ParseServer(*server, base_dir, config.server); !ok) return Err(ok.error());
  auto store = r.Table("store");
  if (!store) return Err(store.error());
  if (auto ok = ParseStore(*store, config.store); !ok) return Err(ok.error());
  auto logt = r.Table("log");
  if (!logt) return Err(logt.error());
  if (auto ok = ParseLog(*logt, base_dir, config.log); !ok) return Err(ok.error());
  auto keys = r.Table("keys");
  if (!keys) return Err(keys.error());
  if (auto ok = ParseKeys(*keys, base_dir, config.keys); !ok) return Err(ok.error());

  auto autht = r.Table("auth");
  if (!autht) return Err(autht.error());
  if (auto ok = ParseAuth(*autht, config.auth); !ok) return Err(ok.error());

  auto networks = r.Table("networks");
  if (!networks) return Err(networks.error());
  if (auto ok = ParseNetworks(*networks, base_dir, config.networks); !ok) return Err(ok.error());

  auto enginet = r.Table("engine");
  if (!enginet) return Err(enginet.error());
  if (auto ok = ParseEngine(*enginet, config.engine); !ok) return Err(ok.error());
  if (auto ok = CheckLeaseOutlastsCalls(config); !ok) return Err(ok.error());

  auto notifications = r.Table("notifications");
  if (!notifications) return Err(notifications.error());
  if (auto ok = ParseNotifications(*notifications, config.notifications); !ok) {
    return Err(ok.error());
  }

  auto batcht = r.Table("batch");
  if (!batcht) return Err(batcht.error());
  if (auto ok = ParseBatch(*batcht, base_dir, config.batch); !ok) return Err(ok.error());

  auto issuers = r.Array("issuers");
  if (!issuers) return Err(issuers.error());
  std::set<std::string> issuer_ids;
  if (*issuers != nullptr) {
    for (std::size_t i = 0; i < (*issuers)->size(); ++i) {
      const auto* t = (**issuers)[i].as_table();
      if (t == nullptr)
        return Err(r.Invalid("issuers", "must be an array of tables ([[issuers]])"));
      IssuerConfig issuer;
      if (auto ok = ParseIssuer(*t, i, base_dir, issuer); !ok) return Err(ok.error());
      if (!issuer_ids.insert(issuer.id).second) {
        return Err(r.Invalid("issuers[" + std::to_string(i) + "].id", "duplicate issuer id"));
      }
      config.issuers.push_back(std::move(issuer));
    }
  }

  if (config.batch.upload_dir.empty()) {
    for (const auto& issuer : config.issuers) {
      if (issuer.spool_dir.empty()) continue;
      config.batch.upload_dir = issuer.spool_dir.parent_path() / "uploads";
      break;
    }
  }

  auto products = r.Array("card_products");
  if (!products) return Err(products.error());
  std::set<std::string> product_ids;
  if (*products != nullptr) {
    for (std::size_t i = 0; i < (*products)->size(); ++i) {
      const auto* t = (**products)[i].as_table();
      if (t == nullptr) {
        return Err(r.Invalid("card_products", "must be an array of tables ([[card_products]])"));
      }
      CardProductConfig product;
      if (auto ok = ParseCardProduct(*t, i, product); !ok) return Err(ok.error());
      const std::string where = "card_products[" + std::to_string(i) + "]";
      if (!issuer_ids.contains(product.issuer)) {
        return Err(r.Invalid(where + ".issuer", "names no configured issuer"));
      }
      if (!product_ids.insert(product.issuer + "/" + product.id).second) {
        return Err(r.Invalid(where + ".id", "duplicate card product for this issuer"));
      }
      config.card_products.push_back(std::move(product));
    }
  }
  if (auto ok = r.RejectUnknown(); !ok) return Err(ok.error());
  return config;
}

core::Result<Config> LoadConfig(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "cannot read config file " + path.string());
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto config =
      ParseConfig(ss.str(), path.parent_path().empty() ? fs::path(".") : path.parent_path());
  if (config) config->path = path;
  return config;
}

}  // namespace c2p::app
