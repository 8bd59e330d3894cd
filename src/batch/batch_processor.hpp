#pragma once
// Batch registration files (shared/spec/batch.md) on a thread of their own: picks complete
// files up from each issuer's spool, admits them (every file-level check, then the
// once-per-(issuer, batchId, seqNumber) claim), runs their records through the registry a
// chunk at a time (record_pipeline.hpp) throttled per issuer, and writes the _OUT document
// once every record is committed. HTTPS uploads (api) are admitted the same way.
//
// Crash safety: a file's chunks commit with its progress, so a restart resumes each open
// file after its last committed record; a file found in work/ that no open row names was
// taken but never admitted, and is admitted again. The _OUT is written from the store's
// record results, complete, before the file is marked DONE: a crash in between writes the
// same document again.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "batch/batch_check.hpp"
#include "batch/spool.hpp"
#include "core/interactive_activity.hpp"
#include "core/metrics.hpp"
#include "registry/registry_context.hpp"

namespace c2p::batch {

struct IssuerBatchOptions {
  std::string issuer;
  std::filesystem::path spool_dir;
  unsigned records_per_second = 0;  // 0: as fast as the machine goes
};

struct BatchOptions {
  std::vector<IssuerBatchOptions> issuers;
  // How often the inboxes are looked at (uploads wake the processor at once).
  std::chrono::milliseconds poll_interval{1'000};
  // A file not written as "*.part" is complete once unchanged this long.
  std::chrono::milliseconds settle{2'000};
  std::uint64_t max_file_bytes = 200ULL << 20;
  // Records per unit of work, and while `activity` says interactive jobs run (a chunk
  // holds the single writer while it commits: smaller ones keep interactive writes from
  // waiting long behind it, bigger ones spread each fsync over more records).
  std::size_t chunk_records = 1024;
  std::size_t chunk_records_when_interactive = 128;
  const core::InteractiveActivity* activity = nullptr;  // null: always chunk_records
  // Threads that prepare records (decrypt, check, seal); 0: one per core.
  unsigned prepare_threads = 0;
};

// The issuer's batch signature keys: its onboarded assertion keys, by kid.
using SignatureKeys =
    std::function<const jose::VerificationKey*(std::string_view issuer, std::string_view kid)>;

// An HTTPS upload's admission.
struct UploadAdmission {
  std::string batch_id;
  std::string seq_number;
};

class BatchProcessor {
 public:
  BatchProcessor(registry::RegistryContext& registry, SignatureKeys keys, BatchOptions options,
                 core::metrics::Registry& metrics);
  ~BatchProcessor();
  BatchProcessor(const BatchProcessor&) = delete;
  BatchProcessor& operator=(const BatchProcessor&) = delete;

  // Opens the spools (creating their folders) and starts the thread, which first resumes
  // what a previous run left open.
  core::Result<void> Start();
  // Between two chunks: what is committed stays, the rest resumes at the next start.
  void Stop();
  // An upload was admitted: look now. Any thread.
  void Wake();

  // Whether `issuer` has a spool (batch files are on for it).
  bool Enabled(std::string_view issuer) const;
  const Spool* SpoolOf(std::string_view issuer) const;

  // Admits an uploaded file (already on disk, e.g. in the upload directory; moved into the
  // issuer's spool or deleted): every file-level check, then the claim. Refusals: kInvalidBatchFile
  // (400, the §3 code in the message) or kDuplicateFile (409). Runs on the processor's prepare
  // threads; resumes on the caller's executor.
  boost::asio::awaitable<core::Result<UploadAdmission>> AdmitUpload(std::string issuer,
                                                                    std::filesystem::path file,
                                                                    std::string correlation_id);

 private:
  struct Admitted;
  boost::asio::awaitable<void> Loop();
  boost::asio::awaitable<void> PickUpInboxes();
  boost::asio::awaitable<void> ResumeOpenFiles();
  boost::asio::awaitable<void> AdmitFromSpool(const Spool& spool, const std::string& name);
  // `header`: the file's, when this run has just checked it (the file is then not read a
  // second time before its records).
  boost::asio::awaitable<void> Process(store::BatchFileRecord file,
                                       std::optional<Header> header = std::nullopt);
  boost::asio::awaitable<core::Result<void>> WriteOutput(const Spool& spool,
                                                         store::BatchFileRecord& file,
                                                         const Header& header);
  boost::asio::awaitable<core::Result<bool>> Claim(const store::BatchFileRecord& file);
  boost::asio::awaitable<void> Reject(const Spool& spool, std::string name, FileRefusal refusal,
                                      std::string correlation_id);
  boost::asio::awaitable<void> Pause(std::chrono::steady_clock::duration d);
  FileExpectation Expect(const std::string& issuer, std::optional<FileName> name) const;

  registry::RegistryContext& registry_;
  SignatureKeys keys_;
  BatchOptions options_;
  std::map<std::string, IssuerBatchOptions, std::less<>> issuer_options_;
  std::map<std::string, Spool, std::less<>> spools_;

  core::metrics::Counter& records_ok_;
  core::metrics::Counter& records_ko_;
  core::metrics::Counter& files_done_;
  core::metrics::Counter& files_rejected_;
  // Chunks committed with bare records, and chunks applied again with a savepoint per
  // record because one of their records was refused (record_pipeline.hpp).
  core::metrics::Counter& chunks_bare_;
  core::metrics::Counter& chunks_per_record_;

  boost::asio::io_context ioc_;
  boost::asio::steady_timer wake_timer_{ioc_};
  bool wake_pending_ = false;  // on ioc_ only: woken since the round began
  boost::asio::thread_pool prepare_pool_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  // Work files an HTTPS upload has put in work/ and not yet claimed: the inbox round
  // leaves them alone (else it could claim the upload's key first, and the upload would
  // answer 409 and remove the file the round then tries to process).
  std::mutex uploads_mu_;
  std::set<std::pair<std::string, std::string>> uploads_in_flight_;
  // Headers of uploads this run admitted, until Process takes them (by issuer, file name).
  std::map<std::pair<std::string, std::string>, Header> uploads_checked_;
};

}  // namespace c2p::batch
