#pragma once
// A network's token service (VTS / MDES as spec/outbound.md §4 sees them): for each card a
// directory accepted it asks c2p for a digitization decision with the PAN encrypted to
// c2p's key, provisions a digitalCardId unless c2p said RED, and reports token events
// (ACTIVATED, SUSPENDED, RESUMED, DELETED), retrying each event until c2p answers 2xx.
//
// Runs on the simulator's one reactor; the HTTP client is bound to it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "config.hpp"
#include "http/client.hpp"
#include "requests.hpp"
#include "state.hpp"

namespace c2p::sim {

enum class Decision { kApproved, kDeclined, kUnavailable };

struct TokenServiceCounters {
  std::uint64_t token_requests = 0;  // calls to c2p's tokenRequests (retries included)
  std::uint64_t events = 0;          // events c2p acknowledged
  std::uint64_t event_attempts = 0;  // calls to c2p's tokenEvents (retries included)
};

class TokenService {
 public:
  // `network` is "visa" or "mastercard" (the path segment toward c2p).
  TokenService(std::string network, const NetworkConfig& config, std::shared_ptr<C2pKey> c2p_key,
               std::string c2p_url, std::chrono::milliseconds timeout);
  // The client toward c2p. Without one (no c2p configured) every card is approved locally
  // and no event is sent.
  void SetClient(http::Client* client) { client_ = client; }

  // {pan, exp (MMYY)} as a JWE to c2p's key; empty when no key is configured.
  std::string SealForC2p(const CardData& card) const;

  // Asks c2p (after the configured token latency). Retries transport failures and non-2xx
  // answers with back-off for up to `give_up_after`; kUnavailable then.
  boost::asio::awaitable<Decision> Decide(
      std::string c2p_card, std::chrono::milliseconds give_up_after = std::chrono::seconds(30));

  std::string NewDigitalCardId() const;

  // Posts the event in the background, retrying (back-off up to 5 s) until c2p answers 2xx
  // or the simulator stops. eventId is fixed once, so c2p can de-duplicate retries.
  void PostEvent(const boost::asio::any_io_executor& executor, std::string_view digital_card_id,
                 std::string_view c2p_card, std::string_view event);

  const TokenServiceCounters& counters() const { return counters_; }

  // A directory's record of a card it accepted: masked data, the test-card flags, and the
  // card sealed for c2p (for token requests and events).
  SimCard NewCard(std::string external_card_id, const CardData& card) const;

 private:
  // POST {c2p}/tsp/v1/networks/{network}/{endpoint} with the TSP credentials.
  http::ClientRequest ToC2p(std::string_view endpoint, std::string body) const;
  boost::asio::awaitable<void> DeliverEvent(std::string body);
  std::string network_;
  NetworkConfig config_;
  std::shared_ptr<C2pKey> c2p_key_;
  std::string c2p_url_;
  http::Client* client_ = nullptr;
  std::chrono::milliseconds timeout_;
  TokenServiceCounters counters_;
};

// Pauses the calling coroutine (no thread blocked).
boost::asio::awaitable<void> Pause(std::chrono::milliseconds duration);

}  // namespace c2p::sim
