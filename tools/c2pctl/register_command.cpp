#include "tools/c2pctl/register_command.hpp"

#include <CLI/CLI.hpp>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/human_output.hpp"

namespace c2p::ctl {

namespace json = boost::json;

namespace {

// PUTs `body` to `path` below the issuer's /banking/v2 with a fresh access token; prints
// the answer.
int Put(const ApiOptions& options, const std::string& path, const std::string& body,
        const std::string& idempotency_key, const Describe& describe, std::string_view command,
        std::ostream& out, std::ostream& err) {
  auto api = IssuerApi::Connect(options.token);
  if (!api) return ReportError(command, api.error(), err);
  const auto answer = api->Call("PUT", api->IssuerPath("v2") + path, body, idempotency_key);
  return ReportCall(command, api->target().url, answer, options.json, describe, out, err);
}

}  // namespace

int RunRegisterConsumer(const RegisterConsumerOptions& options, std::ostream& out,
                        std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl register-consumer";
  json::object body;
  if (!options.info_file.empty()) {
    auto info = ReadJsonObjectFile(options.info_file);
    if (!info) return ReportError(kCommand, info.error(), err);
    body["personalInformation"] = std::move(*info);
  }
  if (!options.state.empty()) body["state"] = options.state;
  return Put(options.api, "/consumers/" + options.consumer_id, json::serialize(body),
             options.idempotency_key, DescribeConsumer, kCommand, out, err);
}

int RunRegisterCard(const RegisterCardOptions& options, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl register-card";
  EncryptCardOptions card = options.card;
  card.sandbox = options.api.token.sandbox;
  auto jwe = EncryptCard(card);
  if (!jwe) return ReportError(kCommand, jwe.error(), err);
  const std::string product = !options.product.empty()            ? options.product
                              : options.card.pan.starts_with("4") ? "VISA_CLASSIC"
                                                                  : "MC_STANDARD";
  json::object body{
      {"consumerId", options.consumer_id}, {"cardProductId", product}, {"encryptedData", *jwe}};
  if (!options.state.empty()) body["state"] = options.state;
  return Put(options.api, "/cards/" + options.card_id, json::serialize(body),
             options.idempotency_key, DescribeCard, kCommand, out, err);
}

void AddRegisterCommands(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  auto consumer = std::make_shared<RegisterConsumerOptions>();
  CLI::App* c = app.add_subcommand("register-consumer",
                                   "Create or replace a consumer (PUT …/consumers/{consumerId})");
  AddApiOptions(*c, consumer->api);
  c->add_option("--consumer-id", consumer->consumer_id, "consumerId")
      ->required()
      ->check(PathId(64));
  c->add_option("--info", consumer->info_file,
                "JSON file: personalInformation (consumerInfo + billingAddress)");
  c->add_option("--state", consumer->state, "ACTIVE or INACTIVE");
  c->add_option("--idempotency-key", consumer->idempotency_key, "Idempotency-Key header");
  c->callback(
      [consumer, &exit_code, &out, &err] { exit_code = RunRegisterConsumer(*consumer, out, err); });

  auto card = std::make_shared<RegisterCardOptions>();
  CLI::App* k = app.add_subcommand("register-card",
                                   "Register a card with JWE card data (PUT …/cards/{cardId})");
  AddApiOptions(*k, card->api);
  k->add_option("--card-id", card->card_id, "cardId")->required()->check(PathId(48));
  k->add_option("--consumer-id", card->consumer_id, "consumerId")->required()->check(PathId(64));
  k->add_option("--pan", card->card.pan, "Card number (test cards only: argv is visible)")
      ->required();
  k->add_option("--exp", card->card.exp, "Expiry, MMYY")->required();
  k->add_option("--name", card->card.name, "Cardholder name (optional)");
  k->add_option("--encryption-key", card->card.key,
                "c2p's public encryption JWK (default: sandbox.json's encryptionKey)");
  k->add_option("--product", card->product,
                "cardProductId (default: VISA_CLASSIC for a PAN starting with 4, else "
                "MC_STANDARD)");
  k->add_option("--state", card->state, "ACTIVE or INACTIVE");
  k->add_option("--idempotency-key", card->idempotency_key, "Idempotency-Key header");
  k->callback([card, &exit_code, &out, &err] { exit_code = RunRegisterCard(*card, out, err); });
}

}  // namespace c2p::ctl
