#pragma once
// The consumer data an attempt sends (spec/api.md §5.2): the body's, else the stored
// (opened from the vault), else the issuer's Get Consumer Information, field by field; the
// one way the enrolment and the consumer update resolve it.

#include <string>

#include <boost/asio/awaitable.hpp>
#include <tl/expected.hpp>

#include "engine/consumer_data.hpp"
#include "engine/driver.hpp"
#include "store/store.hpp"
#include "vault/key_ring.hpp"

namespace c2p::engine {

struct ResolvedConsumer {
  ConsumerData known;   // complete: every mandatory field is there
  ConsumerData stored;  // what the store held (some drivers send its address on)
};

// Otherwise how the attempt ends: a store or vault problem is retried; the issuer's
// failure is retried or final as it says; missing fields fail with
// CONSUMER_DATA_INCOMPLETE naming them. `consumer_info` may be null; `card_id` is sent to
// the issuer when it asks for one (empty: none).
boost::asio::awaitable<tl::expected<ResolvedConsumer, RunResult>> ResolveConsumer(
    store::Store& store, const vault::KeyRing& keys, ConsumerInfoSource* consumer_info,
    const store::JobRecord& job, const std::string& card_id, const ConsumerData& body);

}  // namespace c2p::engine
