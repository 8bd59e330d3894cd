// libFuzzer target for c2pctl's batch header reader (tools/c2pctl/batch_protocol.hpp):
// ExtractBatchHeader on arbitrary leading bytes of a "batch file", the bracket-matching
// skip of the members before "header" included.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash or sanitizer report;
//  - a refusal other than kInvalidJson, or kFieldInvalidFormat on a field outside
//    "/header"; a message quoting the input;
//  - accepted ids that could not go into a URL path as they are;
//  - an accepted header that more bytes after it change (it is read from a prefix);
//  - an accepted header that disagrees with the strict parser's reading of the whole
//    input, when the whole input is a JSON object.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "core/strict_json.hpp"
#include "fuzz/finding_rules.hpp"
#include "tools/c2pctl/batch_protocol.hpp"

namespace {

namespace ctl = c2p::ctl;

// The characters of every fixed message of the reader. An input made only of them can be
// a piece of a fixed message (libFuzzer's comparison hooks find those), so quoting is only
// recognisable in longer inputs with at least one other character.
constexpr std::string_view kMessageAlphabet =
    " ',-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
constexpr c2p::fuzz::FindingRules kRules{"batch_header_fuzz", kMessageAlphabet, 16};

bool Same(const ctl::BatchIds& a, const ctl::BatchIds& b) {
  return a.issuer_id == b.issuer_id && a.batch_id == b.batch_id && a.seq_number == b.seq_number;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto ids = ctl::ExtractBatchHeader(input);
  if (!ids) {
    const auto& error = ids.error();
    const bool json = error.code == c2p::core::ErrorCode::kInvalidJson && error.field.empty();
    const bool field = error.code == c2p::core::ErrorCode::kFieldInvalidFormat &&
                       error.field.starts_with("/header");
    if (!json && !field) kRules.Die("a refusal with another code or field");
    if (kRules.Quotes(error.message, input)) {
      kRules.Die("a message quotes the input");
    }
    return 0;
  }
  if (!ctl::IsPathSafeId(ids->issuer_id, 64) || !ctl::IsPathSafeId(ids->batch_id, 48) ||
      ids->seq_number.empty() ||
      ids->seq_number.find_first_not_of("0123456789") != std::string::npos) {
    kRules.Die("accepted ids that cannot go into a path");
  }
  auto longer = ctl::ExtractBatchHeader(std::string(input) + "]]}}\"x\\");
  if (!longer || !Same(*longer, *ids)) kRules.Die("bytes after the header changed the answer");

  auto whole = c2p::core::ParseStrictJson(input);
  if (whole && whole->is_object()) {
    const boost::json::value* header = whole->as_object().if_contains("header");
    if (header == nullptr || !header->is_object())
      kRules.Die("accepted a file without a header object");
    const auto& h = header->as_object();
    if (h.at("batchId").as_string() != ids->batch_id ||
        h.at("seqNumber").as_string() != ids->seq_number ||
        h.at("issuerId").as_string() != ids->issuer_id) {
      kRules.Die("the header read differs from the strict parser's");
    }
  }
  return 0;
}
