#include "tools/c2pctl/batch_file_maker.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "jose/jcs.hpp"
#include "jose/jws.hpp"
#include "tools/c2pctl/durable_file.hpp"

namespace c2p::ctl {

namespace json = boost::json;

namespace {

// Chunks are built ahead of the writer by at most this many per thread, which bounds the
// memory to a few chunks per core whatever the record count.
constexpr std::size_t kChunksAheadPerThread = 4;

// Hands out chunk numbers to the workers and their texts, in order, to the writer.
class ChunkPipeline {
 public:
  ChunkPipeline(std::uint64_t chunks, std::size_t window) : chunks_(chunks), window_(window) {}

  // The next chunk to build, once it is within the window; nullopt when done or failed.
  std::optional<std::uint64_t> Claim() {
    std::unique_lock lock(mutex_);
    if (failed_ || next_claim_ >= chunks_) return std::nullopt;
    const std::uint64_t chunk = next_claim_++;
    space_.wait(lock, [&] { return failed_ || chunk < next_write_ + window_; });
    if (failed_) return std::nullopt;
    return chunk;
  }

  void Deliver(std::uint64_t chunk, std::string text) {
    {
      std::lock_guard lock(mutex_);
      ready_.emplace(chunk, std::move(text));
    }
    arrived_.notify_all();
  }

  void Fail(std::exception_ptr error) {
    {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::move(error);
      failed_ = true;
    }
    arrived_.notify_all();
    space_.notify_all();
  }

  // The text of the next chunk in file order; nullopt when a worker failed.
  std::optional<std::string> Take() {
    std::unique_lock lock(mutex_);
    arrived_.wait(lock, [&] { return failed_ || ready_.contains(next_write_); });
    if (failed_) return std::nullopt;
    auto node = ready_.extract(next_write_);
    ++next_write_;
    lock.unlock();
    space_.notify_all();
    return std::move(node.mapped());
  }

  std::exception_ptr error() {
    std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  const std::uint64_t chunks_;
  const std::size_t window_;
  std::mutex mutex_;
  std::condition_variable space_;
  std::condition_variable arrived_;
  std::uint64_t next_claim_ = 0;
  std::uint64_t next_write_ = 0;
  std::map<std::uint64_t, std::string> ready_;
  bool failed_ = false;
  std::exception_ptr error_;
};

std::string CanonicalHeader(const BatchMakeSpec& spec, const std::string& issuer_id) {
  const json::object header{{"batchId", spec.records.batch_id},
                            {"seqNumber", spec.records.seq_number},
                            {"issuerId", issuer_id},
                            {"operation", spec.operation}};
  auto text = jose::Canonicalize(header);
  if (!text) throw std::runtime_error("header canonicalization failed");
  return *text;
}

// Records [first, last) joined by commas, with a leading comma unless `first` is 0.
std::string ChunkText(const RecordContext& context, std::uint64_t first, std::uint64_t last) {
  std::string text;
  for (std::uint64_t index = first; index < last; ++index) {
    if (index != 0) text += ',';
    text += CanonicalRecord(context, index);
  }
  return text;
}

}  // namespace

std::string DefaultBatchFileName(const std::string& batch_id, const std::string& seq_number,
                                 core::SystemTime now) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return batch_id + "-" + seq_number + "-" + std::to_string(seconds) + ".json";
}

core::Result<void> CheckBatchMakeSpec(const BatchMakeSpec& spec) {
  static const std::regex kBatchId("^[A-Za-z0-9_-]{1,48}$");
  static const std::regex kSeqNumber("^[0-9]{1,48}$");
  if (!std::regex_match(spec.records.batch_id, kBatchId)) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                      "--batch-id must be 1 to 48 letters, digits, '_' or '-'", "--batch-id");
  }
  if (!std::regex_match(spec.records.seq_number, kSeqNumber)) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "--seq must be 1 to 48 digits",
                      "--seq");
  }
  if (spec.operation != kOperationRegistration && spec.operation != kOperationWithDigitalCards) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                      "--operation must be CONSUMER_CARD_REGISTRATION or "
                      "CONSUMER_CARD_REGISTRATION_WITH_DIGITAL_CARDS",
                      "--operation");
  }
  if (spec.count > kMaxBatchRecords) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat,
                      "--records must be at most " + std::to_string(kMaxBatchRecords), "--records");
  }
  if (spec.chunk_records == 0) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "chunk size 0", "chunk_records");
  }
  return {};
}

core::Result<BatchMakeResult> MakeBatchFile(const BatchMakeSpec& spec,
                                            const SandboxMaterial& material,
                                            const std::filesystem::path& path) {
  if (auto checked = CheckBatchMakeSpec(spec); !checked) return tl::unexpected(checked.error());
  if (material.products.empty()) {
    return core::Fail(core::ErrorCode::kConfigInvalid, "the issuer has no card product");
  }
  auto file = DurableFile::Create(path);
  if (!file) return tl::unexpected(file.error());

  // A key c2p does not hold, for the planted 203s.
  const jose::EcKey foreign_key = jose::EcKey::Generate();
  const RecordContext context{spec.records, material.products, &material.encryption_key,
                              &foreign_key,
                              PanSalt(spec.records.batch_id, spec.records.seq_number)};

  BatchMakeResult result;
  result.path = path;
  result.records = spec.count;
  jose::JwsSignOptions sign_options;
  sign_options.kid = material.signing_key.kid();
  jose::DetachedJwsSigner signer =
      jose::DetachedJwsSigner::Start(material.signing_key, sign_options);
  auto emit = [&](std::string_view bytes, bool signed_part) -> core::Result<void> {
    if (signed_part) signer.Update(bytes);
    result.bytes += bytes.size();
    return file->Write(bytes);
  };

  if (auto w =
          emit("{\"header\":" + CanonicalHeader(spec, material.issuer_id) + ",\"records\":[", true);
      !w) {
    return tl::unexpected(w.error());
  }

  const std::uint64_t chunks = (spec.count + spec.chunk_records - 1) / spec.chunk_records;
  const unsigned threads =
      std::max(1u, spec.threads != 0 ? spec.threads : std::thread::hardware_concurrency());
  ChunkPipeline pipeline(chunks, kChunksAheadPerThread * threads);
  std::vector<std::jthread> workers;
  // Declared after the workers so it runs before they are joined: an exception on this
  // thread must release workers waiting for room in the window.
  struct StopOnExit {
    ChunkPipeline& pipeline;
    ~StopOnExit() { pipeline.Fail(nullptr); }
  } stop_on_exit{pipeline};
  workers.reserve(threads);
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      try {
        while (auto chunk = pipeline.Claim()) {
          const std::uint64_t first = *chunk * spec.chunk_records;
          const std::uint64_t last = std::min(spec.count, first + spec.chunk_records);
          pipeline.Deliver(*chunk, ChunkText(context, first, last));
        }
      } catch (...) {
        pipeline.Fail(std::current_exception());
      }
    });
  }
  core::Result<void> written;
  for (std::uint64_t chunk = 0; chunk < chunks && written; ++chunk) {
    std::optional<std::string> text = pipeline.Take();
    if (!text) break;
    written = emit(*text, true);
  }
  if (!written) pipeline.Fail(nullptr);  // stops the workers; the write error is reported
  workers.clear();                       // joins (every chunk was taken, or stopped)
  if (!written) return tl::unexpected(written.error());
  if (std::exception_ptr error = pipeline.error()) std::rethrow_exception(error);

  for (std::uint64_t index = 0; index < spec.count; ++index) {
    result.cards += CardCount(spec.records.cards, index);
    if (auto planted = ErrorForRow(spec.records, index + 1)) {
      ++result.planted_errors[static_cast<int>(*planted)];
    }
  }

  if (auto w = emit("]", true); !w) return tl::unexpected(w.error());
  signer.Update("}");
  if (auto w = emit(",\"signature\":\"" + signer.Finish() + "\"}\n", false); !w) {
    return tl::unexpected(w.error());
  }
  if (auto committed = file->Commit(); !committed) return tl::unexpected(committed.error());
  return result;
}

}  // namespace c2p::ctl
