#include "sim_context.hpp"

#include "fields.hpp"

namespace c2p::sim {

SimContext::SimContext(SimConfig config_in, SimKeys keys_in)
    : config(std::move(config_in)), keys(std::move(keys_in)) {
  visa_tokens = std::make_unique<TokenService>("visa", config.visa, keys.c2p, config.c2p_url,
                                               config.tsp_timeout);
  mastercard_tokens = std::make_unique<TokenService>("mastercard", config.mastercard, keys.c2p,
                                                     config.c2p_url, config.tsp_timeout);
  mastercard_limiter.SetLimit("mastercard", config.mastercard.rate_limit);
}

void SimContext::Bind(const boost::asio::any_io_executor& reactor) {
  if (executor) return;
  executor = reactor;
  if (config.c2p_url.empty()) return;
  http::ClientOptions options;
  options.user_agent = "c2psim";
  options.timeout = config.tsp_timeout;
  client = std::make_unique<http::Client>(executor, options);
  visa_tokens->SetClient(client.get());
  mastercard_tokens->SetClient(client.get());
}

SimContext::~SimContext() = default;

bool CardExpired(const CardData& card) {
  int year = 0;
  int month = 0;
  CurrentYearMonth(year, month);
  return IsExpired(card.exp_year, card.exp_month, year, month);
}

http::Reply JsonReply(unsigned status, const boost::json::value& body) {
  return http::Json(static_cast<http::Status>(status), body);
}

}  // namespace c2p::sim
