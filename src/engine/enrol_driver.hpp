#pragma once
// The driver of CLICK_TO_PAY_ENROLMENT (spec/api.md §5.2): resolves the consumer's data,
// opens the card data, and enrols the card in its network's directory, creating the
// consumer's profile there on the consumer's first enrolment.
//
// Safe to repeat: an attempt after the first looks the card up (GetProfile) before it
// calls again, so a call that was applied but whose answer was lost never enrols the card
// a second time; a directory that says the card already exists is answered by the same
// lookup, never by another enrolment.

#include <chrono>
#include <map>
#include <string>

#include "engine/await_request.hpp"
#include "engine/consumer_data.hpp"
#include "engine/consumer_resolution.hpp"
#include "engine/driver.hpp"
#include "networks/network_connector.hpp"
#include "store/store.hpp"
#include "vault/key_ring.hpp"

namespace c2p::engine {

inline constexpr std::string_view kEnrolmentJob = "CARD_ENROLMENT";

class EnrolDriver final : public Driver {
 public:
  // `connectors` by network wire name ("VISA", "MASTERCARD"); `consumer_info` may be null
  // (no issuer backend: data must come from the body or the store).
  EnrolDriver(store::Store& store, const vault::KeyRing& keys,
              std::map<std::string, networks::NetworkConnector*, std::less<>> connectors,
              ConsumerInfoSource* consumer_info, PollOptions options = {});

  boost::asio::awaitable<RunResult> Run(const store::JobRecord& job) override;
  Finished GiveUp(const store::JobRecord& job, std::string code, std::string message) override;
  // After the deadline, an enrolment whose earlier attempt may have been applied looks the
  // card up: found with its token, the operation ends SUCCESSFUL, not FAILED.
  boost::asio::awaitable<Finished> GiveUpAtDeadline(const store::JobRecord& job, std::string code,
                                                    std::string message) override;

 private:
  struct Attempt;
  boost::asio::awaitable<tl::expected<ConsumerData, RunResult>> ResolveConsumer(
      const store::JobRecord& job, const store::CardRecord& card, const ConsumerData& body);
  boost::asio::awaitable<RunResult> Enrol(Attempt& a);
  boost::asio::awaitable<RunResult> Await(Attempt& a, networks::CallResult call);
  boost::asio::awaitable<std::optional<RunResult>> LookUp(Attempt& a);
  // The attempt's card, its directory and the ids the directory knows them by.
  static void Identify(Attempt& a, store::CardRecord card, networks::NetworkConnector& connector,
                       const std::vector<std::string>& profiles);
  boost::asio::awaitable<std::optional<Finished>> FindEnrolled(const store::JobRecord& job);

  store::Store& store_;
  const vault::KeyRing& keys_;
  std::map<std::string, networks::NetworkConnector*, std::less<>> connectors_;
  ConsumerInfoSource* consumer_info_;
  PollOptions options_;
};

}  // namespace c2p::engine
