#pragma once
// The serialized views of ended operations, kept per reactor thread for the operation
// getters. An operation's terminal state never changes and operations are never deleted
// (store: kFinishOperation leaves an ended one alone), so a view once ended is the answer
// for good, on every node: an issuer that polls ended operations gets it without a store
// read or a serialization. Operations still PENDING are never kept: their reads go to the
// store every time.
//
// Bounded: at most `capacity` views; past it the oldest one kept is dropped. Not
// thread-safe: each reactor thread has its own (ForThisThread).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace c2p::api {

class EndedOperations {
 public:
  // What the getters need: the body, and the owners its scope checks compare.
  struct View {
    std::string body;
    std::optional<std::string> card_id;
    std::optional<std::string> consumer_id;
  };

  explicit EndedOperations(std::size_t capacity);

  // The view of `operation_id` of `issuer`, or nullptr if not kept. Valid until the next
  // Keep on this object.
  const View* Find(std::string_view issuer, std::string_view operation_id) const;
  void Keep(std::string_view issuer, std::string_view operation_id, View view);
  std::size_t size() const { return views_.size(); }

  // This reactor thread's own, of the default capacity (4,096 views, about 2.5 MB).
  static EndedOperations& ForThisThread();

 private:
  static std::string Key(std::string_view issuer, std::string_view operation_id);

  std::size_t capacity_;
  std::unordered_map<std::string, View> views_;
  // Keys in the order kept, as a ring: next_ is the oldest once the ring is full.
  std::vector<std::string> order_;
  std::size_t next_ = 0;
};

}  // namespace c2p::api
