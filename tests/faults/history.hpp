#pragma once
// The fault suite's history and its checker (quality.md "nothing lost", issue 11).
//
// Client threads record every request they make: sent, then acknowledged (2xx, with the
// operation id), refused (a definitive non-2xx) or answer lost (no answer before the
// client gave up). After the fault, the checker reads the world (c2pd's operations, the
// stand-in issuer's received notifications, c2psim's stats) and returns the violations of:
//
//   - acknowledged ⇒ stored: every acknowledged operation is found by the operation getter;
//   - stored ⇒ exactly one terminal state: every operation stored for a card the run
//     touched is terminal, still the same on a second read; no card has more operations of
//     a kind than requests of that kind were sent for it (a retried request applied twice),
//     nor two successful enrolments;
//   - terminal ⇒ notified at least once, with that status (optionally in the order the
//     card's operations ended: see CheckOptions::notified_in_order);
//   - no card enrolled twice at a network (c2psim's duplicateEnrolments).
//
// Violations name issuers, card ids and operation ids (test-chosen), never card data or
// personal data. The checking logic reads through `World`, so it is unit tested on a
// planted world (history_test.cpp); `HttpWorld` (http_world.hpp) is the real one.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace c2p::faults {

inline constexpr const char* kEnrolment = "CLICK_TO_PAY_ENROLMENT";

// One client request, as the client saw it.
struct Request {
  enum class Outcome { kPending, kAcknowledged, kRefused, kAnswerLost };
  std::string issuer;
  std::string card;       // the card id it names
  std::string operation;  // the operation kind it starts (kEnrolment, "REGISTER", …)
  Outcome outcome = Outcome::kPending;
  std::string operation_id;  // when acknowledged
  int status = 0;            // the answer's HTTP status (0: none)
  std::string error_code;    // when refused
};

// Thread-safe: client threads record into one History.
class History {
 public:
  using Id = std::size_t;
  // Before the request goes out (so a request whose answer is lost is still known).
  Id Sent(const std::string& issuer, const std::string& card, const std::string& operation);
  void Acknowledged(Id id, int status, const std::string& operation_id);
  void Refused(Id id, int status, const std::string& error_code);
  void AnswerLost(Id id);

  std::vector<Request> Requests() const;
  std::size_t Count(Request::Outcome outcome) const;

 private:
  mutable std::mutex mu_;
  std::vector<Request> requests_;
};

// An operation as c2pd stores it (api.md §5.8).
struct StoredOperation {
  std::string issuer;
  std::string id;
  std::string operation;
  std::string status;  // PENDING, SUCCESSFUL, FAILED
  std::string card;
  std::string end_time;    // ISO-8601 UTC with milliseconds, empty while PENDING
  std::string start_time;  // ISO-8601 UTC with milliseconds
};

// One operation the stand-in issuer was told about, in the order it received them.
struct Notified {
  std::string issuer;
  std::string operation_id;
  std::string status;
  std::string card;
};

// What the checker reads. nullopt means "could not read" (a violation, never a pass).
class World {
 public:
  enum class Found { kYes, kNo, kUnreadable };
  struct Lookup {
    Found found = Found::kUnreadable;
    StoredOperation operation;
  };
  virtual ~World() = default;
  // Every operation stored for the card (all pages).
  virtual std::optional<std::vector<StoredOperation>> CardOperations(const std::string& issuer,
                                                                     const std::string& card) = 0;
  // The operation getter; `wait` lets a real world long-poll until it is terminal.
  virtual Lookup Operation(const std::string& issuer, const std::string& id,
                           std::chrono::seconds wait) = 0;
  virtual std::optional<std::vector<Notified>> Notifications() = 0;
  // c2psim's duplicateEnrolments per network ("visa", "mastercard").
  virtual std::optional<std::map<std::string, std::int64_t>> DuplicateEnrolments() = 0;
  // Pause between polls (a real world sleeps; a planted one need not).
  virtual void Pause(std::chrono::milliseconds pause) = 0;
};

struct CheckOptions {
  // How long operations may take to end and notifications to arrive.
  std::chrono::seconds settle{120};
  // Issuers with a notification_url: only their terminal operations must be notified.
  std::set<std::string> notified_issuers;
  // Kinds never notified: complete in the answer itself (docs/notifications.md).
  std::set<std::string> unnotified_operations{"REGISTER"};
  // Every stored operation of the run must end SUCCESSFUL (R1, R2).
  bool all_successful = false;
  // Each card's operations were notified in the order they ended (R3). endTime is stamped
  // when an outcome is decided, a little before the unit that ends the operation (and
  // queues its notification) commits, so two operations of a card ending close together
  // may be queued either way round: an operation B notified before A is a violation only
  // when B started more than `order_slack` after A had ended.
  bool notified_in_order = false;
  std::chrono::milliseconds order_slack{500};
  // duplicateEnrolments before the run, per network (a suite's earlier tests).
  std::map<std::string, std::int64_t> duplicates_before;
};

// What a run amounted to: for the test's output and docs/reliability.md.
struct Figures {
  std::size_t requests = 0;
  std::size_t acknowledged = 0;
  std::size_t refused = 0;
  std::size_t answers_lost = 0;
  std::size_t stored_operations = 0;
  std::size_t notified_operations = 0;
  std::int64_t duplicate_enrolments = 0;
};

struct CheckResult {
  std::vector<std::string> violations;
  Figures figures;
  std::string Summary() const;  // one line of figures
};

CheckResult CheckHistory(const History& history, World& world, const CheckOptions& options);

}  // namespace c2p::faults
