#include "engine/card_optout_driver.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace c2p::engine {

namespace asio = boost::asio;
namespace json = boost::json;
using networks::FailureReason;

namespace {

constexpr std::string_view kOptOutKey = "optOutOperationId";
constexpr std::string_view kOptedOut = "OPTED_OUT";
constexpr std::string_view kEnrolled = "ENROLLED";

// The job's card gets `status`; a cascaded D1 operation ends with the job's.
void EndCard(const store::JobRecord& job, Finished& end, std::string_view status,
             const std::optional<std::string>& digital_card_id) {
  end.card_status = std::string(status);
  end.digital_card_id = digital_card_id;
  if (auto related = CascadedOptOut(job.progress); related && job.card_ref) {
    end.cards.push_back(CardEffect{*job.card_ref, std::string(status), digital_card_id, *related});
  }
}

Finished OptedOut(const store::JobRecord& job, const store::CardRecord& card) {
  json::object details;
  if (card.digital_card_id && !card.digital_card_id->empty()) {
    details["digitalCardId"] = *card.digital_card_id;
  }
  Finished end = SucceededWith(std::move(details));
  EndCard(job, end, kOptedOut, std::string());
  return end;
}

Finished StillEnrolled(const store::JobRecord& job, Finished end) {
  EndCard(job, end, kEnrolled, std::nullopt);
  return end;
}

}  // namespace

std::string DeleteCascadeProgress(std::string_view optout_operation_id) {
  return json::serialize(json::object{{kOptOutKey, optout_operation_id}});
}

std::optional<std::string> CascadedOptOut(std::string_view progress) {
  boost::system::error_code ec;
  const json::value v = json::parse(progress, ec);
  if (ec || !v.is_object()) return std::nullopt;
  const json::value* id = v.get_object().if_contains(kOptOutKey);
  if (id == nullptr || !id->is_string() || id->get_string().empty()) return std::nullopt;
  return std::string(id->get_string());
}

CardOptOutDriver::CardOptOutDriver(store::Store& store, ConnectorsByNetwork connectors,
                                   PollOptions options)
    : store_(store), connectors_(std::move(connectors)), options_(options) {}

Finished CardOptOutDriver::GiveUp(const store::JobRecord& job, std::string code,
                                  std::string message) {
  return StillEnrolled(job, FailedWith(std::move(code), std::move(message)));
}

asio::awaitable<Finished> CardOptOutDriver::GiveUpAtDeadline(const store::JobRecord& job,
                                                             std::string code,
                                                             std::string message) {
  // Only an earlier attempt can have left a deletion applied or running. What this last
  // one cannot settle (no answer again, a refusal) ends the opt-out as before.
  if (job.attempts > 1) {
    RunResult last = co_await Run(job);
    if (auto* end = std::get_if<Finished>(&last); end != nullptr && end->successful) {
      co_return std::move(*end);
    }
  }
  co_return GiveUp(job, code, message);
}

asio::awaitable<RunResult> CardOptOutDriver::Run(const store::JobRecord& job) {
  auto loaded = co_await LoadCardJob(store_, connectors_, job);
  if (!loaded) {
    RunResult r = std::move(loaded.error());
    if (auto* end = std::get_if<Finished>(&r)) co_return StillEnrolled(job, std::move(*end));
    co_return r;
  }
  CardJob& c = *loaded;
  auto call = co_await c.connector->DeleteCard(c.external_consumer_id, c.external_card_id);
  // Deleting a card the directory does not hold: already applied (see the header).
  if (!call && call.error().reason == FailureReason::kNotEnrolled) co_return OptedOut(job, c.card);
  auto ended = co_await AwaitRequest(*c.connector, std::move(call), std::string(), options_);
  if (!ended) {
    RetryLater later =
        RetryWith("NETWORK_UNAVAILABLE", "the directory is still processing the deletion");
    later.in_doubt = true;
    co_return later;
  }
  if (!*ended) {
    const networks::Failure& f = ended->error();
    if (f.reason == FailureReason::kNotEnrolled) co_return OptedOut(job, c.card);
    RunResult r = FromFailure(f);
    if (auto* end = std::get_if<Finished>(&r)) co_return StillEnrolled(job, std::move(*end));
    std::get<RetryLater>(r).in_doubt = f.maybe_applied;
    co_return r;
  }
  co_return OptedOut(job, c.card);
}

}  // namespace c2p::engine
