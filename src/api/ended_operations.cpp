#include "api/ended_operations.hpp"

#include <utility>

namespace c2p::api {

namespace {
constexpr std::size_t kThreadCapacity = 4096;
}  // namespace

EndedOperations::EndedOperations(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {
  views_.reserve(capacity_);
  order_.reserve(capacity_);
}

std::string EndedOperations::Key(std::string_view issuer, std::string_view operation_id) {
  std::string key;
  key.reserve(issuer.size() + 1 + operation_id.size());
  key.append(issuer).append("/").append(operation_id);
  return key;
}

const EndedOperations::View* EndedOperations::Find(std::string_view issuer,
                                                   std::string_view operation_id) const {
  const auto it = views_.find(Key(issuer, operation_id));
  return it == views_.end() ? nullptr : &it->second;
}

void EndedOperations::Keep(std::string_view issuer, std::string_view operation_id, View view) {
  std::string key = Key(issuer, operation_id);
  if (views_.contains(key)) return;  // the same ended view: nothing to change
  if (order_.size() < capacity_) {
    order_.push_back(key);
  } else {
    views_.erase(order_[next_]);
    order_[next_] = key;
    next_ = (next_ + 1) % capacity_;
  }
  views_.emplace(std::move(key), std::move(view));
}

EndedOperations& EndedOperations::ForThisThread() {
  thread_local EndedOperations views(kThreadCapacity);
  return views;
}

}  // namespace c2p::api
