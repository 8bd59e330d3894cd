// libFuzzer target for the batch file reader (src/batch): the input's first byte picks the
// read buffer size (1..256 bytes, so every token and record boundary falls across a
// refill), the rest is written to a file and checked by batch::CheckFile with a fixed
// ES256 key (kid "fuzz-key"; its private half is in batch_reader_seeds.py, which signs the
// seeds). An accepted file is then drained with RecordStream and ReadRecordRequest; a
// refused one is drained as far as RecordStream goes, which must refuse cleanly.
//
// Findings (abort, so libFuzzer keeps the input):
//  - a crash, sanitizer report or hang;
//  - a refusal that is retryable (the file is readable), has no header, or names a code
//    outside spec/batch.md §3;
//  - an accepted file whose header breaks its rules, or which RecordStream cannot read to
//    the end, yields another number of records than CheckFile counted, or rowIds that do
//    not strictly increase.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "batch/batch_check.hpp"
#include "batch/record_request.hpp"
#include "batch/record_stream.hpp"
#include "jose/jwk.hpp"
#include "jose/jws.hpp"

namespace {

namespace batch = c2p::batch;
namespace jose = c2p::jose;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "batch_reader_fuzz: FINDING: %s\n", what);
  std::abort();
}

struct Fixture {
  jose::VerificationKey key = [] {
    const boost::json::object jwk{{"kty", "EC"},
                                  {"crv", "P-256"},
                                  {"x", "DKdBQZ5jd7r3u959Tj5Gm4CAMzU5634iPkDfvveVOPY"},
                                  {"y", "afRDrxGS6q5Cl5csa5VCdPeYhLR_EJSys6hHSwNDnos"}};
    auto ec = jose::EcKey::FromJwk(jwk);
    if (!ec) Die("fixed key does not load");
    auto pinned = jose::VerificationKey::Es256(*ec);
    if (!pinned) Die("fixed key cannot be pinned");
    return *pinned;
  }();
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("batch_reader_fuzz-" + std::to_string(::getpid()) + "-B1-1-1.json");
  batch::FileExpectation expectation = [this] {
    batch::FileExpectation e;
    e.issuer = "ISSUER0001";
    e.name = *batch::ParseFileName("B1-1-1.json");
    e.key_for = [this](std::string_view kid) -> const jose::VerificationKey* {
      return kid == "fuzz-key" ? &key : nullptr;
    };
    return e;
  }();
  ~Fixture() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

bool KnownCode(batch::FileError code) {
  return batch::FileErrorName(code) != "UNKNOWN" && code != batch::FileError::kDuplicateFile;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  if (size == 0) return 0;
  const std::size_t buffer_bytes = std::size_t{data[0]} + 1;
  {
    std::ofstream out(fixture.path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data + 1), static_cast<std::streamsize>(size - 1));
    if (!out) Die("cannot write the input file");
  }
  batch::FileExpectation expectation = fixture.expectation;
  expectation.read_buffer_bytes = buffer_bytes;
  auto checked = batch::CheckFile(fixture.path, expectation);

  auto stream = batch::RecordStream::Open(fixture.path, buffer_bytes);
  if (!checked) {
    const batch::FileRefusal& refusal = checked.error();
    if (refusal.retryable) Die("a readable file was refused as retryable");
    if (!refusal.header) Die("a refusal without a header");
    if (!KnownCode(refusal.code)) Die("a refusal with a code outside §3");
    if (refusal.message.empty()) Die("a refusal without a message");
    // RecordStream on a refused file: errors are fine, crashes are not.
    if (stream) {
      for (int i = 0; i < 10000; ++i) {
        auto next = stream->Next();
        if (!next || !*next) break;
        (void)batch::ReadRecordRequest(**next);
      }
    }
    return 0;
  }
  const batch::Header& header = checked->header;
  if (!batch::IsBatchId(header.batch_id) || !batch::IsSeqNumber(header.seq_number) ||
      header.issuer_id != "ISSUER0001" || !batch::IsOperation(header.operation)) {
    Die("an accepted header breaks its rules");
  }
  if (!stream) Die("RecordStream cannot open an accepted file");
  std::int64_t count = 0;
  std::optional<std::int64_t> last;
  for (;;) {
    auto next = stream->Next();
    if (!next) Die("RecordStream fails on an accepted file");
    if (!*next) break;
    ++count;
    if (last && (*next)->row_id <= *last) Die("accepted rowIds do not increase");
    last = (*next)->row_id;
    const batch::RecordRequest request = batch::ReadRecordRequest(**next);
    if (request.row_id != (*next)->row_id) Die("the request lost its rowId");
  }
  if (count != checked->total_records) Die("RecordStream and CheckFile count differently");
  return 0;
}
