#pragma once
// The issuer backends' client settings (src/notify) from configuration: per [[issuers]] its
// base_url, consumer_info_by_card, timeout and, when configured, the outbound OAuth client
// with its secret read from oauth_client_secret_file. Read once at start-up; `c2pd
// check-config` runs the same loading.

#include <vector>

#include "app/config.hpp"
#include "core/error.hpp"
#include "notify/consumer_info_client.hpp"

namespace c2p::app {

// Fails with kConfigInvalid naming the key ("issuers[0].oauth_client_secret_file: …") when
// a secret file cannot be read, is empty, or holds anything but visible ASCII.
core::Result<std::vector<notify::IssuerEndpoint>> LoadIssuerEndpoints(const Config& config);

}  // namespace c2p::app
