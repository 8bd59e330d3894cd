#pragma once
// A batch file's header (spec/batch.md §2) and its field rules.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <tl/expected.hpp>

#include "batch/file_error.hpp"

namespace c2p::batch {

struct Header {
  std::string batch_id, seq_number, issuer_id, operation;

  bool operator==(const Header&) const = default;
};

inline constexpr std::string_view kOperationRegistration = "CONSUMER_CARD_REGISTRATION";
inline constexpr std::string_view kOperationRegistrationWithDigitalCards =
    "CONSUMER_CARD_REGISTRATION_WITH_DIGITAL_CARDS";

bool IsBatchId(std::string_view text);    // ^[A-Za-z0-9_-]{1,48}$
bool IsSeqNumber(std::string_view text);  // ^[0-9]{1,48}$
bool IsOperation(std::string_view text);  // one of the two operation names

struct HeaderRefusal {
  FileError code;       // kInvalidJson, kMissingHeaderField or kHeaderFieldFormat
  std::string message;  // names the field, never its value
};

// Reads the parsed "header" value. Refusals, in this order: not an object (103); one of
// batchId, seqNumber, issuerId, operation absent or null (105, the first in that order);
// an unknown member, a non-string field, or a field breaking its pattern (106; issuerId
// is ^[A-Za-z0-9_-]{10}$ like everywhere in c2p).
tl::expected<Header, HeaderRefusal> ReadHeader(const boost::json::value& value);

// What can be kept of a header that was refused: each field of the value that is a string
// matching its rule; the others empty.
Header SalvageHeader(const boost::json::value& value);

// The _OUT header's id members (spec/batch.md §3); empty fields are left out.
boost::json::object HeaderToJson(const Header& header);

}  // namespace c2p::batch
