#include "tests/faults/history.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <utility>

namespace c2p::faults {

History::Id History::Sent(const std::string& issuer, const std::string& card,
                          const std::string& operation) {
  const std::lock_guard lock(mu_);
  Request r;
  r.issuer = issuer;
  r.card = card;
  r.operation = operation;
  requests_.push_back(std::move(r));
  return requests_.size() - 1;
}

void History::Acknowledged(Id id, int status, const std::string& operation_id) {
  const std::lock_guard lock(mu_);
  auto& r = requests_.at(id);
  r.outcome = Request::Outcome::kAcknowledged;
  r.status = status;
  r.operation_id = operation_id;
}

void History::Refused(Id id, int status, const std::string& error_code) {
  const std::lock_guard lock(mu_);
  auto& r = requests_.at(id);
  r.outcome = Request::Outcome::kRefused;
  r.status = status;
  r.error_code = error_code;
}

void History::AnswerLost(Id id) {
  const std::lock_guard lock(mu_);
  requests_.at(id).outcome = Request::Outcome::kAnswerLost;
}

std::vector<Request> History::Requests() const {
  const std::lock_guard lock(mu_);
  return requests_;
}

std::size_t History::Count(Request::Outcome outcome) const {
  const std::lock_guard lock(mu_);
  return static_cast<std::size_t>(std::count_if(
      requests_.begin(), requests_.end(), [&](const Request& r) { return r.outcome == outcome; }));
}

std::string CheckResult::Summary() const {
  std::ostringstream out;
  out << figures.requests << " requests (" << figures.acknowledged << " acknowledged, "
      << figures.refused << " refused, " << figures.answers_lost << " answers lost), "
      << figures.stored_operations << " stored operations, " << figures.notified_operations
      << " notified, " << figures.duplicate_enrolments << " duplicate enrolments, "
      << violations.size() << " violations";
  return out.str();
}

namespace {

using Clock = std::chrono::steady_clock;
using Key = std::pair<std::string, std::string>;  // (issuer, card) or (issuer, operation id)

bool Terminal(const std::string& status) { return status == "SUCCESSFUL" || status == "FAILED"; }

std::string Name(const Key& key) { return key.first + "/" + key.second; }

// Milliseconds since the epoch of "YYYY-MM-DDTHH:MM:SS.mmmZ"; nullopt for anything else.
std::optional<std::int64_t> EpochMs(const std::string& iso) {
  if (iso.size() != 24 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' ||
      iso[16] != ':' || iso[19] != '.' || iso[23] != 'Z') {
    return std::nullopt;
  }
  const auto field = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int v = 0;
    const char* end = iso.data() + at + len;
    auto [ptr, ec] = std::from_chars(iso.data() + at, end, v);
    return ec == std::errc() && ptr == end ? std::optional<int>(v) : std::nullopt;
  };
  const auto yf = field(0, 4), mof = field(5, 2), df = field(8, 2), hf = field(11, 2),
             mif = field(14, 2), sf = field(17, 2), msf = field(20, 3);
  if (!yf || !mof || !df || !hf || !mif || !sf || !msf) return std::nullopt;
  int y = *yf;
  const int mo = *mof, d = *df, h = *hf, mi = *mif, sec = *sf, ms = *msf;
  // Days from the civil date (H. Hinnant's algorithm).
  y -= mo <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60000 + std::int64_t{sec} * 1000 + ms;
}

std::chrono::seconds Remaining(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now());
  return std::clamp(left, std::chrono::seconds(0), std::chrono::seconds(5));
}

class Checker {
 public:
  Checker(const History& history, World& world, const CheckOptions& options)
      : requests_(history.Requests()),
        world_(world),
        options_(options),
        deadline_(Clock::now() + options.settle) {
    for (const auto& r : requests_) {
      cards_.insert({r.issuer, r.card});
      ++sent_[{Name({r.issuer, r.card}), r.operation}];
    }
  }

  CheckResult Run() {
    CheckRequests();
    CheckAcknowledgedStored();
    const auto stored = AwaitTerminal();
    CheckOnce(stored);
    CheckAcknowledgedWithoutId(stored);
    CheckNotified(stored);
    CheckDuplicates();
    Figure(stored);
    return std::move(result_);
  }

 private:
  void Violation(std::string text) { result_.violations.push_back(std::move(text)); }

  // Every request was resolved one way or the other: a client left none hanging.
  void CheckRequests() {
    for (const auto& r : requests_) {
      if (r.outcome == Request::Outcome::kPending) {
        Violation("request " + r.operation + " on card " + Name({r.issuer, r.card}) +
                  " was sent but never resolved by its client");
      }
    }
  }

  void CheckAcknowledgedStored() {
    for (const auto& r : requests_) {
      if (r.outcome != Request::Outcome::kAcknowledged || r.operation_id.empty()) continue;
      const auto lookup = world_.Operation(r.issuer, r.operation_id, std::chrono::seconds(0));
      if (lookup.found == World::Found::kNo) {
        Violation("acknowledged operation " + Name({r.issuer, r.operation_id}) + " (card " +
                  r.card + ") is not stored");
      } else if (lookup.found == World::Found::kUnreadable) {
        Violation("acknowledged operation " + Name({r.issuer, r.operation_id}) +
                  " could not be read");
      } else if (lookup.operation.card != r.card) {
        Violation("acknowledged operation " + Name({r.issuer, r.operation_id}) +
                  " is stored on card " + lookup.operation.card + ", not " + r.card);
      }
    }
  }

  // Every card's operations; nullopt entries for cards that could not be read.
  std::map<Key, std::vector<StoredOperation>> ReadCards() {
    std::map<Key, std::vector<StoredOperation>> out;
    for (const auto& key : cards_) {
      auto ops = world_.CardOperations(key.first, key.second);
      if (!ops) {
        unreadable_.insert(key);
        continue;
      }
      unreadable_.erase(key);
      out[key] = std::move(*ops);
    }
    return out;
  }

  // Reads every card's operations until none is PENDING or the deadline passes, waiting on
  // each pending one through the getter (a real world long-polls there).
  std::map<Key, std::vector<StoredOperation>> AwaitTerminal() {
    for (;;) {
      auto stored = ReadCards();
      bool pending = false;
      for (const auto& [card, ops] : stored) {
        for (const auto& op : ops) {
          if (Terminal(op.status)) continue;
          pending = true;
          while (Clock::now() < deadline_) {
            const auto lookup = world_.Operation(op.issuer, op.id, Remaining(deadline_));
            if (lookup.found != World::Found::kYes || Terminal(lookup.operation.status)) break;
            world_.Pause(std::chrono::milliseconds(20));
          }
        }
      }
      if (!pending || Clock::now() >= deadline_) return stored;
      world_.Pause(std::chrono::milliseconds(50));
    }
  }

  void CheckOnce(const std::map<Key, std::vector<StoredOperation>>& stored) {
    for (const auto& key : unreadable_) {
      Violation("the operations of card " + Name(key) + " could not be read");
    }
    for (const auto& [card, ops] : stored) {
      std::map<std::string, std::size_t> per_kind;
      std::size_t enrolled = 0;
      for (const auto& op : ops) {
        ++per_kind[op.operation];
        const std::string name = Name({op.issuer, op.id});
        if (!Terminal(op.status)) {
          Violation("operation " + name + " (" + op.operation + ", card " + op.card +
                    ") is still " + op.status + " after the settle time");
          continue;
        }
        if (options_.all_successful && op.status != "SUCCESSFUL") {
          Violation("operation " + name + " (" + op.operation + ", card " + op.card + ") ended " +
                    op.status);
        }
        if (op.operation == kEnrolment && op.status == "SUCCESSFUL") ++enrolled;
        // Terminal states never change: a second read sees the same.
        const auto again = world_.Operation(op.issuer, op.id, std::chrono::seconds(0));
        if (again.found != World::Found::kYes) {
          Violation("terminal operation " + name + " is gone on a second read");
        } else if (again.operation.status != op.status) {
          Violation("terminal operation " + name + " was " + op.status + ", then " +
                    again.operation.status);
        }
      }
      if (enrolled > 1) {
        Violation("card " + Name(card) + " has " + std::to_string(enrolled) +
                  " successful enrolments");
      }
      for (const auto& [kind, count] : per_kind) {
        // Only kinds the clients asked for: D1 and token operations have no request.
        const auto sent = sent_.find({Name(card), kind});
        if (sent != sent_.end() && count > sent->second) {
          Violation("card " + Name(card) + " has " + std::to_string(count) + " " + kind +
                    " operations for " + std::to_string(sent->second) +
                    " requests: a request was applied twice");
        }
      }
    }
  }

  // A request acknowledged without an operation id (a registration answered 200/201): its
  // card holds an operation of that kind.
  void CheckAcknowledgedWithoutId(const std::map<Key, std::vector<StoredOperation>>& stored) {
    for (const auto& r : requests_) {
      if (r.outcome != Request::Outcome::kAcknowledged || !r.operation_id.empty()) continue;
      const auto ops = stored.find({r.issuer, r.card});
      if (ops == stored.end()) continue;  // unreadable: already a violation
      if (std::none_of(ops->second.begin(), ops->second.end(),
                       [&](const auto& op) { return op.operation == r.operation; })) {
        Violation("acknowledged " + r.operation + " of card " + Name({r.issuer, r.card}) +
                  " is not stored");
      }
    }
  }

  bool MustBeNotified(const StoredOperation& op) const {
    return Terminal(op.status) && options_.notified_issuers.count(op.issuer) > 0 &&
           options_.unnotified_operations.count(op.operation) == 0;
  }

  // Every terminal operation that must be notified, each once.
  std::vector<StoredOperation> NotificationsDue(
      const std::map<Key, std::vector<StoredOperation>>& stored) const {
    std::vector<StoredOperation> due;
    for (const auto& [card, ops] : stored) {
      for (const auto& op : ops) {
        if (MustBeNotified(op)) due.push_back(op);
      }
    }
    return due;
  }

  void CheckNotified(const std::map<Key, std::vector<StoredOperation>>& stored) {
    const auto due = NotificationsDue(stored);
    if (due.empty()) return;
    // (issuer, operation id) → the statuses it was told, and the index of its terminal one.
    std::map<Key, std::size_t> told_at;
    std::optional<std::vector<Notified>> received;
    for (;;) {
      received = world_.Notifications();
      told_at.clear();
      if (received) {
        for (std::size_t i = 0; i < received->size(); ++i) {
          const auto& n = (*received)[i];
          if (Terminal(n.status)) told_at.emplace(Key{n.issuer, n.operation_id}, i);
        }
      }
      const bool all = received && std::all_of(due.begin(), due.end(), [&](const auto& op) {
                         return told_at.count({op.issuer, op.id}) > 0;
                       });
      if (all || Clock::now() >= deadline_) break;
      world_.Pause(std::chrono::milliseconds(100));
    }
    if (!received) {
      Violation("the stand-in issuer's notifications could not be read");
      return;
    }
    for (const auto& op : due) {
      const auto at = told_at.find({op.issuer, op.id});
      if (at == told_at.end()) {
        Violation("terminal operation " + Name({op.issuer, op.id}) + " (" + op.operation +
                  ", card " + op.card + ") was never notified");
        continue;
      }
      ++result_.figures.notified_operations;
      const auto& told = (*received)[at->second];
      if (told.status != op.status) {
        Violation("operation " + Name({op.issuer, op.id}) + " ended " + op.status +
                  " but was notified " + told.status);
      }
    }
    if (options_.notified_in_order) CheckOrder(due, told_at);
  }

  // Per card, an operation that started after another had ended (by more than the slack)
  // is not notified before it.
  void CheckOrder(const std::vector<StoredOperation>& due, const std::map<Key, std::size_t>& at) {
    std::map<Key, std::vector<const StoredOperation*>> by_card;
    for (const auto& op : due) {
      if (at.count({op.issuer, op.id}) > 0) by_card[{op.issuer, op.card}].push_back(&op);
    }
    const auto slack = options_.order_slack.count();
    for (auto& [card, ops] : by_card) {
      std::sort(ops.begin(), ops.end(), [&](const auto* a, const auto* b) {
        return at.at({a->issuer, a->id}) < at.at({b->issuer, b->id});
      });
      for (std::size_t first = 0; first < ops.size(); ++first) {
        const auto started = EpochMs(ops[first]->start_time);
        for (std::size_t later = first + 1; started && later < ops.size(); ++later) {
          const auto ended = EpochMs(ops[later]->end_time);
          if (ended && *ended + slack < *started) {
            Violation("card " + Name(card) + ": operation " + ops[first]->id + " (started " +
                      ops[first]->start_time + ") was notified before " + ops[later]->id +
                      " (ended " + ops[later]->end_time + ")");
          }
        }
      }
    }
  }

  void CheckDuplicates() {
    const auto counts = world_.DuplicateEnrolments();
    if (!counts) {
      Violation("c2psim's stats could not be read");
      return;
    }
    for (const auto& [network, count] : *counts) {
      const auto before = options_.duplicates_before.find(network);
      const std::int64_t base = before == options_.duplicates_before.end() ? 0 : before->second;
      result_.figures.duplicate_enrolments += count - base;
      if (count > base) {
        Violation(network + " saw " + std::to_string(count - base) + " duplicate enrolments");
      }
    }
  }

  void Figure(const std::map<Key, std::vector<StoredOperation>>& stored) {
    auto& f = result_.figures;
    f.requests = requests_.size();
    for (const auto& r : requests_) {
      f.acknowledged += r.outcome == Request::Outcome::kAcknowledged ? 1 : 0;
      f.refused += r.outcome == Request::Outcome::kRefused ? 1 : 0;
      f.answers_lost += r.outcome == Request::Outcome::kAnswerLost ? 1 : 0;
    }
    for (const auto& [card, ops] : stored) f.stored_operations += ops.size();
  }

  const std::vector<Request> requests_;
  World& world_;
  const CheckOptions& options_;
  const Clock::time_point deadline_;
  std::set<Key> cards_;
  std::set<Key> unreadable_;
  std::map<std::pair<std::string, std::string>, std::size_t> sent_;  // (card, kind) → requests
  CheckResult result_;
};

}  // namespace

CheckResult CheckHistory(const History& history, World& world, const CheckOptions& options) {
  return Checker(history, world, options).Run();
}

}  // namespace c2p::faults
