#include "notify/consumer_info_client.hpp"

#include <utility>

#include "core/ids.hpp"

namespace c2p::notify {
namespace asio = boost::asio;

namespace {

FetchResult FailFinal(std::string message) {
  FetchFailure f;
  f.retryable = false;
  f.message = std::move(message);
  return tl::unexpected(std::move(f));
}

FetchFailure FromOAuth(const OAuthFailure& failure) {
  FetchFailure f;
  f.retryable = failure.retryable;
  f.http_status = failure.http_status;
  f.message = failure.message;
  return f;
}

}  // namespace

IssuerClients::IssuerClients(http::Client& client, std::vector<IssuerEndpoint> endpoints)
    : client_(client) {
  for (IssuerEndpoint& endpoint : endpoints) {
    Entry entry;
    if (endpoint.oauth) {
      entry.oauth = std::make_unique<OutboundOAuth>(client_, std::move(*endpoint.oauth));
      endpoint.oauth.reset();
    }
    entry.endpoint = std::move(endpoint);
    std::string id = entry.endpoint.issuer_id;
    entries_.insert_or_assign(std::move(id), std::move(entry));
  }
}

const IssuerClients::Entry* IssuerClients::Find(std::string_view issuer_id) const {
  auto it = entries_.find(issuer_id);
  return it == entries_.end() ? nullptr : &it->second;
}

OutboundOAuth* IssuerClients::OAuthFor(std::string_view issuer_id) const {
  const Entry* entry = Find(issuer_id);
  return entry == nullptr ? nullptr : entry->oauth.get();
}

asio::awaitable<FetchResult> ConsumerInfoClient::Fetch(std::string issuer_id,
                                                       std::string consumer_id, std::string card_id,
                                                       std::string correlation_id) {
  const IssuerClients::Entry* entry = issuers_.Find(issuer_id);
  if (entry == nullptr) co_return FailFinal("issuer is not configured");
  const IssuerEndpoint& endpoint = entry->endpoint;
  if (endpoint.base_url.empty()) {
    co_return FailFinal("issuer has no base_url: it serves no consumer information");
  }
  // The ids go into the path and query unescaped: only the id alphabet is allowed there.
  const bool send_card = endpoint.consumer_info_by_card && !card_id.empty();
  if (!core::IsIssuerId(issuer_id) || !core::IsConsumerId(consumer_id) ||
      (send_card && !core::IsCardId(card_id))) {
    co_return FailFinal("issuer, consumer or card id is not a valid id");
  }
  std::string url = endpoint.base_url + "/issuers/" + issuer_id + "/consumers/" + consumer_id;
  if (send_card) url += "?cardId=" + card_id;
  if (!core::IsCorrelationId(correlation_id)) correlation_id = core::NewCorrelationId();

  // At most two exchanges: the second only after a 401 answered to a cached token.
  for (int attempt = 0; attempt < 2; ++attempt) {
    http::ClientRequest request;
    request.method = "GET";
    request.url = url;
    request.timeout = endpoint.timeout;
    request.headers.emplace_back("accept", "application/json");
    request.headers.emplace_back("x-correlation-id", correlation_id);
    std::string token;
    if (entry->oauth) {
      auto got = co_await entry->oauth->Token(correlation_id);
      if (!got) co_return tl::unexpected(FromOAuth(got.error()));
      token = std::move(*got);
      request.headers.emplace_back("authorization", "Bearer " + token);
    }
    auto response = co_await issuers_.client().Send(std::move(request));
    if (!response) co_return tl::unexpected(FetchTransportFailure(response.error()));
    if (response->status == 401 && entry->oauth && attempt == 0) {
      // The token expired early or was revoked: drop it (unless another caller already
      // has) and try once more with a fresh one.
      entry->oauth->Invalidate(token);
      continue;
    }
    co_return ReadConsumerInfoAnswer(response->status, response->body,
                                     response->header("retry-after"));
  }
  co_return FailFinal("unreachable");  // the loop always returns
}

}  // namespace c2p::notify
