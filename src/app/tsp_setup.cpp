#include "app/tsp_setup.hpp"

#include "jose/key_file.hpp"

namespace c2p::app {

namespace {

core::Result<void> AddNetwork(api::TspContext& ctx, const std::string& name,
                              domain::Network network,
                              const std::optional<NetworkEndpointConfig>& config) {
  if (!config || config->tsp_secret_file.empty()) return {};
  const std::string key = "networks." + name + ".tsp_secret_file";
  auto secret = jose::ReadSecretTextFile(config->tsp_secret_file);
  if (!secret) return core::Fail(core::ErrorCode::kConfigInvalid, key + ": cannot be read");
  if (secret->empty()) return core::Fail(core::ErrorCode::kConfigInvalid, key + ": is empty");
  for (const char c : secret->as_text()) {
    if (c < 0x21 || c > 0x7e) {
      return core::Fail(core::ErrorCode::kConfigInvalid,
                        key + ": must hold printable ASCII without spaces");
    }
  }
  ctx.networks.emplace(name, api::TspNetwork{network, std::move(*secret)});
  return {};
}

}  // namespace

core::Result<std::unique_ptr<api::TspContext>> BuildTspContext(const Config& config,
                                                               api::RegistryContext& registry) {
  auto ctx = std::make_unique<api::TspContext>(registry);
  if (auto ok = AddNetwork(*ctx, "visa", domain::Network::kVisa, config.networks.visa); !ok) {
    return tl::unexpected(ok.error());
  }
  if (auto ok =
          AddNetwork(*ctx, "mastercard", domain::Network::kMastercard, config.networks.mastercard);
      !ok) {
    return tl::unexpected(ok.error());
  }
  return ctx;
}

}  // namespace c2p::app
