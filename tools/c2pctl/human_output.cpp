#include "tools/c2pctl/human_output.hpp"

#include <optional>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace c2p::ctl {

namespace json = boost::json;

namespace {

std::optional<json::object> ParseObject(std::string_view body) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

const json::object* Member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_object() ? &v->as_object() : nullptr;
}

// The printable string at `key`, empty when absent or not a string.
std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? Printable(v->as_string()) : std::string();
}

// " LABEL value" when the value is there.
void Add(std::string& line, std::string_view label, const std::string& value) {
  if (value.empty()) return;
  line += ' ';
  if (!label.empty()) {
    line += label;
    line += ' ';
  }
  line += value;
}

// The `clickToPay` member of a consumer or card answer: an operation c2p started
// ({operationId, status}) or, in a card view, the enrolment state.
void AddClickToPay(std::string& line, const json::object& o) {
  const json::object* c2p = Member(o, "clickToPay");
  if (c2p == nullptr) return;
  if (const std::string op = Str(*c2p, "operationId"); !op.empty()) {
    Add(line, "operation", op);
    Add(line, "", Str(*c2p, "status"));
    return;
  }
  Add(line, "clickToPay", Str(*c2p, "status"));
  Add(line, "digitalCard", Str(*c2p, "digitalCardId"));
}

std::string OperationLine(const json::object& op) {
  std::string line = "operation";
  Add(line, "", Str(op, "operationId"));
  Add(line, "", Str(op, "operation"));
  Add(line, "", Str(op, "status"));
  Add(line, "card", Str(op, "cardId"));
  Add(line, "consumer", Str(op, "consumerId"));
  Add(line, "network", Str(op, "network"));
  Add(line, "by", Str(op, "requestorType"));
  if (const json::object* error = Member(op, "error"); error != nullptr) {
    // c2p's operation errors name missing fields, never their values (spec/api.md §5.2).
    Add(line, "error", Str(*error, "code"));
    if (const std::string message = Str(*error, "message"); !message.empty()) {
      line += ": " + message;
    }
  }
  if (const json::object* details = Member(op, "details"); details != nullptr) {
    Add(line, "digitalCard", Str(*details, "digitalCardId"));
    const json::value* created = details->if_contains("consumerProfileCreated");
    if (created != nullptr && created->is_bool() && created->as_bool()) {
      line += " (profile created)";
    }
  }
  return line + "\n";
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string line;
  line.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    line.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  return line;
}

std::string DescribeErrorAnswer(unsigned status, std::string_view body, std::string& error_code) {
  error_code.clear();
  std::string text = std::to_string(status);
  auto o = ParseObject(body);
  if (!o) return text;
  error_code = Str(*o, "errorCode");
  if (!error_code.empty()) text += " " + error_code;
  if (const std::string message = Str(*o, "error"); !message.empty()) text += ": " + message;
  if (const std::string field = Str(*o, "field"); !field.empty()) text += " (field " + field + ")";
  return text;
}

std::string DescribeConsumer(std::string_view body) {
  auto o = ParseObject(body);
  if (!o) return {};
  std::string line = "consumer";
  Add(line, "", Str(*o, "consumerId"));
  Add(line, "", Str(*o, "state"));
  if (const json::value* ids = o->if_contains("cardIds"); ids != nullptr && ids->is_array()) {
    Add(line, "cards", std::to_string(ids->as_array().size()));
  }
  AddClickToPay(line, *o);
  return line + "\n";
}

std::string DescribeCard(std::string_view body) {
  auto o = ParseObject(body);
  if (!o) return {};
  std::string line = "card";
  Add(line, "", Str(*o, "cardId"));
  Add(line, "", Str(*o, "state"));
  Add(line, "", Str(*o, "network"));
  if (const std::string last4 = Str(*o, "panLast4"); !last4.empty()) Add(line, "", "*" + last4);
  Add(line, "product", Str(*o, "cardProductId"));
  Add(line, "consumer", Str(*o, "consumerId"));
  AddClickToPay(line, *o);
  return line + "\n";
}

std::string DescribeOperation(std::string_view body) {
  auto o = ParseObject(body);
  if (!o) return {};
  return OperationLine(*o);
}

std::string DescribeOperations(std::string_view body) {
  auto o = ParseObject(body);
  if (!o) return {};
  const json::value* ops = o->if_contains("operations");
  if (ops == nullptr || !ops->is_array()) return {};
  std::string text;
  for (const json::value& op : ops->as_array()) {
    if (op.is_object()) text += OperationLine(op.as_object());
  }
  return text.empty() ? "no operations\n" : text;
}

std::string DescribeProfiles(std::string_view body) {
  auto o = ParseObject(body);
  if (!o) return {};
  const json::value* profiles = o->if_contains("clickToPayProfiles");
  if (profiles == nullptr || !profiles->is_array()) return {};
  std::string text;
  for (const json::value& p : profiles->as_array()) {
    if (!p.is_object()) continue;
    const json::object& profile = p.as_object();
    const json::value* cards = profile.if_contains("cards");
    const std::size_t count = cards != nullptr && cards->is_array() ? cards->as_array().size() : 0;
    std::string line = "profile";
    Add(line, "", Str(profile, "network"));
    line += " " + std::to_string(count) + (count == 1 ? " card" : " cards");
    text += line + "\n";
    if (count == 0) continue;
    for (const json::value& c : cards->as_array()) {
      if (!c.is_object()) continue;
      const json::object& card = c.as_object();
      std::string card_line = "  card";
      Add(card_line, "", Str(card, "cardId"));
      if (const std::string last4 = Str(card, "panLast4"); !last4.empty()) {
        Add(card_line, "", "*" + last4);
      }
      Add(card_line, "", Str(card, "status"));
      Add(card_line, "digitalCard", Str(card, "digitalCardId"));
      text += card_line + "\n";
    }
  }
  if (text.empty()) text = "no Click to Pay profile (the consumer is not enrolled anywhere)\n";
  if (const json::value* down = o->if_contains("unavailableNetworks");
      down != nullptr && down->is_array()) {
    for (const json::value& network : down->as_array()) {
      if (!network.is_string()) continue;
      text += "unavailable " + Printable(network.as_string()) +
              " (its directory did not answer in time: try again)\n";
    }
  }
  return text;
}

}  // namespace c2p::ctl
