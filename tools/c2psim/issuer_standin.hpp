#pragma once
// The stand-in issuer backend (spec/networks.md §4, spec/outbound.md §1-§3), under
// /sim/v1/issuer: the outbound OAuth token endpoint (Basic auth), Get Consumer Information
// from a fixture file, and the notification receiver, which verifies the Standard Webhooks
// signature (401 when bad or stale), de-duplicates by webhook-id, can be told to answer
// another status or slowly, and lists what it received.

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "core/error.hpp"
#include "http/router.hpp"
#include "sim_context.hpp"

namespace c2p::sim {

// Fixture file: { "consumers": [ { "issuerId", "consumerId", "cardId"?, "consumerInfo": {…},
// "billingAddress"?: {…} } ] }. Fails with a message naming the entry at fault.
struct ConsumerFixture {
  std::string issuer_id;
  std::string consumer_id;
  std::string card_id;  // empty: any card
  boost::json::object consumer_info;
  boost::json::object billing_address;
};
core::Result<std::vector<ConsumerFixture>> ParseConsumerFixtures(std::string_view text);

// Behaviour the tests set: {"status"?: 200-599, "delayMs"?: 0-60000}.
struct IssuerBehaviour {
  unsigned status = 0;  // 0: normal (204)
  std::chrono::milliseconds delay{0};
};
bool ParseIssuerBehaviour(const boost::json::value& body, IssuerBehaviour& out, std::string& error);

class IssuerStandIn {
 public:
  // Loads the fixture file named by the configuration.
  static core::Result<std::unique_ptr<IssuerStandIn>> Create(SimContext& sim);
  void AddRoutes(http::Router& router);
  void Clear();
  boost::json::object Stats() const;

 private:
  explicit IssuerStandIn(SimContext& sim) : sim_(sim) {}
  boost::asio::awaitable<http::Reply> Token(http::Request& request);
  boost::asio::awaitable<http::Reply> ConsumerInfo(http::Request& request);
  boost::asio::awaitable<http::Reply> Notification(http::Request& request, std::string kind);
  http::Reply Received(http::Request& request) const;
  bool BearerOk(const http::Request& request);

  SimContext& sim_;
  std::vector<ConsumerFixture> fixtures_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> tokens_;
  IssuerBehaviour behaviour_;
  std::set<std::string, std::less<>> webhook_ids_;
  boost::json::array received_;
  std::uint64_t duplicates_ = 0;
  std::uint64_t rejected_ = 0;
};

}  // namespace c2p::sim
