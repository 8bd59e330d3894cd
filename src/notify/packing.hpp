#pragma once
// Turns queued notifications into the requests that carry them (shared/spec/outbound.md
// §3): card operations and consumer operations are batched per issuer, at most the
// issuer's max_operations_per_notification per request; a digital card event is a request
// of its own. A request's body is fixed here, once, so each retry sends the same bytes.
//
// Operation objects are thin: the §5.8 object without the issuer's free-text `reason` and
// with only the error's code, so nothing personal can ride along.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "store/notification_records.hpp"
#include "store/registry_records.hpp"

namespace c2p::notify {

// The §5.8 operation object of a record (the API's own view, given by the composition root).
using RenderOperation = std::function<boost::json::object(const store::OperationRecord&)>;

struct PackedMessage {
  store::NotificationMessage message;
  std::vector<std::int64_t> notification_ids;
};

struct PackContext {
  RenderOperation render;
  // The issuer's max_operations_per_notification (at least 1).
  std::function<unsigned(std::string_view issuer)> max_operations;
  std::function<std::string()> new_webhook_id;
  std::int64_t now_ms = 0;
};

// `operations` by operation id; a notification whose operation is missing is carried with
// its id alone. Messages keep the notifications' order.
std::vector<PackedMessage> PackNotifications(
    const std::vector<store::NotificationRecord>& queued,
    const std::map<std::string, store::OperationRecord, std::less<>>& operations,
    const PackContext& context);

// The thin operation object, as a notification carries it; `pending` reports its creation.
boost::json::object ThinOperation(const RenderOperation& render, const store::OperationRecord& op,
                                  bool pending);

}  // namespace c2p::notify
