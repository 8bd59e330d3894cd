#pragma once
// The engine's plug-in point: one Driver per kind of operation (enrolment now; update,
// opt-out, cascades and auto-enrolment later). A driver runs one attempt of a job and
// says how it ended; the engine owns everything durable around it (claiming, leases,
// back-off, deadlines, the terminal write, waking waiters).
//
// A driver must be safe to run again from the start after a crash at any point: every
// call it makes toward a network uses the job's stable external ids, and an attempt
// after the first must look before it repeats a call that may have been applied
// (JobRecord::attempts tells which attempt this is).

#include <chrono>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "store/engine_records.hpp"

namespace c2p::engine {

// A card that an operation changes besides the job's own card: the cards of a consumer
// operation (opt-out, update, delete cascade).
struct CardEffect {
  std::int64_t card_ref = 0;
  std::string card_status;                     // its new Click to Pay status
  std::optional<std::string> digital_card_id;  // nullopt keeps the recorded one, "" clears it
  // The card's own operation (requestorType D1) started with the job's: it ends in the same
  // unit, with the same status and error.
  std::optional<std::string> operation_id;
};

// The operation ends now.
struct Finished {
  bool successful = false;
  std::string error_code;     // FAILED: a failure code of spec/api.md §5.8
  std::string error_message;  // FAILED: names fields and codes, never personal or card data
  boost::json::object details;
  std::optional<std::string> card_status;      // the job's card's new Click to Pay status
  std::optional<std::string> digital_card_id;  // its network token: "" clears, nullopt keeps
  std::optional<std::string> profile_network;  // the consumer now has a profile there
  std::vector<CardEffect> cards;               // other cards, other operations
  std::vector<std::string> profiles_removed;   // networks where the consumer's profile went
  // Other operations without a card that end with this one, with the same status and
  // error (the issuer's consumer DELETE that a D1 opt-out cascade completes).
  std::vector<std::string> related_operations;
};

// Try again later (back-off, or the network's Retry-After).
struct RetryLater {
  std::string failure_code;  // what the operation fails with if its deadline passes first
  std::string message;       // safe to log
  // No sooner than this: the network's Retry-After, or the time a call in doubt may still be
  // running at the directory (networks::Failure::retry_after).
  std::optional<std::chrono::milliseconds> retry_after;
  // The checkpoint the next attempt starts from; unset, the one this attempt started from.
  std::optional<std::string> progress;
  std::optional<std::string> profile_network;  // learned meanwhile
  // The directory may still act on this attempt (a call went unanswered, an accepted
  // request had not ended, the card is still being tokenised). Should the next attempt
  // fall past the deadline, the operation is not failed at once: that attempt still runs,
  // after the usual back-off (which covers the call's in-doubt wait), and the driver looks
  // before giving up (Driver::GiveUpAtDeadline).
  bool in_doubt = false;
};

using RunResult = std::variant<Finished, RetryLater>;

inline Finished FailedWith(std::string code, std::string message) {
  Finished f;
  f.error_code = std::move(code);
  f.error_message = std::move(message);
  return f;
}
inline Finished SucceededWith(boost::json::object details) {
  Finished f;
  f.successful = true;
  f.details = std::move(details);
  return f;
}
inline RetryLater RetryWith(std::string failure_code, std::string message,
                            std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
  RetryLater r;
  r.failure_code = std::move(failure_code);
  r.message = std::move(message);
  r.retry_after = retry_after;
  return r;
}

// A problem of c2p's own (the store, sealed data): retried, never blamed on the network.
inline RetryLater InternalRetry(std::string message) {
  return RetryWith("NETWORK_UNAVAILABLE", std::move(message));
}

class Driver {
 public:
  virtual ~Driver() = default;
  // Runs on the engine's executor.
  virtual boost::asio::awaitable<RunResult> Run(const store::JobRecord& job) = 0;
  // How the operation ends when the engine gives up on it (deadline passed, retries
  // exhausted) with `code`: a driver that moved its card into a transient state says
  // where the card goes.
  virtual Finished GiveUp(const store::JobRecord& /*job*/, std::string code, std::string message) {
    return FailedWith(std::move(code), std::move(message));
  }
  // How the operation ends when an attempt is claimed after its deadline. An earlier
  // attempt's call may have been applied meanwhile: a driver that can settle it reports
  // what the directory holds rather than a failure it contradicts (the enrolment looks the
  // card up; the card opt-out deletes once more, which is safe to repeat).
  virtual boost::asio::awaitable<Finished> GiveUpAtDeadline(const store::JobRecord& job,
                                                            std::string code, std::string message) {
    co_return GiveUp(job, std::move(code), std::move(message));
  }
};

}  // namespace c2p::engine
