#include "domain/card_click_to_pay.hpp"

namespace c2p::domain {

core::Result<void> CheckCardClickToPayChange(ClickToPayStatus status) {
  switch (status) {
    case ClickToPayStatus::kEnrolled:
      return {};
    case ClickToPayStatus::kEnrolling:
    case ClickToPayStatus::kOptingOut:
      return core::Fail(core::ErrorCode::kOperationInProgress,
                        "a Click to Pay operation is in progress on the card");
    case ClickToPayStatus::kNotEnrolled:
    case ClickToPayStatus::kOptedOut:
    case ClickToPayStatus::kFailed:
      break;
  }
  return core::Fail(core::ErrorCode::kNotEnrolled, "the card is not enrolled in Click to Pay");
}

}  // namespace c2p::domain
