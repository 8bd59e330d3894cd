// libFuzzer target for c2pctl's reading of c2p's answers (tools/c2pctl/human_output.hpp):
// every Describe* and DescribeErrorAnswer on arbitrary bytes as the body.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - output that is not printable ASCII lines (an answer must not drive the terminal);
//  - output that shows a personal or card value of the answer (a name, an email, a phone
//    number, an address line, a PAN, an expiry…) that is not also one of the ids and
//    states c2pctl does print. Values with a space are left out (printed values are joined
//    by spaces), as are values made only of the characters of c2pctl's fixed texts.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "fuzz/finding_rules.hpp"
#include "tools/c2pctl/human_output.hpp"

namespace {

namespace ctl = c2p::ctl;
namespace json = boost::json;

constexpr std::string_view kFixedTextAlphabet =
    " ():*?0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n";
constexpr c2p::fuzz::FindingRules kRules{"ctl_answers_fuzz", kFixedTextAlphabet, 6};

bool Personal(std::string_view key) {
  for (std::string_view k :
       {"firstName", "middleName", "lastName", "title", "email", "phoneNumber", "countryCode",
        "dateOfBirth", "name", "addressLine1", "addressLine2", "addressLine3", "city", "postalCode",
        "exp", "pan", "personalInformation"}) {
    if (key == k) return true;
  }
  return false;
}

// The strings of `v`: under a personal key (at any depth) or not.
void Collect(const json::value& v, bool personal, std::vector<std::string>& secrets,
             std::vector<std::string>& others) {
  if (v.is_string()) {
    (personal ? secrets : others).push_back(ctl::Printable(v.as_string()));
  } else if (v.is_array()) {
    for (const auto& item : v.as_array()) Collect(item, personal, secrets, others);
  } else if (v.is_object()) {
    for (const auto& [key, item] : v.as_object()) {
      Collect(item, personal || Personal(key), secrets, others);
    }
  }
}

void Check(const std::string& output, const std::vector<std::string>& secrets,
           const std::vector<std::string>& others) {
  for (const char c : output) {
    const auto u = static_cast<unsigned char>(c);
    if (c != '\n' && (u < 0x20 || u >= 0x7f)) kRules.Die("output that is not printable");
  }
  for (const std::string& secret : secrets) {
    if (secret.find(' ') != std::string::npos || !kRules.Quotes(output, secret)) continue;
    bool also_printed_value = false;
    for (const std::string& other : others) {
      if (other.find(secret) != std::string::npos) also_printed_value = true;
    }
    if (!also_printed_value) kRules.Die("output shows a personal or card value");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> secrets;
  std::vector<std::string> others;
  boost::system::error_code ec;
  const json::value parsed = json::parse(body, ec);
  if (!ec) Collect(parsed, false, secrets, others);
  std::string code;
  for (const std::string& output :
       {ctl::DescribeConsumer(body), ctl::DescribeCard(body), ctl::DescribeOperation(body),
        ctl::DescribeOperations(body), ctl::DescribeProfiles(body),
        ctl::DescribeErrorAnswer(409, body, code)}) {
    Check(output, secrets, others);
  }
  Check(code, secrets, others);
  return 0;
}
