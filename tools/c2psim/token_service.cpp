#include "token_service.hpp"

#include <algorithm>
#include <cstdio>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/ids.hpp"
#include "core/secret_bytes.hpp"
#include "core/strict_json.hpp"
#include "test_cards.hpp"

namespace c2p::sim {
namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<void> Pause(std::chrono::milliseconds duration) {
  if (duration.count() <= 0) co_return;
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

TokenService::TokenService(std::string network, const NetworkConfig& config,
                           std::shared_ptr<C2pKey> c2p_key, std::string c2p_url,
                           std::chrono::milliseconds timeout)
    : network_(std::move(network)),
      config_(config),
      c2p_key_(std::move(c2p_key)),
      c2p_url_(std::move(c2p_url)),
      timeout_(timeout) {}

std::string TokenService::SealForC2p(const CardData& card) const {
  if (std::holds_alternative<std::monostate>(*c2p_key_)) return {};
  char exp[8];
  std::snprintf(exp, sizeof exp, "%02d%02d", card.exp_month, card.exp_year % 100);
  std::string plain = "{\"pan\":\"" + card.pan + "\",\"exp\":\"" + exp + "\"}";
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(plain.data()),
                                            plain.size());
  std::string sealed = std::holds_alternative<jose::EcKey>(*c2p_key_)
                           ? jose::EncryptEcdhEs(bytes, std::get<jose::EcKey>(*c2p_key_))
                           : jose::EncryptRsaOaep256(bytes, std::get<jose::RsaKey>(*c2p_key_));
  core::SecureWipe(plain.data(), plain.size());
  return sealed;
}

http::ClientRequest TokenService::ToC2p(std::string_view endpoint, std::string body) const {
  http::ClientRequest request;
  request.method = "POST";
  request.url = c2p_url_ + "/tsp/v1/networks/" + network_ + "/" + std::string(endpoint);
  request.headers = {{"Content-Type", "application/json"},
                     {"Authorization", "Bearer " + config_.tsp_secret}};
  request.body = std::move(body);
  request.timeout = timeout_;
  return request;
}

SimCard TokenService::NewCard(std::string external_card_id, const CardData& card) const {
  SimCard out;
  out.external_card_id = std::move(external_card_id);
  out.pan_last4 = card.pan.substr(card.pan.size() - 4);
  out.exp_year = card.exp_year;
  out.exp_month = card.exp_month;
  out.name = card.name;
  out.billing_address = card.billing_address;
  const TestCard kind = ClassifyPan(card.pan);
  out.slow = kind == TestCard::kSlow;
  out.tsp_declines = kind == TestCard::kTokenDeclined;
  out.c2p_card = SealForC2p(card);
  return out;
}

std::string TokenService::NewDigitalCardId() const {
  return core::NewRandomId(network_ == "visa" ? "vdc_" : "mdc_");
}

asio::awaitable<Decision> TokenService::Decide(std::string c2p_card,
                                               std::chrono::milliseconds give_up_after) {
  co_await Pause(config_.token_latency);
  if (client_ == nullptr) co_return Decision::kApproved;
  json::object body;
  body["requestId"] = core::NewRandomId("tr_");
  body["tokenRequestorId"] = config_.token_requestor_id;
  body["tokenType"] = "CLICK_TO_PAY";
  body["encryptedCard"] = std::string_view(c2p_card);
  const http::ClientRequest request = ToC2p("tokenRequests", json::serialize(body));
  const auto deadline = std::chrono::steady_clock::now() + give_up_after;
  std::chrono::milliseconds backoff{100};
  for (;;) {
    ++counters_.token_requests;
    auto response = co_await client_->Send(request);
    if (response && response->status == 200) {
      auto parsed = core::ParseStrictJson(response->body);
      if (parsed && parsed->is_object()) {
        const json::value* d = parsed->get_object().if_contains("decision");
        if (d != nullptr && d->is_string()) {
          const std::string_view decision = d->get_string();
          if (decision == "RED") co_return Decision::kDeclined;
          if (decision == "GREEN" || decision == "YELLOW") co_return Decision::kApproved;
        }
      }
    }
    if (std::chrono::steady_clock::now() + backoff > deadline) co_return Decision::kUnavailable;
    co_await Pause(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
  }
}

void TokenService::PostEvent(const asio::any_io_executor& executor,
                             std::string_view digital_card_id, std::string_view c2p_card,
                             std::string_view event) {
  if (client_ == nullptr) return;
  json::object body;
  body["eventId"] = core::NewRandomId("ev_");
  body["digitalCardId"] = digital_card_id;
  body["tokenRequestorId"] = config_.token_requestor_id;
  body["encryptedCard"] = c2p_card;
  body["event"] = event;
  asio::co_spawn(executor, DeliverEvent(json::serialize(body)), asio::detached);
}

asio::awaitable<void> TokenService::DeliverEvent(std::string body) {
  const http::ClientRequest request = ToC2p("tokenEvents", std::move(body));
  std::chrono::milliseconds backoff{100};
  for (;;) {
    ++counters_.event_attempts;
    auto response = co_await client_->Send(request);
    if (response && response->status >= 200 && response->status < 300) {
      ++counters_.events;
      co_return;
    }
    if (!response && response.error().kind == http::TransportErrorKind::kCancelled) co_return;
    co_await Pause(backoff);
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

}  // namespace c2p::sim
