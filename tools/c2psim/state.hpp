#pragma once
// What each simulated directory remembers, in memory. Only the simulator's one reactor
// thread touches it (docs/simulator.md), so there are no locks.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <boost/json/object.hpp>

namespace c2p::sim {

struct SimCard {
  std::string external_card_id;
  std::string pan_last4;
  int exp_year = 0;
  int exp_month = 0;
  std::string name;
  boost::json::object billing_address;
  std::string digital_card_id;  // set once the token is provisioned
  // PENDING (token service at work), ACTIVE, SUSPENDED.
  std::string status = "PENDING";
  bool slow = false;          // test card 0036
  bool tsp_declines = false;  // test card 0002
  std::string c2p_card;       // {pan, exp} as a JWE to c2p's key, for token events
};

struct SimConsumer {
  boost::json::object info;  // as the network received it
  std::string email;         // lower-cased, for the checkout lookup
  std::string src_consumer_id;
  std::vector<SimCard> cards;
  int in_progress = 0;  // Visa-like: requests not yet COMPLETED

  SimCard* Find(std::string_view card_id);
  void Remove(std::string_view card_id);
};

// The counters of spec/networks.md §4.
struct DirectoryCounters {
  std::uint64_t enrol_calls = 0;
  std::uint64_t duplicate_enrolments = 0;
};

struct DirectoryState {
  std::unordered_map<std::string, SimConsumer> consumers;
  // externalCardId → externalConsumerId, over the whole directory.
  std::unordered_map<std::string, std::string> card_owner;
  DirectoryCounters counters;
  // The x-correlation-id of the last request of each kind ("enrollData", "enrollments",
  // …; "" when it came without one), so a test can follow an operation's trace from
  // c2p's API into the directory.
  std::map<std::string, std::string, std::less<>> last_correlation_ids;
  // Requests received per kind, faulted ones included: what a test counts to prove a call
  // was not repeated.
  std::map<std::string, std::uint64_t, std::less<>> calls;

  void SawRequest(std::string_view kind, std::string_view correlation_id);

  SimConsumer* FindConsumer(std::string_view id);
  // {profiles, cards, tokens, enrolCalls, duplicateEnrolments, lastCorrelationIds}
  boost::json::object Stats() const;
  // The masked cards of a consumer found by email (checkout lookup).
  void Clear();
};

}  // namespace c2p::sim
