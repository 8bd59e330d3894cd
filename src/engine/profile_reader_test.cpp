#include "engine/profile_reader.hpp"

#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>

#include "networks/answers.hpp"

namespace c2p::engine {
namespace {

namespace asio = boost::asio;
using networks::CallResult;
using networks::Result;

// A directory that answers GetProfile after `delay` with one card named after the consumer,
// or with `failure`. Other calls are not used by the reader.
class TimedDirectory final : public networks::NetworkConnector {
 public:
  TimedDirectory(networks::Network network, std::chrono::milliseconds delay,
                 std::optional<networks::FailureReason> failure = std::nullopt)
      : network_(network), delay_(delay), failure_(failure) {}
  networks::Network network() const override { return network_; }
  // The reader's calls go through a handle carrying the request's correlation id: it
  // shares this directory's counters.
  std::unique_ptr<networks::NetworkConnector> ForCall(
      networks::CallContext context) const override {
    auto handle = std::make_unique<TimedDirectory>(*this);
    handle->context_ = std::move(context);
    return handle;
  }
  asio::awaitable<CallResult> EnrolConsumer(const networks::ConsumerRef&,
                                            const networks::CardRef&) override {
    co_return Unused();
  }
  asio::awaitable<CallResult> AddCard(const networks::ConsumerRef&,
                                      const networks::CardRef&) override {
    co_return Unused();
  }
  asio::awaitable<CallResult> UpdateConsumer(const networks::ConsumerRef&) override {
    co_return Unused();
  }
  asio::awaitable<CallResult> UpdateCard(const std::string&, const networks::CardUpdate&) override {
    co_return Unused();
  }
  asio::awaitable<CallResult> DeleteCard(const std::string&, const std::string&) override {
    co_return Unused();
  }
  asio::awaitable<CallResult> DeleteConsumer(const std::string&) override { co_return Unused(); }
  asio::awaitable<CallResult> PollRequest(const std::string&, const std::string&) override {
    co_return Unused();
  }
  asio::awaitable<Result<networks::Profile>> GetProfile(const std::string& id) override {
    ++*calls;
    correlation_ids->push_back(context_.correlation_id);
    asio::steady_timer timer(co_await asio::this_coro::executor, delay_);
    co_await timer.async_wait(asio::use_awaitable);
    if (failure_) co_return tl::unexpected(networks::MakeFailure(*failure_, "refused"));
    networks::Profile p;
    networks::ProfileCard card;
    card.external_card_id = "card-of-" + id;
    p.cards.push_back(std::move(card));
    co_return p;
  }
  std::shared_ptr<int> calls = std::make_shared<int>(0);
  std::shared_ptr<std::vector<std::string>> correlation_ids =
      std::make_shared<std::vector<std::string>>();

 private:
  static tl::unexpected<networks::Failure> Unused() {
    return tl::unexpected(networks::MakeFailure(networks::FailureReason::kRejected, "unused"));
  }
  networks::Network network_;
  std::chrono::milliseconds delay_;
  std::optional<networks::FailureReason> failure_;
  networks::CallContext context_;
};

using namespace std::chrono_literals;

// Runs the reader on its own engine-like thread and awaits it from another io_context, as
// a route does.
std::vector<ProfileRead> ReadFromElsewhere(ProfileReader& reader, asio::io_context& engine,
                                           std::vector<std::string> networks) {
  engine.restart();
  auto guard = asio::make_work_guard(engine);
  std::thread engine_thread([&] { engine.run(); });
  asio::io_context caller;
  auto future = asio::co_spawn(caller, reader.Read(std::move(networks), "c2pc-1", "corr-profiles"),
                               asio::use_future);
  caller.run();
  guard.reset();
  engine.stop();
  engine_thread.join();
  return future.get();
}

TEST(ProfileReader, ReadsEveryNetworkInParallel) {
  asio::io_context engine;
  TimedDirectory visa(networks::Network::kVisa, 200ms);
  TimedDirectory mc(networks::Network::kMastercard, 200ms);
  ProfileReader reader(engine.get_executor(), {{"VISA", &visa}, {"MASTERCARD", &mc}}, 5s);
  const auto start = std::chrono::steady_clock::now();
  auto out = ReadFromElsewhere(reader, engine, {"MASTERCARD", "VISA"});
  // Both in about one delay, not two, and well before the timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 390ms);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_EQ(out[0].network, "MASTERCARD");
  EXPECT_EQ(out[1].network, "VISA");
  ASSERT_TRUE(out[0].result.has_value());
  ASSERT_TRUE(out[1].result.has_value());
  EXPECT_EQ(out[1].result->cards.at(0).external_card_id, "card-of-c2pc-1");
  EXPECT_EQ(*visa.calls, 1);
  EXPECT_EQ(*mc.calls, 1);
  // Each directory call carried the request's x-correlation-id.
  EXPECT_EQ(*visa.correlation_ids, (std::vector<std::string>{"corr-profiles"}));
  EXPECT_EQ(*mc.correlation_ids, (std::vector<std::string>{"corr-profiles"}));
}

TEST(ProfileReader, ASlowNetworkTimesOutAndTheOtherIsKept) {
  asio::io_context engine;
  TimedDirectory visa(networks::Network::kVisa, 10ms);
  TimedDirectory mc(networks::Network::kMastercard, 2s);
  ProfileReader reader(engine.get_executor(), {{"VISA", &visa}, {"MASTERCARD", &mc}}, 150ms);
  const auto start = std::chrono::steady_clock::now();
  auto out = ReadFromElsewhere(reader, engine, {"VISA", "MASTERCARD"});
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  ASSERT_EQ(out.size(), 2U);
  EXPECT_TRUE(out[0].result.has_value());
  ASSERT_FALSE(out[1].result.has_value());
  EXPECT_EQ(out[1].result.error().reason, networks::FailureReason::kTimeout);
  EXPECT_TRUE(out[1].result.error().retryable);
}

TEST(ProfileReader, FailuresAndUnknownNetworksAreReportedPerNetwork) {
  asio::io_context engine;
  TimedDirectory visa(networks::Network::kVisa, 1ms, networks::FailureReason::kUnavailable);
  ProfileReader reader(engine.get_executor(), {{"VISA", &visa}}, 1s);
  auto out = ReadFromElsewhere(reader, engine, {"VISA", "MASTERCARD"});
  ASSERT_EQ(out.size(), 2U);
  ASSERT_FALSE(out[0].result.has_value());
  EXPECT_EQ(out[0].result.error().reason, networks::FailureReason::kUnavailable);
  ASSERT_FALSE(out[1].result.has_value());
  EXPECT_EQ(out[1].result.error().reason, networks::FailureReason::kRejected);
  // Nothing to read: an empty answer at once.
  EXPECT_TRUE(ReadFromElsewhere(reader, engine, {}).empty());
}

}  // namespace
}  // namespace c2p::engine
