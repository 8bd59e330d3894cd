// libFuzzer target for c2psim's stand-in issuer and control inputs: the Standard Webhooks
// check (headers and body from the input), the consumer fixture reader, and the behaviour
// and fault bodies (strict JSON first).
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a webhook accepted without the signature the harness computes for it, or refused
//    when it carries that signature and a fresh timestamp;
//  - an accepted fault or behaviour outside its documented ranges.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/strict_json.hpp"
#include "faults.hpp"
#include "issuer_standin.hpp"
#include "webhook.hpp"

namespace {

namespace sim = c2p::sim;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "sim_issuer_fuzz: FINDING: %s\n", what);
  std::abort();
}

// Splits at the first three '\n': id, timestamp, signature header, body.
std::vector<std::string_view> Split(std::string_view in) {
  std::vector<std::string_view> parts;
  for (int i = 0; i < 3; ++i) {
    const auto nl = in.find('\n');
    if (nl == std::string_view::npos) break;
    parts.push_back(in.substr(0, nl));
    in.remove_prefix(nl + 1);
  }
  parts.push_back(in);
  return parts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  static const std::vector<std::uint8_t> secret(32, 0x5a);
  constexpr std::int64_t kNow = 1'700'000'000;
  switch (data[0] % 4) {
    case 0: {
      const auto p = Split(input);
      if (p.size() != 4) return 0;
      const auto check =
          sim::VerifyWebhook(p[0], p[1], p[2], p[3], secret, kNow, std::chrono::seconds(300));
      if (check == sim::WebhookCheck::kValid &&
          p[2].find(sim::SignWebhook(p[0], p[1], p[3], secret)) == std::string_view::npos) {
        Die("accepted a webhook without its signature");
      }
      // The same message, properly signed now, must pass.
      if (!p[0].empty() && p[0].size() <= 256) {
        const std::string ts = std::to_string(kNow);
        if (sim::VerifyWebhook(p[0], ts, sim::SignWebhook(p[0], ts, p[3], secret), p[3], secret,
                               kNow, std::chrono::seconds(300)) != sim::WebhookCheck::kValid) {
          Die("refused a valid signature");
        }
      }
      break;
    }
    case 1:
      (void)sim::ParseConsumerFixtures(input);
      break;
    case 2: {
      auto v = c2p::core::ParseStrictJson(input);
      if (!v) return 0;
      sim::IssuerBehaviour b;
      std::string error;
      if (sim::ParseIssuerBehaviour(*v, b, error) &&
          ((b.status != 0 && (b.status < 200 || b.status > 599)) || b.delay.count() < 0 ||
           b.delay.count() > 60'000)) {
        Die("behaviour out of range");
      }
      break;
    }
    default: {
      auto v = c2p::core::ParseStrictJson(input);
      if (!v) return 0;
      std::string error;
      auto f = sim::ParseFaultRequest(*v, error);
      if (f && (f->spec.error_rate < 0 || f->spec.timeout_rate < 0 ||
                f->spec.error_rate + f->spec.timeout_rate > 1 || f->spec.status < 400 ||
                f->spec.status > 599 || f->spec.latency_ms > 60'000)) {
        Die("fault out of range");
      }
      if (!f && error.empty()) Die("refusal without a reason");
      break;
    }
  }
  return 0;
}
