#pragma once
// The Mastercard-like directory (spec/networks.md §2): a synchronous enrolment that blocks
// (without blocking the reactor) until the token service has c2p's decision and has
// provisioned the token; the consumer profile calls; the gateway error shape; 429 with
// Retry-After beyond the configured rate (auth::RateLimiter).

#include "http/router.hpp"
#include "sim_context.hpp"

namespace c2p::sim {

class MastercardDirectory {
 public:
  explicit MastercardDirectory(SimContext& sim) : sim_(sim) {}
  void AddRoutes(http::Router& router);

 private:
  // Rate limit, API key, x-request-id, latency and fault draw: the reply if one of them
  // answers the call already. `timeout` is set when the answer must be held back.
  boost::asio::awaitable<std::optional<http::Reply>> Gate(http::Request& request, bool& timeout);
  boost::asio::awaitable<http::Reply> Enrol(http::Request& request);
  boost::asio::awaitable<http::Reply> Call(http::Request& request, int which);
  http::Reply GetConsumer(std::string_view consumer_id);
  http::Reply PutConsumer(http::Request& request);
  http::Reply PutCard(http::Request& request);
  http::Reply DeleteCard(http::Request& request);
  http::Reply DeleteConsumer(http::Request& request);

  SimContext& sim_;
};

}  // namespace c2p::sim
