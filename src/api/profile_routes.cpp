// The Click to Pay profiles getter of spec/api.md §5.7: what each directory holds for the
// consumer, read live from every network where c2p created a profile (in parallel, each
// bounded by [engine] profile_timeout_ms), in c2p's shapes. Decisions: docs/api-decisions.md.
//
// The answer carries the issuer's own personal and card data by design; none of it is
// logged (the log line names networks and failure reasons only).

#include <map>

#include <boost/json/array.hpp>

#include "api/click_to_pay_routes.hpp"
#include "api/registry_params.hpp"
#include "engine/external_ids.hpp"
#include "engine/profile_reader.hpp"
#include "http/request.hpp"
#include "log/log.hpp"

namespace c2p::api {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Reply;
using http::Request;

namespace {

// One card of a profile in the §5.7 shape; members the directory does not hold are absent.
json::object CardJson(const store::CardRecord& card, const networks::ProfileCard& at_network) {
  json::object out{{"cardId", card.card_id}};
  if (!at_network.last4.empty()) out["panLast4"] = at_network.last4;
  if (!at_network.exp.empty()) out["exp"] = at_network.exp;
  if (!at_network.name.empty()) out["name"] = at_network.name;
  if (!at_network.billing_address.empty()) out["billingAddress"] = at_network.billing_address;
  if (!at_network.digital_card_id.empty()) out["digitalCardId"] = at_network.digital_card_id;
  if (!at_network.status.empty()) out["status"] = at_network.status;
  return out;
}

// The directory's cards that are this consumer's cards at c2p, in the directory's order.
// A card is recognised by its externalCardId, derived from the card's incarnation.
json::array MatchCards(const networks::Profile& profile,
                       const std::map<std::string, const store::CardRecord*>& by_external) {
  json::array cards;
  for (const networks::ProfileCard& c : profile.cards) {
    const auto it = by_external.find(c.external_card_id);
    if (it != by_external.end()) cards.emplace_back(CardJson(*it->second, c));
  }
  return cards;
}

// The §5.7 body from the reads; `outcome` gets "VISA:OK MASTERCARD:TIMEOUT" for the log
// (networks and failure reasons, never data). Built outside the coroutine (GCC 12 and
// braced lists of string literals in a coroutine body).
json::object ProfilesBody(const std::vector<engine::ProfileRead>& reads,
                          const std::map<std::string, const store::CardRecord*>& by_external,
                          std::string& outcome) {
  json::array profiles;
  json::array unavailable;
  for (const engine::ProfileRead& read : reads) {
    if (!outcome.empty()) outcome += ' ';
    outcome += read.network + ':';
    if (!read.result) {
      outcome += networks::FailureReasonName(read.result.error().reason);
      // "No profile there" is an answer, not an outage: the profile was deleted at the
      // network (an opt-out, or the network's own decision) and is simply not listed.
      if (read.result.error().reason != networks::FailureReason::kNotEnrolled) {
        unavailable.emplace_back(read.network);
      }
      continue;
    }
    outcome += "OK";
    profiles.emplace_back(json::object{{"network", read.network},
                                       {"consumer", read.result->consumer_info},
                                       {"cards", MatchCards(*read.result, by_external)}});
  }
  json::object body{{"clickToPayProfiles", std::move(profiles)}};
  if (!unavailable.empty()) body["unavailableNetworks"] = std::move(unavailable);
  return body;
}

asio::awaitable<Reply> GetProfiles(RegistryContext& ctx, Request& request) {
  const std::string& issuer = request.principal();
  const std::string consumer_id(request.param("consumerId"));
  if (auto ok = CheckPathId(PathId::kConsumerId, consumer_id); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  auto consumer = co_await ctx.store.GetConsumer(issuer, consumer_id);
  if (!consumer) co_return http::ErrorReply(consumer.error());
  if (!*consumer) {
    co_return http::ErrorReply(
        core::Error{core::ErrorCode::kConsumerNotFound, "no such consumer", ""});
  }
  auto enrolled_in = co_await ctx.store.GetNetworkProfiles(issuer, consumer_id);
  if (!enrolled_in) co_return http::ErrorReply(enrolled_in.error());
  if (enrolled_in->empty()) {
    std::string none;
    co_return http::Json(http::Status::ok, ProfilesBody({}, {}, none));
  }
  if (ctx.profiles == nullptr) {
    co_return http::ErrorReply(
        core::Error{core::ErrorCode::kUnavailable, "Click to Pay networks not configured", ""});
  }
  auto cards = co_await ctx.store.GetConsumerCards(issuer, consumer_id);
  if (!cards) co_return http::ErrorReply(cards.error());
  std::map<std::string, const store::CardRecord*> by_external;
  for (const store::CardRecord& c : *cards) {
    by_external.emplace(engine::ExternalCardId(issuer, c.card_id, c.created_ms), &c);
  }

  const auto reads =
      co_await ctx.profiles->Read(*enrolled_in, engine::ExternalConsumerId(issuer, consumer_id),
                                  std::string(request.correlation_id()));
  std::string outcome;
  json::object body = ProfilesBody(reads, by_external, outcome);
  log::Info("c2p.profiles_read", {{"correlation_id", request.correlation_id()},
                                  {"issuer", issuer},
                                  {"consumer_id", consumer_id},
                                  {"networks", outcome}});
  co_return http::Json(http::Status::ok, std::move(body));
}

}  // namespace

void AddProfileRoutes(http::Router& router, RegistryContext& ctx) {
  router.Add(http::Verb::get,
             "/banking/v1/issuers/{issuerId}/consumers/{consumerId}/clickToPayProfiles",
             [&ctx](Request& r) -> asio::awaitable<Reply> { return GetProfiles(ctx, r); },
             {.bearer = true});
}

}  // namespace c2p::api
