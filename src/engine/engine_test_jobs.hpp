#pragma once
// A PENDING operation and its job of kind "TEST", due now, written to a real store: what
// the engine's own tests (lanes, settlement) give it to claim.

#include <chrono>
#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>

#include "core/time_format.hpp"
#include "engine/engine.hpp"
#include "store/store_test_util.hpp"

namespace c2p::engine::testing {

inline core::Result<void> AddTestJob(boost::asio::io_context& io, store::Store& store,
                                     const std::string& operation_id,
                                     const std::string& consumer_id,
                                     store::JobLane lane = store::JobLane::kInteractive,
                                     std::chrono::milliseconds deadline = std::chrono::hours(1)) {
  const std::int64_t now = core::UnixMillisNow();
  auto write = store::testing::StartWrite(io, store,
                                          store::testing::InsertTestJob({
                                              .operation_id = operation_id,
                                              .consumer_id = consumer_id,
                                              .run_at_ms = now,
                                              .deadline_ms = now + deadline.count(),
                                              .lane = lane,
                                              .correlation_id = "corr_" + operation_id,
                                              .input = std::nullopt,
                                          }));
  return store::testing::Await(write);
}

}  // namespace c2p::engine::testing
