#include "domain/network_effect.hpp"

namespace c2p::domain {

core::Result<NetworkEffect> LifecycleNetworkEffect(ClickToPayStatus status) {
  switch (status) {
    case ClickToPayStatus::kNotEnrolled:
    case ClickToPayStatus::kOptedOut:
    case ClickToPayStatus::kFailed:
      return NetworkEffect::kNone;
    case ClickToPayStatus::kEnrolled:
      return NetworkEffect::kPropagate;
    case ClickToPayStatus::kEnrolling:
    case ClickToPayStatus::kOptingOut:
      break;
  }
  return core::Fail(core::ErrorCode::kOperationInProgress,
                    "a Click to Pay operation is in progress on the card; retry once it has ended");
}

}  // namespace c2p::domain
