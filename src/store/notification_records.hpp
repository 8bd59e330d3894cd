#pragma once
// The rows of notification delivery (src/notify, shared/spec/outbound.md §3): each operation
// an issuer is told about, and the requests (messages) that carry them. Wire names only,
// like the other record files.

#include <cstdint>
#include <optional>
#include <string>

namespace c2p::store {

// One operation to report to its issuer. Written in the unit that ends the operation (or,
// with notify_pending, that creates it), so a crash never loses it.
struct NotificationRecord {
  std::int64_t notification_id = 0;  // assigned by the store: the order operations ended in
  std::string issuer_id;
  std::string kind;       // CARD | CONSUMER | DIGITAL_CARD
  std::string order_key;  // "card:<card_ref>" | "consumer:<consumerId>": delivered in order
  std::string operation_id;
  bool pending = false;  // reports the operation's creation, not its end
  std::string correlation_id;
  std::int64_t created_ms = 0;
};

// One request to the issuer's notification endpoint. Its body and webhook-id are fixed when
// it is made, so every retry sends the same bytes under the same id.
struct NotificationMessage {
  std::int64_t message_id = 0;  // assigned by the store
  std::string webhook_id;
  std::string issuer_id;
  std::string kind;
  std::string path;  // appended to the issuer's notification_url
  std::string body;
  std::string correlation_id;
  std::string state = "PENDING";  // PENDING | DELIVERED | DEAD
  std::int64_t attempts = 0;
  std::int64_t next_attempt_ms = 0;
  std::int64_t created_ms = 0;  // the retry horizon counts from here
  std::optional<std::int64_t> ended_ms;
  std::optional<std::string> last_error;  // "HTTP 503", "timeout"…: never a body
  std::int64_t operations = 0;            // how many operations it carries (reads only)
};

// Per issuer: what is waiting (for the metrics).
struct NotificationBacklog {
  std::string issuer_id;
  std::int64_t waiting = 0;  // operations not yet delivered (nor dead)
  std::int64_t oldest_created_ms = 0;
};

}  // namespace c2p::store
