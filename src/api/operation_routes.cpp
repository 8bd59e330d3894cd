// The operation getters of spec/api.md §5.8: one operation (by card, by consumer, or by
// issuer [c2p]) with an optional `wait=` long-poll, and the card's and the consumer's
// lists, most recent first.

#include <boost/asio/this_coro.hpp>
#include <boost/json/array.hpp>

#include "api/click_to_pay_routes.hpp"
#include "api/ended_operations.hpp"
#include "api/registry_params.hpp"
#include "api/registry_views.hpp"
#include "core/ids.hpp"
#include "http/request.hpp"

namespace c2p::api {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Verb;

namespace {

enum class Scope { kIssuer, kCard, kConsumer };

constexpr int kMaxWaitSeconds = 30;
constexpr int kMaxLimit = 100;
constexpr int kDefaultLimit = 10;
constexpr int kMaxOffset = 1'000'000;

// A non-negative decimal integer in [low, high], or a FIELD_INVALID_FORMAT naming the
// query parameter.
core::Result<int> QueryInt(const Request& request, std::string_view name, int fallback, int low,
                           int high) {
  auto text = request.query_param(name);
  if (!text) return fallback;
  const std::string range = std::to_string(low) + ".." + std::to_string(high);
  if (text->empty() || text->size() > 7 ||
      text->find_first_not_of("0123456789") != std::string::npos) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                      std::string(name) + " must be an integer in " + range,
                      "/" + std::string(name));
  }
  const int value = std::stoi(*text);
  if (value < low || value > high) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                      std::string(name) + " must be an integer in " + range,
                      "/" + std::string(name));
  }
  return value;
}

bool Visible(Scope scope, std::string_view owner_id, const std::optional<std::string>& card_id,
             const std::optional<std::string>& consumer_id) {
  return scope == Scope::kIssuer || (scope == Scope::kCard && card_id == owner_id) ||
         (scope == Scope::kConsumer && !card_id && consumer_id == owner_id);
}

store::Reading<std::optional<store::OperationRecord>> ReadScoped(RegistryContext& ctx,
                                                                 const std::string& issuer,
                                                                 const std::string& operation_id,
                                                                 Scope scope,
                                                                 std::string_view owner_id) {
  auto op = co_await ctx.store.GetOperation(issuer, operation_id);
  if (!op || !*op) co_return op;
  if (!Visible(scope, owner_id, (*op)->card_id, (*op)->consumer_id)) {
    co_return std::optional<store::OperationRecord>();
  }
  co_return op;
}

Reply NotFound() {
  return http::ErrorReply(
      core::Error{core::ErrorCode::kOperationNotFound, "no such operation", std::string()});
}

asio::awaitable<Reply> GetOne(RegistryContext& ctx, Scope scope, Request& request) {
  const std::string& issuer = request.principal();
  std::string owner_id;
  if (scope == Scope::kCard) {
    owner_id = request.param("cardId");
    if (auto ok = CheckPathId(PathId::kCardId, owner_id); !ok)
      co_return http::ErrorReply(ok.error());
  } else if (scope == Scope::kConsumer) {
    owner_id = request.param("consumerId");
    if (auto ok = CheckPathId(PathId::kConsumerId, owner_id); !ok) {
      co_return http::ErrorReply(ok.error());
    }
  }
  const std::string operation_id(request.param("operationId"));
  // An id that cannot exist is simply not found.
  if (!core::IsGeneratedId(operation_id)) co_return NotFound();
  auto wait = QueryInt(request, "wait", 0, 0, kMaxWaitSeconds);
  if (!wait) co_return http::ErrorReply(wait.error());

  // Until the operation ends or the wait is over. A wake-up does not always mean the end:
  // after a NotifyAll (ends possibly missed, operation_watch.hpp) a PENDING operation
  // waits on for what is left.
  // An ended operation is answered from this thread's kept views when it is there
  // (ended_operations.hpp): it can no longer change, so neither can its answer.
  EndedOperations& ended = EndedOperations::ForThisThread();
  if (const auto* view = ended.Find(issuer, operation_id)) {
    if (!Visible(scope, owner_id, view->card_id, view->consumer_id)) co_return NotFound();
    co_return http::Text(http::Status::ok, view->body, "application/json");
  }
  const bool waits = *wait > 0 && ctx.watch != nullptr;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(*wait);
  for (;;) {
    // Registered before the read, so an end between the read and the wait is not missed.
    std::optional<engine::OperationWatch::Ticket> ticket;
    if (waits) {
      ticket.emplace(*ctx.watch, engine::OperationWatch::Key(issuer, operation_id),
                     co_await asio::this_coro::executor);
    }
    auto op = co_await ReadScoped(ctx, issuer, operation_id, scope, owner_id);
    if (!op) co_return http::ErrorReply(op.error());
    if (!*op) co_return NotFound();
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (!ticket || (*op)->end_ms || left.count() <= 0) {
      Reply reply = http::Json(http::Status::ok, OperationJson(**op));
      if ((*op)->end_ms) {
        ended.Keep(issuer, operation_id, {reply.body, (*op)->card_id, (*op)->consumer_id});
      }
      co_return reply;
    }
    co_await ticket->Wait(left);
  }
}

asio::awaitable<Reply> List(RegistryContext& ctx, Scope scope, Request& request) {
  const std::string& issuer = request.principal();
  const bool card = scope == Scope::kCard;
  const std::string owner_id(request.param(card ? "cardId" : "consumerId"));
  if (auto ok = CheckPathId(card ? PathId::kCardId : PathId::kConsumerId, owner_id); !ok) {
    co_return http::ErrorReply(ok.error());
  }
  auto offset = QueryInt(request, "offset", 0, 0, kMaxOffset);
  if (!offset) co_return http::ErrorReply(offset.error());
  auto limit = QueryInt(request, "limit", kDefaultLimit, 1, kMaxLimit);
  if (!limit) co_return http::ErrorReply(limit.error());
  // An unknown card or consumer is 404, not an empty list.
  if (card) {
    auto found = co_await ctx.store.GetCard(issuer, owner_id);
    if (!found) co_return http::ErrorReply(found.error());
    if (!*found) {
      co_return http::ErrorReply(core::Error{core::ErrorCode::kCardNotFound, "no such card", ""});
    }
  } else {
    auto found = co_await ctx.store.GetConsumer(issuer, owner_id);
    if (!found) co_return http::ErrorReply(found.error());
    if (!*found) {
      co_return http::ErrorReply(
          core::Error{core::ErrorCode::kConsumerNotFound, "no such consumer", ""});
    }
  }
  auto ops = co_await ctx.store.ListOperations(
      issuer, card ? store::Store::OperationOwner::kCard : store::Store::OperationOwner::kConsumer,
      owner_id, *offset, *limit);
  if (!ops) co_return http::ErrorReply(ops.error());
  json::array list;
  list.reserve(ops->size());
  for (const auto& op : *ops) list.emplace_back(OperationJson(op));
  co_return http::Json(
      http::Status::ok,
      json::object{{"operations", std::move(list)}, {"offset", *offset}, {"limit", *limit}});
}

}  // namespace

void AddOperationRoutes(http::Router& router, RegistryContext& ctx) {
  const std::string base = "/banking/v1/issuers/{issuerId}";
  const auto one = [&ctx](Scope s) {
    return [&ctx, s](Request& r) -> asio::awaitable<Reply> { return GetOne(ctx, s, r); };
  };
  const auto list = [&ctx](Scope s) {
    return [&ctx, s](Request& r) -> asio::awaitable<Reply> { return List(ctx, s, r); };
  };
  router.Add(Verb::get, base + "/operations/{operationId}", one(Scope::kIssuer), {.bearer = true});
  router.Add(Verb::get, base + "/cards/{cardId}/operations/{operationId}", one(Scope::kCard),
             {.bearer = true});
  router.Add(Verb::get, base + "/consumers/{consumerId}/operations/{operationId}",
             one(Scope::kConsumer), {.bearer = true});
  router.Add(Verb::get, base + "/cards/{cardId}/operations", list(Scope::kCard), {.bearer = true});
  router.Add(Verb::get, base + "/consumers/{consumerId}/operations", list(Scope::kConsumer),
             {.bearer = true});
}

}  // namespace c2p::api
