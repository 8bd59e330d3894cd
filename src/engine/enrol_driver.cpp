#include "engine/enrol_driver.hpp"

#include "engine/external_ids.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::engine {

namespace asio = boost::asio;
using networks::FailureReason;

struct EnrolDriver::Attempt {
  explicit Attempt(const store::JobRecord& j) : job(j) {}
  const store::JobRecord& job;
  store::CardRecord card;
  // The card's directory, its calls carrying the job's correlation id.
  std::unique_ptr<networks::NetworkConnector> connector;
  networks::ConsumerRef consumer;
  domain::CardData card_data;
  networks::CardRef card_ref;
  bool profile_known_before = false;  // c2p had recorded a profile in this network
  bool profile_exists = false;        // what this attempt knows now
};

namespace {

constexpr std::string_view kEnrolled = "ENROLLED";
constexpr std::string_view kFailed = "FAILED";

Finished Failed(std::string code, std::string message) {
  Finished f = FailedWith(std::move(code), std::move(message));
  f.card_status = std::string(kFailed);
  return f;
}

}  // namespace

EnrolDriver::EnrolDriver(store::Store& store, const vault::KeyRing& keys,
                         std::map<std::string, networks::NetworkConnector*, std::less<>> connectors,
                         ConsumerInfoSource* consumer_info, PollOptions options)
    : store_(store),
      keys_(keys),
      connectors_(std::move(connectors)),
      consumer_info_(consumer_info),
      options_(options) {}

Finished EnrolDriver::GiveUp(const store::JobRecord& /*job*/, std::string code,
                             std::string message) {
  return Failed(std::move(code), std::move(message));
}

asio::awaitable<tl::expected<ConsumerData, RunResult>> EnrolDriver::ResolveConsumer(
    const store::JobRecord& job, const store::CardRecord& card, const ConsumerData& body) {
  auto resolved =
      co_await engine::ResolveConsumer(store_, keys_, consumer_info_, job, card.card_id, body);
  if (resolved) co_return std::move(resolved->known);
  // An enrolment that ends here leaves its card FAILED (enrollable again).
  RunResult end = std::move(resolved.error());
  if (auto* finished = std::get_if<Finished>(&end)) finished->card_status = std::string(kFailed);
  co_return tl::unexpected(std::move(end));
}

asio::awaitable<RunResult> EnrolDriver::Run(const store::JobRecord& job) {
  if (!job.card_ref) co_return Failed("NETWORK_REJECTED", "internal: enrolment job without a card");
  auto card = co_await store_.GetCardByRef(*job.card_ref);
  if (!card) co_return InternalRetry("store: " + card.error().message);
  if (!*card) co_return Failed("NETWORK_REJECTED", "internal: the card no longer exists");
  auto connector = connectors_.find((*card)->network);
  if (connector == connectors_.end()) {
    co_return Failed("NETWORK_UNAVAILABLE",
                     "the " + (*card)->network + " directory is not configured");
  }

  ConsumerData body;
  std::optional<std::string> body_name;
  if (job.input) {
    auto data = vault::OpenEnrolmentData(keys_, job.issuer_id, job.operation_id, *job.input);
    if (!data) co_return InternalRetry("sealed enrolment data does not open");
    body.info = std::move(data->consumer_info);
    body.billing = std::move(data->billing_address);
    body_name = std::move(data->name);
  }
  auto consumer = co_await ResolveConsumer(job, **card, body);
  if (!consumer) co_return std::move(consumer.error());

  auto card_data = vault::OpenCardData(keys_, **card);
  if (!card_data) co_return InternalRetry("sealed card data does not open");
  if (body_name) card_data->name = core::SecretBytes(*body_name);

  auto profiles = co_await store_.GetNetworkProfiles(job.issuer_id, job.consumer_id);
  if (!profiles) co_return InternalRetry("store: " + profiles.error().message);

  Attempt a(job);
  Identify(a, std::move(**card), *connector->second, *profiles);
  a.card_data = std::move(*card_data);
  a.consumer.info = std::move(*consumer->info);
  a.consumer.billing = consumer->billing;
  a.card_ref.card = &a.card_data;
  a.card_ref.billing = *consumer->billing;

  // An earlier attempt may have been applied without c2p learning it: look first.
  if (job.attempts > 1) {
    if (auto found = co_await LookUp(a)) co_return std::move(*found);
  }
  co_return co_await Enrol(a);
}

void EnrolDriver::Identify(Attempt& a, store::CardRecord card,
                           networks::NetworkConnector& connector,
                           const std::vector<std::string>& profiles) {
  const store::JobRecord& job = a.job;
  a.card = std::move(card);
  a.connector = connector.ForCall({job.correlation_id, job.lease_until_ms});
  a.consumer.external_consumer_id = ExternalConsumerId(job.issuer_id, job.consumer_id);
  a.card_ref.external_card_id = ExternalCardId(job.issuer_id, a.card.card_id, a.card.created_ms);
  a.profile_known_before =
      std::find(profiles.begin(), profiles.end(), a.card.network) != profiles.end();
  a.profile_exists = a.profile_known_before;
}

asio::awaitable<Finished> EnrolDriver::GiveUpAtDeadline(const store::JobRecord& job,
                                                        std::string code, std::string message) {
  // Only an earlier attempt can have left a call applied; what the lookup cannot confirm
  // (not there, still being tokenised, no answer) ends the operation as before.
  if (job.attempts > 1 && job.card_ref) {
    if (auto found = co_await FindEnrolled(job)) co_return std::move(*found);
  }
  co_return GiveUp(job, code, message);
}

asio::awaitable<std::optional<Finished>> EnrolDriver::FindEnrolled(const store::JobRecord& job) {
  auto card = co_await store_.GetCardByRef(*job.card_ref);
  if (!card || !*card) co_return std::nullopt;
  auto connector = connectors_.find((*card)->network);
  if (connector == connectors_.end()) co_return std::nullopt;
  auto profiles = co_await store_.GetNetworkProfiles(job.issuer_id, job.consumer_id);
  if (!profiles) co_return std::nullopt;
  Attempt a(job);
  Identify(a, std::move(**card), *connector->second, *profiles);
  auto looked = co_await LookUp(a);
  auto* end = looked ? std::get_if<Finished>(&*looked) : nullptr;
  if (end == nullptr || !end->successful) co_return std::nullopt;
  co_return std::move(*end);
}

namespace {

bool ProfileCreated(bool known_before, bool exists_now, bool network_says) {
  return network_says || (exists_now && !known_before);
}

}  // namespace

asio::awaitable<std::optional<RunResult>> EnrolDriver::LookUp(Attempt& a) {
  auto profile = co_await a.connector->GetProfile(a.consumer.external_consumer_id);
  if (!profile) {
    const networks::Failure& f = profile.error();
    if (f.reason == FailureReason::kNotEnrolled) {
      a.profile_exists = false;
      co_return std::nullopt;
    }
    if (f.retryable) {
      // A lookup is made when an earlier call may have enrolled the card: unanswered, it
      // leaves that open.
      RetryLater later = RetryWith(f.failure_code, f.message, f.retry_after);
      later.in_doubt = true;
      co_return RunResult(std::move(later));
    }
    co_return RunResult(Failed(f.failure_code, f.message));
  }
  a.profile_exists = true;
  const networks::ProfileCard* found = profile->FindCard(a.card_ref.external_card_id);
  if (found == nullptr) co_return std::nullopt;
  if (found->digital_card_id.empty()) {
    // Accepted and still being tokenised: enrolling again would be a duplicate.
    RetryLater later = RetryWith("NETWORK_UNAVAILABLE", "the card is still being tokenised");
    later.profile_network = a.card.network;
    later.in_doubt = true;  // the directory holds the card: its outcome is still to come
    co_return RunResult(std::move(later));
  }
  boost::json::object details{{"digitalCardId", found->digital_card_id},
                              {"consumerProfileCreated", !a.profile_known_before}};
  Finished end = SucceededWith(std::move(details));
  end.card_status = std::string(kEnrolled);
  end.digital_card_id = found->digital_card_id;
  end.profile_network = a.card.network;
  co_return RunResult(std::move(end));
}

asio::awaitable<RunResult> EnrolDriver::Enrol(Attempt& a) {
  networks::CallResult call;
  if (!a.profile_exists) {
    call = co_await a.connector->EnrolConsumer(a.consumer, a.card_ref);
    if (!call && call.error().reason == FailureReason::kAlreadyEnrolled) {
      a.profile_exists = true;
      call = co_await a.connector->AddCard(a.consumer, a.card_ref);
    }
  } else {
    call = co_await a.connector->AddCard(a.consumer, a.card_ref);
    if (!call && call.error().reason == FailureReason::kNotEnrolled) {
      // The profile is gone (deleted at the network): create it again.
      a.profile_exists = false;
      a.profile_known_before = false;
      call = co_await a.connector->EnrolConsumer(a.consumer, a.card_ref);
    }
  }
  if (!call && call.error().reason == FailureReason::kCardAlreadyExists) {
    // Never enrol again: find out what the directory holds.
    if (auto found = co_await LookUp(a)) co_return std::move(*found);
    co_return Failed("NETWORK_REJECTED", "the directory holds the card under another consumer");
  }
  co_return co_await Await(a, std::move(call));
}

asio::awaitable<RunResult> EnrolDriver::Await(Attempt& a, networks::CallResult call) {
  const bool enrolled_consumer = !a.profile_exists;  // this call was to create the profile
  // A Visa-like enrollData accepted creates the profile, whatever becomes of the card.
  const bool accepted_created = call && call->consumer_created;
  auto ended =
      co_await AwaitRequest(*a.connector, std::move(call), a.card_ref.external_card_id, options_);
  if (!ended) {
    // Accepted and not yet ended: it may still enrol the card.
    RetryLater later =
        RetryWith("NETWORK_UNAVAILABLE", "the directory is still processing the request");
    later.in_doubt = true;
    co_return later;
  }
  call = std::move(*ended);
  if (!call) {
    const networks::Failure& f = call.error();
    const bool created =
        ProfileCreated(a.profile_known_before, false, f.consumer_created || accepted_created);
    std::optional<std::string> profile;
    if (created || a.profile_exists) profile = a.card.network;
    if (f.retryable) {
      RetryLater later = RetryWith(f.failure_code, f.message, f.retry_after);
      if (created) later.profile_network = profile;
      later.in_doubt = f.maybe_applied;
      co_return later;
    }
    Finished end = Failed(f.failure_code, f.message);
    if (created) end.details["consumerProfileCreated"] = true;
    end.profile_network = created ? profile : std::nullopt;
    co_return end;
  }
  const bool created =
      ProfileCreated(a.profile_known_before, true,
                     call->consumer_created || accepted_created || enrolled_consumer);
  boost::json::object details{{"consumerProfileCreated", created}};
  if (!call->digital_card_id.empty()) details["digitalCardId"] = call->digital_card_id;
  Finished end = SucceededWith(std::move(details));
  end.card_status = std::string(kEnrolled);
  if (!call->digital_card_id.empty()) end.digital_card_id = call->digital_card_id;
  end.profile_network = a.card.network;
  co_return end;
}

}  // namespace c2p::engine
