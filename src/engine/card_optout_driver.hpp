#pragma once
// The driver of a card's opt-out (spec/api.md §5.5) and of the opt-out cascaded by deleting
// an enrolled card (§4.6): the card's digital card is deleted at its network, then the
// card is OPTED_OUT and its digitalCardId cleared.
//
// Two kinds, one driver:
//   CARD_OPTOUT  the job's operation is the issuer's CLICK_TO_PAY_OPTOUT;
//   CARD_DELETE  the job's operation is the issuer's DELETE, and the card's own
//                CLICK_TO_PAY_OPTOUT (requestorType D1), named in the job's progress, ends
//                with it in the same unit (Finished::cards).
//
// Safe to repeat: a directory that no longer holds the card ("not enrolled") means the
// deletion was applied — by an earlier attempt whose answer was lost, or by the network on
// its own — so it ends the opt-out SUCCESSFUL, on any attempt.
//
// Giving up (deadline passed) or a final refusal puts the card back to ENROLLED: the
// network still holds the digital card, and the issuer may opt it out again. An attempt
// whose deletion may have been applied (unanswered, or still processing) is in doubt: the
// deadline does not fail it at once, and after the deadline one last deletion settles what
// the network holds (GiveUpAtDeadline), since repeating a deletion is safe.

#include <string>

#include "engine/await_request.hpp"
#include "engine/card_job.hpp"
#include "engine/driver.hpp"
#include "store/store.hpp"

namespace c2p::engine {

inline constexpr std::string_view kCardOptOutJob = "CARD_OPTOUT";
inline constexpr std::string_view kCardDeleteJob = "CARD_DELETE";

// The progress a CARD_DELETE job starts with: the card's D1 CLICK_TO_PAY_OPTOUT operation.
std::string DeleteCascadeProgress(std::string_view optout_operation_id);
// That operation id, read back from a job's progress (nullopt when there is none).
std::optional<std::string> CascadedOptOut(std::string_view progress);

class CardOptOutDriver final : public Driver {
 public:
  CardOptOutDriver(store::Store& store, ConnectorsByNetwork connectors, PollOptions options = {});

  boost::asio::awaitable<RunResult> Run(const store::JobRecord& job) override;
  Finished GiveUp(const store::JobRecord& job, std::string code, std::string message) override;
  boost::asio::awaitable<Finished> GiveUpAtDeadline(const store::JobRecord& job, std::string code,
                                                    std::string message) override;

 private:
  store::Store& store_;
  ConnectorsByNetwork connectors_;
  PollOptions options_;
};

}  // namespace c2p::engine
