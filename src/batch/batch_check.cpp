#include "batch/batch_check.hpp"

#include <set>
#include <utility>

#include <boost/json/value.hpp>

#include "batch/row_id.hpp"
#include "core/strict_json.hpp"
#include "jose/jcs.hpp"

namespace c2p::batch {
namespace json = boost::json;
namespace {

class FileChecker {
 public:
  FileChecker(std::filesystem::path path, const FileExpectation& expectation)
      : path_(std::move(path)), expectation_(expectation) {}

  tl::expected<CheckedFile, FileRefusal> Run();

 private:
  using Step = tl::expected<void, FileRefusal>;

  Step LocateMembers();
  Step PrepareVerification();
  Step CheckRecords(JsonScanner& scanner);
  Step CheckRecordsSecondPass();
  Step CheckRecord(const std::string& raw);

  tl::unexpected<FileRefusal> Refuse(FileError code, std::string message) const;
  tl::unexpected<FileRefusal> FromScanner(const core::Error& error) const;
  Header KnownHeader() const;

  std::filesystem::path path_;
  const FileExpectation& expectation_;

  std::optional<json::value> header_value_;
  std::optional<json::value> signature_value_;
  bool header_seen_ = false;
  bool records_seen_ = false;
  bool records_checked_ = false;
  // A refusal of the header or signature (stages 3-4) found before the records.
  std::optional<FileRefusal> early_refusal_;
  bool prepared_ = false;

  Header header_;
  std::optional<jose::DetachedJwsVerifier> verifier_;
  std::int64_t total_ = 0;
  std::optional<std::int64_t> last_row_id_;
  std::optional<std::string> row_error_;
  std::size_t largest_ = 0;
  std::string canonical_;  // one record's JCS form, reused
};

tl::unexpected<FileRefusal> FileChecker::Refuse(FileError code, std::string message) const {
  return tl::unexpected(FileRefusal{code, std::move(message), KnownHeader(), false});
}

tl::unexpected<FileRefusal> FileChecker::FromScanner(const core::Error& error) const {
  FileRefusal refusal{FileError::kInvalidJson, error.message, KnownHeader(), false};
  refusal.retryable = error.code == core::ErrorCode::kIo;
  return tl::unexpected(std::move(refusal));
}

Header FileChecker::KnownHeader() const {
  Header header = header_value_ ? SalvageHeader(*header_value_) : Header{};
  const FileName name = expectation_.name.value_or(FileName{});
  if (header.batch_id.empty() && expectation_.name) {
    const std::string issuer_dash = expectation_.issuer + "-";
    header.batch_id = name.prefix.starts_with(issuer_dash) && name.prefix != issuer_dash
                          ? name.prefix.substr(issuer_dash.size())
                          : name.prefix;
    if (!IsBatchId(header.batch_id)) header.batch_id.clear();
  }
  if (header.seq_number.empty()) header.seq_number = name.seq_number;
  if (header.issuer_id.empty()) header.issuer_id = expectation_.issuer;
  return header;
}

// Walks the top-level members once: captures header and signature, and checks the
// records in the same pass when both came before them.
FileChecker::Step FileChecker::LocateMembers() {
  auto scanner = JsonScanner::Open(path_, expectation_.read_buffer_bytes);
  if (!scanner) return FromScanner(scanner.error());
  std::set<std::string> seen;
  std::string raw;
  for (;;) {
    auto name = scanner->NextMember();
    if (!name) return FromScanner(name.error());
    if (!*name) break;
    const std::string& member = **name;
    if (!seen.insert(member).second) {
      return Refuse(FileError::kInvalidJson, "a top-level member appears twice");
    }
    if (member == "header" || member == "signature") {
      if (auto ok = scanner->ReadValue(raw, kMaxRecordBytes); !ok) return FromScanner(ok.error());
      auto value = core::ParseStrictJson(raw);
      if (!value) return Refuse(FileError::kInvalidJson, member + " is not valid JSON");
      (member == "header" ? header_value_ : signature_value_) = std::move(*value);
      header_seen_ = header_seen_ || member == "header";
    } else if (member == "records") {
      records_seen_ = true;
      if (header_seen_ && seen.contains("signature")) {
        if (auto ok = PrepareVerification(); !ok) early_refusal_ = std::move(ok.error());
      }
      if (prepared_ && !early_refusal_) {
        if (auto ok = CheckRecords(*scanner); !ok) return ok;
        records_checked_ = true;
      } else {
        // Only the brackets now: the records are read in the second pass, or not at all
        // when the header or signature is refused.
        auto first = scanner->SkipValue();
        if (!first) return FromScanner(first.error());
        if (*first != '[') return Refuse(FileError::kInvalidJson, "records is not an array");
      }
    } else {
      return Refuse(FileError::kInvalidJson, "the file has an unknown top-level member");
    }
  }
  largest_ = std::max(largest_, scanner->largest_value_bytes());
  if (!records_seen_) return Refuse(FileError::kInvalidJson, "records is missing");
  if (!header_seen_) return Refuse(FileError::kMissingHeaderField, "header is missing");
  return {};
}

// Stages 3 and 4: the header's fields and their agreement with the name and spool, then
// the signature's presence, form and key; starts the digest with the header's JCS form.
FileChecker::Step FileChecker::PrepareVerification() {
  prepared_ = true;
  auto header = ReadHeader(*header_value_);
  if (!header) return Refuse(header.error().code, header.error().message);
  header_ = std::move(*header);
  if (header_.issuer_id != expectation_.issuer) {
    return Refuse(FileError::kInvalidHeader, "header.issuerId is not the expected issuer");
  }
  if (expectation_.name &&
      !NameMatches(*expectation_.name, expectation_.issuer, header_.batch_id, header_.seq_number)) {
    return Refuse(FileError::kInvalidHeader,
                  "header.batchId or header.seqNumber disagrees with the file name");
  }
  const json::string* compact = signature_value_ ? signature_value_->if_string() : nullptr;
  if (!signature_value_ || signature_value_->is_null() || (compact && compact->empty())) {
    return Refuse(FileError::kMissingSignature, "signature is missing");
  }
  if (compact == nullptr) return Refuse(FileError::kInvalidSignature, "signature is not a string");
  auto jws_header = jose::PeekJwsHeader(*compact);
  if (!jws_header) {
    return Refuse(FileError::kInvalidSignature, "signature: " + jws_header.error().message);
  }
  const json::value* kid = jws_header->if_contains("kid");
  if (kid == nullptr || !kid->is_string()) {
    return Refuse(FileError::kInvalidSignature, "signature has no kid");
  }
  const jose::VerificationKey* key =
      expectation_.key_for ? expectation_.key_for(kid->as_string()) : nullptr;
  if (key == nullptr) return Refuse(FileError::kInvalidSignature, "signature kid is not known");
  auto verifier = jose::DetachedJwsVerifier::Start(*compact, *key);
  if (!verifier) {
    return Refuse(FileError::kInvalidSignature, "signature: " + verifier.error().message);
  }
  verifier_.emplace(std::move(*verifier));
  std::string prefix = "{\"header\":";
  if (auto ok = jose::CanonicalizeTo(*header_value_, prefix); !ok) {
    return Refuse(FileError::kHeaderFieldFormat, "header has no canonical JSON form");
  }
  prefix += ",\"records\":[";
  verifier_->Update(prefix);
  return {};
}

FileChecker::Step FileChecker::CheckRecords(JsonScanner& scanner) {
  auto is_array = scanner.EnterArray();
  if (!is_array) return FromScanner(is_array.error());
  if (!*is_array) return Refuse(FileError::kInvalidJson, "records is not an array");
  std::string raw;
  for (;;) {
    auto more = scanner.NextElement(raw, kMaxRecordBytes);
    if (!more) return FromScanner(more.error());
    if (!*more) break;
    if (auto ok = CheckRecord(raw); !ok) return ok;
  }
  verifier_->Update("]}");
  largest_ = std::max(largest_, scanner.largest_value_bytes());
  return {};
}

FileChecker::Step FileChecker::CheckRecord(const std::string& raw) {
  ++total_;
  const std::string which = "record " + std::to_string(total_);
  auto value = core::ParseStrictJson(raw);
  if (!value) return Refuse(FileError::kInvalidJson, which + " is not valid JSON");
  if (!value->is_object()) return Refuse(FileError::kInvalidJson, which + " is not an object");
  const std::optional<std::int64_t> row_id = ReadRowId(value->as_object());
  if (!row_error_) {
    if (!row_id) {
      row_error_ = which + " has no integer rowId";
    } else if (last_row_id_ && *row_id <= *last_row_id_) {
      row_error_ = which + " has a rowId not greater than the one before";
    }
  }
  if (row_id) last_row_id_ = row_id;
  canonical_.clear();
  if (total_ > 1) canonical_ += ',';
  if (auto ok = jose::CanonicalizeTo(*value, canonical_); !ok) {
    return Refuse(FileError::kInvalidJson, which + " has no canonical JSON form");
  }
  verifier_->Update(canonical_);
  largest_ = std::max(largest_, canonical_.capacity());
  return {};
}

// Records came before the header or the signature: read the file again for them.
FileChecker::Step FileChecker::CheckRecordsSecondPass() {
  auto scanner = JsonScanner::Open(path_, expectation_.read_buffer_bytes);
  if (!scanner) return FromScanner(scanner.error());
  for (;;) {
    auto name = scanner->NextMember();
    if (!name) return FromScanner(name.error());
    if (!*name) break;
    if (**name == "records") return CheckRecords(*scanner);
    if (auto ok = scanner->SkipValue(); !ok) return FromScanner(ok.error());
  }
  return Refuse(FileError::kInvalidJson, "records is missing");
}

tl::expected<CheckedFile, FileRefusal> FileChecker::Run() {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path_, ec);
  if (ec) {
    FileRefusal refusal{FileError::kInvalidJson, "cannot read the batch file", KnownHeader(), true};
    return tl::unexpected(std::move(refusal));
  }
  if (size > expectation_.max_bytes) {
    return Refuse(FileError::kFileTooBig,
                  "the file is larger than " + std::to_string(expectation_.max_bytes) + " bytes");
  }
  if (auto ok = LocateMembers(); !ok) return tl::unexpected(std::move(ok.error()));
  if (!prepared_) {
    if (auto ok = PrepareVerification(); !ok) early_refusal_ = std::move(ok.error());
  }
  if (early_refusal_) return tl::unexpected(std::move(*early_refusal_));
  if (!records_checked_) {
    if (auto ok = CheckRecordsSecondPass(); !ok) return tl::unexpected(std::move(ok.error()));
  }
  if (auto verified = verifier_->Finish(); !verified) {
    return Refuse(FileError::kInvalidSignature, "signature does not verify");
  }
  if (row_error_) return Refuse(FileError::kDuplicateRowId, *row_error_);
  return CheckedFile{header_, total_, largest_};
}

}  // namespace

tl::expected<CheckedFile, FileRefusal> CheckFile(const std::filesystem::path& path,
                                                 const FileExpectation& expectation) {
  return FileChecker(path, expectation).Run();
}

}  // namespace c2p::batch
