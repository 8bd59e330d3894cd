#include "tools/c2pctl/register_command.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <sstream>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/http_call.hpp"

namespace c2p::ctl {

namespace json = boost::json;

namespace {

// PUTs `body` to `path` with a fresh access token; prints the answer.
int Put(const TokenOptions& token_options, const std::string& path, const std::string& body,
        const std::string& idempotency_key, std::string_view command, std::ostream& out,
        std::ostream& err) {
  auto token = FetchAccessToken(token_options);
  if (!token) {
    err << command << ": " << token.error().message << "\n";
    return kExitFailure;
  }
  http::ClientRequest request;
  request.method = "PUT";
  request.url = token_options.url + path;
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + *token}};
  if (!idempotency_key.empty()) request.headers.emplace_back("Idempotency-Key", idempotency_key);
  request.body = body;
  auto response = CallOnce(std::move(request));
  if (!response) {
    err << command << ": " << token_options.url << ": " << response.error().message << "\n";
    return kExitFailure;
  }
  const bool ok = response->status >= 200 && response->status < 300;
  (ok ? out : err) << (ok ? "" : std::to_string(response->status) + " ") << response->body << "\n";
  return ok ? kExitOk : kExitFailure;
}

std::string Base(const TokenOptions& t) { return "/banking/v2/issuers/" + t.issuer; }

}  // namespace

int RunRegisterConsumer(const RegisterConsumerOptions& options, std::ostream& out,
                        std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl register-consumer";
  json::object body;
  if (!options.info_file.empty()) {
    std::ifstream in(options.info_file);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    auto info = json::parse(text.str(), ec);
    if (!in || ec || !info.is_object()) {
      err << kCommand << ": " << options.info_file << " is not a JSON object\n";
      return kExitUsage;
    }
    body["personalInformation"] = std::move(info);
  }
  if (!options.state.empty()) body["state"] = options.state;
  return Put(options.token, Base(options.token) + "/consumers/" + options.consumer_id,
             json::serialize(body), options.idempotency_key, kCommand, out, err);
}

int RunRegisterCard(const RegisterCardOptions& options, std::ostream& out, std::ostream& err) {
  constexpr std::string_view kCommand = "c2pctl register-card";
  EncryptCardOptions card = options.card;
  card.sandbox = options.token.sandbox;
  auto jwe = EncryptCard(card);
  if (!jwe) {
    err << kCommand << ": " << jwe.error().message << "\n";
    return kExitFailure;
  }
  const std::string product = !options.product.empty()            ? options.product
                              : options.card.pan.starts_with("4") ? "VISA_CLASSIC"
                                                                  : "MC_STANDARD";
  json::object body{
      {"consumerId", options.consumer_id}, {"cardProductId", product}, {"encryptedData", *jwe}};
  if (!options.state.empty()) body["state"] = options.state;
  return Put(options.token, Base(options.token) + "/cards/" + options.card_id,
             json::serialize(body), options.idempotency_key, kCommand, out, err);
}

void AddRegisterCommands(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  auto consumer = std::make_shared<RegisterConsumerOptions>();
  CLI::App* c = app.add_subcommand("register-consumer",
                                   "Create or replace a consumer (PUT …/consumers/{consumerId})");
  AddTokenOptions(*c, consumer->token);
  c->add_option("--consumer-id", consumer->consumer_id, "consumerId")->required();
  c->add_option("--info", consumer->info_file,
                "JSON file: personalInformation (consumerInfo + billingAddress)");
  c->add_option("--state", consumer->state, "ACTIVE or INACTIVE");
  c->add_option("--idempotency-key", consumer->idempotency_key, "Idempotency-Key header");
  c->callback(
      [consumer, &exit_code, &out, &err] { exit_code = RunRegisterConsumer(*consumer, out, err); });

  auto card = std::make_shared<RegisterCardOptions>();
  CLI::App* k = app.add_subcommand("register-card",
                                   "Register a card with JWE card data (PUT …/cards/{cardId})");
  AddTokenOptions(*k, card->token);
  k->add_option("--card-id", card->card_id, "cardId")->required();
  k->add_option("--consumer-id", card->consumer_id, "consumerId")->required();
  k->add_option("--pan", card->card.pan, "Card number (test cards only: argv is visible)")
      ->required();
  k->add_option("--exp", card->card.exp, "Expiry, MMYY")->required();
  k->add_option("--name", card->card.name, "Cardholder name (optional)");
  k->add_option("--encryption-key", card->card.key,
                "c2p's public encryption JWK (default: <sandbox>/keys/jwe.pub.jwk)");
  k->add_option("--product", card->product,
                "cardProductId (default: VISA_CLASSIC for a PAN starting with 4, else "
                "MC_STANDARD)");
  k->add_option("--state", card->state, "ACTIVE or INACTIVE");
  k->add_option("--idempotency-key", card->idempotency_key, "Idempotency-Key header");
  k->callback([card, &exit_code, &out, &err] { exit_code = RunRegisterCard(*card, out, err); });
}

}  // namespace c2p::ctl
