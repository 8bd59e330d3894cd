#include "faults.hpp"

namespace c2p::sim {
namespace json = boost::json;

namespace {

// A number member in [min, max]; absent keeps `out`. False (and `error`) otherwise.
bool Number(const json::object& o, std::string_view key, double min, double max, double& out,
            std::string& error) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return true;
  if (!v->is_number()) {
    error = std::string(key) + " must be a number";
    return false;
  }
  const double d = v->to_number<double>();
  if (!(d >= min && d <= max)) {
    error = std::string(key) + " is out of range";
    return false;
  }
  out = d;
  return true;
}

const char* kNames[] = {"visa", "mastercard", "issuer"};

}  // namespace

std::optional<FaultRequest> ParseFaultRequest(const json::value& body, std::string& error) {
  if (!body.is_object()) {
    error = "the body must be a JSON object";
    return std::nullopt;
  }
  const json::object& o = body.get_object();
  for (const auto& member : o) {
    const std::string_view k = member.key();
    if (k != "network" && k != "errorRate" && k != "status" && k != "timeoutRate" &&
        k != "latencyMs" && k != "seed") {
      error = "unknown member";
      return std::nullopt;
    }
  }
  FaultRequest r;
  const json::value* network = o.if_contains("network");
  if (network == nullptr || !network->is_string()) {
    error = "network must be visa, mastercard or issuer";
    return std::nullopt;
  }
  const std::string_view n = network->get_string();
  if (n == "visa") {
    r.target = FaultTarget::kVisa;
  } else if (n == "mastercard") {
    r.target = FaultTarget::kMastercard;
  } else if (n == "issuer") {
    r.target = FaultTarget::kIssuer;
  } else {
    error = "network must be visa, mastercard or issuer";
    return std::nullopt;
  }
  double status = 503;
  double latency = 0;
  double seed = 0;
  if (!Number(o, "errorRate", 0, 1, r.spec.error_rate, error) ||
      !Number(o, "timeoutRate", 0, 1, r.spec.timeout_rate, error) ||
      !Number(o, "status", 400, 599, status, error) ||
      !Number(o, "latencyMs", 0, 60'000, latency, error) ||
      !Number(o, "seed", 0, 9'007'199'254'740'991.0, seed, error)) {
    return std::nullopt;
  }
  if (r.spec.error_rate + r.spec.timeout_rate > 1) {
    error = "errorRate + timeoutRate must not exceed 1";
    return std::nullopt;
  }
  r.spec.status = static_cast<unsigned>(status);
  r.spec.latency_ms = static_cast<unsigned>(latency);
  r.spec.seed = static_cast<std::uint64_t>(seed);
  return r;
}

void Faults::Set(const FaultRequest& request) {
  Slot& slot = slots_[static_cast<int>(request.target)];
  slot.active = true;
  slot.spec = request.spec;
  slot.rng.seed(request.spec.seed);
}

void Faults::Clear() {
  for (Slot& slot : slots_) slot = Slot{};
}

FaultDraw Faults::Draw(FaultTarget target) {
  Slot& slot = slots_[static_cast<int>(target)];
  FaultDraw d;
  if (!slot.active) return d;
  d.latency = std::chrono::milliseconds(slot.spec.latency_ms);
  // One draw per call, whatever the rates, so outcomes depend only on the seed and the
  // call's position in the sequence.
  const double u = std::uniform_real_distribution<double>(0.0, 1.0)(slot.rng);
  if (u < slot.spec.error_rate) {
    d.kind = FaultDraw::Kind::kError;
    d.status = slot.spec.status;
  } else if (u < slot.spec.error_rate + slot.spec.timeout_rate) {
    d.kind = FaultDraw::Kind::kTimeout;
  }
  return d;
}

json::object Faults::Describe() const {
  json::object out;
  for (int i = 0; i < 3; ++i) {
    if (!slots_[i].active) continue;
    const FaultSpec& s = slots_[i].spec;
    out[kNames[i]] = {{"errorRate", s.error_rate},
                      {"status", s.status},
                      {"timeoutRate", s.timeout_rate},
                      {"latencyMs", s.latency_ms},
                      {"seed", s.seed}};
  }
  return out;
}

}  // namespace c2p::sim
