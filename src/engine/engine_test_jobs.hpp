#pragma once
// A PENDING operation and its job of kind "TEST", due now, written to a real store: what
// the engine's own tests (lanes, settlement) give it to claim.

#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>

#include "engine/engine.hpp"
#include "store/store_test_util.hpp"

namespace c2p::engine::testing {

inline core::Result<void> AddTestJob(boost::asio::io_context& io, store::Store& store,
                                     const std::string& operation_id,
                                     const std::string& consumer_id,
                                     store::JobLane lane = store::JobLane::kInteractive) {
  const std::int64_t now = UnixMillisNow();
  auto write = store::testing::StartWrite(io, store, [=](store::WriteTx& tx) -> core::Result<void> {
    store::OperationRecord op;
    op.operation_id = operation_id;
    op.issuer_id = "ISSUER0001";
    op.operation = "CLICK_TO_PAY_ENROLMENT";
    op.status = "PENDING";
    op.requestor_type = "D1";
    op.requestor_id = "D1";
    op.consumer_id = consumer_id;
    op.start_ms = now;
    if (auto r = tx.InsertOperation(op); !r) return r;
    store::JobRecord job;
    job.operation_id = operation_id;
    job.kind = "TEST";
    job.issuer_id = op.issuer_id;
    job.consumer_id = consumer_id;
    job.run_at_ms = now;
    job.deadline_ms = now + 3'600'000;
    job.correlation_id = "corr_" + operation_id;
    job.created_ms = now;
    job.lane = lane;
    auto id = tx.InsertJob(job);
    if (!id) return tl::unexpected(id.error());
    return {};
  });
  return store::testing::Await(write);
}

}  // namespace c2p::engine::testing
