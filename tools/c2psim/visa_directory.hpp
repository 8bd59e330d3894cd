#pragma once
// The Visa-like directory (spec/networks.md §1): asynchronous writes answered 202 with a
// requestTraceId, completed once the token service has finished with every card; getData;
// requestStatus; the VIDC-… errors, 409 VIDC-3000 while a request for the same consumer is
// in progress.

#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

#include <boost/json/array.hpp>

#include "http/router.hpp"
#include "sim_context.hpp"

namespace c2p::sim {

class VisaDirectory {
 public:
  explicit VisaDirectory(SimContext& sim) : sim_(sim) {}
  void AddRoutes(http::Router& router);
  void Clear() {
    traces_.clear();
    order_.clear();
  }

  // Traces kept for requestStatus; beyond it the oldest are forgotten (a long benchmark
  // must not grow the simulator without bound).
  static constexpr std::size_t kMaxTraces = 200'000;

 private:
  struct Trace {
    bool completed = false;
    boost::json::array details;
  };

  boost::asio::awaitable<http::Reply> Write(http::Request& request, VisaCall call);
  boost::asio::awaitable<http::Reply> Status(http::Request& request);
  // Checks and applies a parsed request; the reply when it is answered at once.
  http::Reply Apply(VisaRequest& request, std::string& trace_id);
  http::Reply Enrol(VisaRequest& request, std::string& trace_id);
  http::Reply GetData(const VisaRequest& request);
  boost::asio::awaitable<void> Complete(std::string trace_id, std::string consumer_id,
                                        std::vector<std::string> card_ids);
  std::string NewTrace(bool completed);

  SimContext& sim_;
  std::unordered_map<std::string, Trace> traces_;
  std::deque<std::string> order_;  // trace ids, oldest first
};

}  // namespace c2p::sim
