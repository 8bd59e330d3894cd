#pragma once
// Everything the simulator's handlers share: configuration, keys, the two directories'
// state, the token services, fault injection and the test-card bookkeeping. One instance
// per process, used only from the server's single reactor thread.

#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "auth/rate_limiter.hpp"
#include "config.hpp"
#include "faults.hpp"
#include "http/client.hpp"
#include "http/reply.hpp"
#include "http/request.hpp"
#include "state.hpp"
#include "test_cards.hpp"
#include "token_service.hpp"

namespace c2p::sim {

struct SimContext {
  SimContext(SimConfig config, SimKeys keys);
  ~SimContext();
  SimContext(const SimContext&) = delete;
  SimContext& operator=(const SimContext&) = delete;

  SimConfig config;
  SimKeys keys;
  // Every handler calls Bind() with its own executor first: the server's reactors only
  // exist once it has started, after the routes were added, and the simulator runs on
  // exactly one of them. The first call creates the HTTP client toward c2p on it.
  void Bind(const boost::asio::any_io_executor& reactor);
  boost::asio::any_io_executor executor;
  std::unique_ptr<http::Client> client;  // toward c2p; null without c2p.url
  DirectoryState visa;
  DirectoryState mastercard;
  std::unique_ptr<TokenService> visa_tokens;
  std::unique_ptr<TokenService> mastercard_tokens;
  Faults faults;
  UnavailableTwice unavailable;
  auth::RateLimiter mastercard_limiter;
};

// The year and month of `card`, and whether it has expired today.
bool CardExpired(const CardData& card);

// The body of a 2xx/4xx/5xx JSON reply with a numeric status.
http::Reply JsonReply(unsigned status, const boost::json::value& body);

}  // namespace c2p::sim
