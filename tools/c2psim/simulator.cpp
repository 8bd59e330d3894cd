#include "simulator.hpp"

#include <boost/asio/this_coro.hpp>

#include "checkout.hpp"
#include "fields.hpp"
#include "issuer_standin.hpp"
#include "mastercard_directory.hpp"
#include "sim_context.hpp"
#include "token_control.hpp"
#include "visa_directory.hpp"

namespace c2p::sim {
namespace asio = boost::asio;
namespace json = boost::json;

struct Simulator::Parts {
  Parts(SimConfig config, SimKeys keys)
      : context(std::move(config), std::move(keys)), visa(context), mastercard(context) {}
  SimContext context;
  VisaDirectory visa;
  MastercardDirectory mastercard;
  std::unique_ptr<IssuerStandIn> issuer;
};

core::Result<std::unique_ptr<Simulator>> Simulator::Create(SimConfig config, SimKeys keys) {
  auto parts = std::make_unique<Parts>(std::move(config), std::move(keys));
  auto issuer = IssuerStandIn::Create(parts->context);
  if (!issuer) return tl::unexpected(issuer.error());
  parts->issuer = std::move(*issuer);
  return std::unique_ptr<Simulator>(new Simulator(std::move(parts)));
}

Simulator::Simulator(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Simulator::~Simulator() = default;

namespace {

http::Reply BadRequest(std::string_view message) {
  return JsonReply(400, json::object{{"errorCode", "FIELD_INVALID_FORMAT"}, {"error", message}});
}

}  // namespace

void Simulator::AddRoutes(http::Router& router) {
  Parts& p = *parts_;
  p.visa.AddRoutes(router);
  p.mastercard.AddRoutes(router);
  p.issuer->AddRoutes(router);
  const http::RouteOptions json_body{.body = http::BodyKind::kJson,
                                     .body_limit = http::kDefaultBodyLimit};

  router.Add(
      http::Verb::post, "/sim/v1/checkout/lookup",
      [&p](http::Request& r) -> asio::awaitable<http::Reply> {
        const json::value* email =
            r.json().is_object() ? r.json().get_object().if_contains("email") : nullptr;
        if (email == nullptr || !email->is_string() || !IsEmail(email->get_string())) {
          co_return BadRequest("email must be an email address");
        }
        co_return JsonReply(
            200, CheckoutLookup(email->get_string(), p.context.visa, p.context.mastercard));
      },
      json_body);

  router.Add(
      http::Verb::post, "/sim/v1/faults",
      [&p](http::Request& r) -> asio::awaitable<http::Reply> {
        std::string error;
        auto request = ParseFaultRequest(r.json(), error);
        if (!request) co_return BadRequest(error);
        p.context.faults.Set(*request);
        co_return JsonReply(200, p.context.faults.Describe());
      },
      json_body);
  router.Add(http::Verb::get, "/sim/v1/faults",
             [&p](http::Request&) -> asio::awaitable<http::Reply> {
               co_return JsonReply(200, p.context.faults.Describe());
             });
  router.Add(http::Verb::delete_, "/sim/v1/faults",
             [&p](http::Request&) -> asio::awaitable<http::Reply> {
               p.context.faults.Clear();
               co_return http::NoContent();
             });

  router.Add(
      http::Verb::get, "/sim/v1/stats", [&p](http::Request&) -> asio::awaitable<http::Reply> {
        json::object visa = p.context.visa.Stats();
        json::object mastercard = p.context.mastercard.Stats();
        for (auto [out, tokens] : {std::pair{&visa, p.context.visa_tokens.get()},
                                   std::pair{&mastercard, p.context.mastercard_tokens.get()}}) {
          (*out)["tokenRequests"] = tokens->counters().token_requests;
          (*out)["tokenEvents"] = tokens->counters().events;
          (*out)["tokenEventAttempts"] = tokens->counters().event_attempts;
        }
        co_return JsonReply(200, json::object{{"visa", std::move(visa)},
                                              {"mastercard", std::move(mastercard)},
                                              {"issuer", p.issuer->Stats()}});
      });

  // The network's token service acting on its own (token_control.hpp).
  const http::RouteOptions raw_body{.body = http::BodyKind::kRaw,
                                    .body_limit = http::kDefaultBodyLimit};
  router.Add(
      http::Verb::post, "/sim/v1/tokens/{digitalCardId}/events",
      [&p](http::Request& r) -> asio::awaitable<http::Reply> {
        p.context.Bind(co_await asio::this_coro::executor);
        std::string error;
        const auto event = ReadTokenEventControl(r.body(), error);
        if (!event) co_return BadRequest(error);
        co_return ApplyTokenEventControl(p.context, r.param("digitalCardId"), *event);
      },
      raw_body);

  // Everything back to a fresh start (state, faults, test-card counts, issuer inbox).
  router.Add(http::Verb::post, "/sim/v1/reset",
             [&p](http::Request&) -> asio::awaitable<http::Reply> {
               p.context.visa.Clear();
               p.context.mastercard.Clear();
               p.context.faults.Clear();
               p.context.unavailable.Clear();
               p.visa.Clear();
               p.issuer->Clear();
               co_return http::NoContent();
             });
}

}  // namespace c2p::sim
