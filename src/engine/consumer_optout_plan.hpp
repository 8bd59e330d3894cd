#pragma once
// The plan of a consumer opt-out (spec/api.md §5.6, and the consumer delete cascade of
// §4.6), kept as the job's progress: the networks whose profile goes, the cards that
// change with it and their own operations, and the networks already done. The route
// writes it with the job, in the same unit as the operations, so every attempt (after
// any crash) knows exactly which operations and cards the job ends; the driver adds a
// network to `done` as each directory confirms.
//
// Pure: no I/O, unit-tested.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/driver.hpp"

namespace c2p::engine {

struct OptOutCard {
  std::int64_t card_ref = 0;
  std::string network;                     // VISA | MASTERCARD
  std::vector<std::string> operation_ids;  // its D1 operations, ended with the job's

  bool operator==(const OptOutCard&) const = default;
};

struct OptOutPlan {
  std::vector<std::string> networks;            // where the consumer has a profile
  std::vector<OptOutCard> cards;                // its ENROLLED cards, now OPTING_OUT
  std::vector<std::string> related_operations;  // consumer operations ended with the job's
  std::vector<std::string> done;                // networks whose profile is gone

  bool Done(std::string_view network) const;
  bool operator==(const OptOutPlan&) const = default;
};

std::string ToProgress(const OptOutPlan& plan);
// nullopt when `progress` is not a plan (a bug, or a job of another kind).
std::optional<OptOutPlan> ReadOptOutPlan(std::string_view progress);

// How the opt-out ends. Successful: every card OPTED_OUT without its digital card, every
// profile removed. Failed: the cards of the networks already done are OPTED_OUT (their
// profile, hence their token, is gone) and their profiles removed; the other cards are
// ENROLLED again, keeping their digital card (they are still enrolled there).
Finished EndOptOut(const OptOutPlan& plan, bool successful, std::string error_code = {},
                   std::string error_message = {});

}  // namespace c2p::engine
