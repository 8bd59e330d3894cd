#include "batch/batch_processor.hpp"

#include <latch>
#include <set>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "batch/out_writer.hpp"
#include "batch/record_pipeline.hpp"
#include "batch/record_stream.hpp"
#include "core/ids.hpp"
#include "core/time_format.hpp"
#include "log/log.hpp"

namespace c2p::batch {

namespace asio = boost::asio;
namespace fs = std::filesystem;

namespace {

constexpr auto kRetryPause = std::chrono::seconds(2);
constexpr int kResultsPage = 1000;

std::string CodeText(FileError code) { return std::to_string(static_cast<int>(code)); }

// A file's row as it is first written: no record processed yet.
store::BatchFileRecord NewFileRow(std::string issuer, const Header& header, std::string name,
                                  std::string status, std::optional<std::string> error_code,
                                  std::int64_t total_records, std::string correlation_id) {
  const std::int64_t now = core::UnixMillisNow();
  return {std::move(issuer),
          header.batch_id,
          header.seq_number,
          std::move(name),
          header.operation,
          std::move(status),
          std::move(error_code),
          total_records,
          0,
          0,
          0,
          std::nullopt,
          std::move(correlation_id),
          now,
          now};
}

void LogAdmitted(std::string_view correlation_id, std::string_view issuer, const Header& h,
                 std::int64_t records) {
  log::Info("batch.file_admitted", {{"correlation_id", correlation_id},
                                    {"issuer", issuer},
                                    {"batch_id", h.batch_id},
                                    {"seq_number", h.seq_number},
                                    {"records", records}});
}

unsigned PrepareThreads(unsigned configured) {
  if (configured > 0) return configured;
  return std::max(1U, std::thread::hardware_concurrency());
}

// One chunk prepared on the pool, in as many slices as it has threads, while the processor
// commits the chunk before it: decryption and the writer's work overlap.
class ChunkPreparation {
 public:
  ChunkPreparation(asio::thread_pool& pool, unsigned threads, const registry::RegistryContext& ctx,
                   std::string issuer, std::vector<RawRecord> raws)
      : issuer_(std::move(issuer)),
        raws_(std::move(raws)),
        slots_(raws_.size()),
        slices_(std::min<std::size_t>(threads, raws_.size())),
        done_(static_cast<std::ptrdiff_t>(slices_)) {
    for (std::size_t s = 0; s < slices_; ++s) {
      asio::post(pool, [this, &ctx, s] {
        for (std::size_t i = s; i < raws_.size(); i += slices_) {
          slots_[i] = PrepareRecord(ctx, issuer_, raws_[i]);
        }
        done_.count_down();
      });
    }
  }
  ChunkPreparation(const ChunkPreparation&) = delete;
  ChunkPreparation& operator=(const ChunkPreparation&) = delete;
  // Never leaves work running on a destroyed object.
  ~ChunkPreparation() { done_.wait(); }

  std::size_t size() const { return raws_.size(); }

  // Waits for the slices; call once.
  std::vector<PreparedRecord> Take() {
    done_.wait();
    std::vector<PreparedRecord> out;
    out.reserve(slots_.size());
    for (auto& slot : slots_) out.push_back(std::move(*slot));
    return out;
  }

 private:
  std::string issuer_;
  std::vector<RawRecord> raws_;
  std::vector<std::optional<PreparedRecord>> slots_;
  std::size_t slices_;
  std::latch done_;
};

}  // namespace

BatchProcessor::BatchProcessor(registry::RegistryContext& registry, SignatureKeys keys,
                               BatchOptions options, core::metrics::Registry& metrics)
    : registry_(registry),
      keys_(std::move(keys)),
      options_(std::move(options)),
      records_ok_(metrics.GetCounter("c2p_batch_records_total", "Batch file records processed",
                                     {{"result", "ok"}})),
      records_ko_(metrics.GetCounter("c2p_batch_records_total", "Batch file records processed",
                                     {{"result", "ko"}})),
      files_done_(
          metrics.GetCounter("c2p_batch_files_total", "Batch files ended", {{"status", "DONE"}})),
      files_rejected_(metrics.GetCounter("c2p_batch_files_total", "Batch files ended",
                                         {{"status", "REJECTED"}})),
      chunks_bare_(metrics.GetCounter("c2p_batch_chunks_total", "Batch chunks committed",
                                      {{"records", "bare"}})),
      chunks_per_record_(metrics.GetCounter("c2p_batch_chunks_total", "Batch chunks committed",
                                            {{"records", "savepoint_each"}})),
      prepare_pool_(PrepareThreads(options_.prepare_threads)) {
  for (const auto& issuer : options_.issuers) issuer_options_.emplace(issuer.issuer, issuer);
}

BatchProcessor::~BatchProcessor() {
  Stop();
  prepare_pool_.join();
}

core::Result<void> BatchProcessor::Start() {
  for (const auto& issuer : options_.issuers) {
    auto spool = Spool::Open(issuer.issuer, issuer.spool_dir);
    if (!spool) return tl::unexpected(spool.error());
    spools_.emplace(issuer.issuer, std::move(*spool));
  }
  if (spools_.empty()) return {};
  asio::co_spawn(ioc_, Loop(), asio::detached);
  thread_ = std::thread([this] { ioc_.run(); });
  return {};
}

void BatchProcessor::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  asio::post(ioc_, [this] { ioc_.stop(); });
  thread_.join();
}

void BatchProcessor::Wake() {
  asio::post(ioc_, [this] {
    wake_pending_ = true;
    wake_timer_.cancel();
  });
}

bool BatchProcessor::Enabled(std::string_view issuer) const { return spools_.contains(issuer); }

const Spool* BatchProcessor::SpoolOf(std::string_view issuer) const {
  auto it = spools_.find(issuer);
  return it == spools_.end() ? nullptr : &it->second;
}

FileExpectation BatchProcessor::Expect(const std::string& issuer,
                                       std::optional<FileName> name) const {
  FileExpectation e;
  e.issuer = issuer;
  e.name = std::move(name);
  e.max_bytes = options_.max_file_bytes;
  e.key_for = [this, issuer](std::string_view kid) { return keys_(issuer, kid); };
  return e;
}

asio::awaitable<void> BatchProcessor::Pause(std::chrono::steady_clock::duration d) {
  // Woken while the round waited for the store or a file: no wait was there to cancel.
  if (wake_pending_) co_return;
  wake_timer_.expires_after(d);
  auto [ec] = co_await wake_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  (void)ec;  // cancelled by Wake(): look again now
}

asio::awaitable<void> BatchProcessor::Loop() {
  co_await ResumeOpenFiles();
  while (!stopping_) {
    // This round sees everything that woke the loop before it began.
    wake_pending_ = false;
    co_await PickUpInboxes();
    // Uploads admitted meanwhile are open rows.
    co_await ResumeOpenFiles();
    if (stopping_) break;
    co_await Pause(options_.poll_interval);
  }
}

asio::awaitable<void> BatchProcessor::ResumeOpenFiles() {
  auto open = co_await registry_.store.OpenBatchFiles();
  if (!open) {
    log::Error("batch.store_failed", {{"error", open.error().message}});
    co_return;
  }
  for (auto& file : *open) {
    if (stopping_) co_return;
    if (!Enabled(file.issuer_id)) continue;  // the issuer's spool was unconfigured
    co_await Process(std::move(file));
  }
}

asio::awaitable<void> BatchProcessor::PickUpInboxes() {
  // The work files of open rows are resumed by ResumeOpenFiles, not admitted again.
  std::set<std::pair<std::string, std::string>> open_files;
  if (auto open = co_await registry_.store.OpenBatchFiles(); open) {
    for (const auto& f : *open) open_files.emplace(f.issuer_id, f.file_name);
  } else {
    co_return;  // the store is unavailable: nothing can be admitted either
  }
  for (const auto& [issuer, spool] : spools_) {
    // Taken before but never admitted (a crash in between): admitted now. A file whose
    // row exists is a finished one's leftover (removed).
    for (const auto& name : spool.WorkFiles()) {
      if (stopping_) co_return;
      if (open_files.contains({issuer, name})) continue;
      {
        const std::lock_guard lock(uploads_mu_);
        if (uploads_in_flight_.contains({issuer, name})) continue;  // the upload claims it
      }
      co_await AdmitFromSpool(spool, name);
    }
    for (const auto& name : spool.CompleteInboxFiles(options_.settle)) {
      if (stopping_) co_return;
      if (auto taken = spool.TakeToWork(name); !taken) {
        log::Error("batch.take_failed", {{"issuer", issuer}, {"error", taken.error().message}});
        continue;
      }
      co_await AdmitFromSpool(spool, name);
    }
  }
}

asio::awaitable<core::Result<bool>> BatchProcessor::Claim(const store::BatchFileRecord& file) {
  bool claimed = false;
  auto written = co_await registry_.store.Write([&](store::WriteTx& tx) -> core::Result<void> {
    auto c = tx.ClaimBatchFile(file);
    if (!c) return tl::unexpected(c.error());
    claimed = *c;
    return {};
  });
  if (!written) co_return tl::unexpected(written.error());
  co_return claimed;
}

asio::awaitable<void> BatchProcessor::Reject(const Spool& spool, std::string name,
                                             FileRefusal refusal, std::string correlation_id) {
  if (refusal.retryable) co_return;  // could not be read: not a verdict, looked at again
  const Header header = refusal.header.value_or(Header{});
  if (auto w = WriteRefusal(spool.OutPath(name), header, refusal.code); !w) {
    log::Error("batch.output_failed", {{"issuer", spool.issuer()}, {"error", w.error().message}});
    co_return;  // the file stays in work/ and is looked at again
  }
  // A readable header names the key: the refusal is recorded (the progress getter shows
  // it), unless a live file holds the key — that one is not touched.
  if (refusal.header && refusal.code != FileError::kDuplicateFile &&
      refusal.code != FileError::kInvalidHeader) {
    store::BatchFileRecord row = NewFileRow(spool.issuer(), header, name, "REJECTED",
                                            CodeText(refusal.code), 0, std::move(correlation_id));
    (void)co_await Claim(row);
  }
  files_rejected_.Add();
  log::Warn("batch.file_rejected", {{"issuer", spool.issuer()},
                                    {"file", name},
                                    {"code", CodeText(refusal.code)},
                                    {"reason", FileErrorName(refusal.code)}});
  spool.RemoveWork(name);
}

asio::awaitable<void> BatchProcessor::AdmitFromSpool(const Spool& spool, const std::string& name) {
  const std::string correlation_id = core::NewCorrelationId();
  auto file_name = ParseFileName(name);
  if (!file_name) {
    co_await Reject(
        spool, name,
        {FileError::kInvalidHeader, "the file name is not a batch file's", std::nullopt},
        correlation_id);
    co_return;
  }
  auto checked = CheckFile(spool.WorkPath(name), Expect(spool.issuer(), *file_name));
  if (!checked) {
    FileRefusal refusal = checked.error();
    co_await Reject(spool, name, std::move(refusal), correlation_id);
    co_return;
  }
  const Header& h = checked->header;
  store::BatchFileRecord row = NewFileRow(spool.issuer(), h, name, "RECEIVED", std::nullopt,
                                          checked->total_records, correlation_id);
  auto claimed = co_await Claim(row);
  if (!claimed) {
    log::Error("batch.store_failed",
               {{"issuer", spool.issuer()}, {"error", claimed.error().message}});
    co_return;  // stays in work/: admitted again at the next round
  }
  if (!*claimed) {
    auto existing = co_await registry_.store.GetBatchFile(spool.issuer(), h.batch_id, h.seq_number);
    if (existing && *existing && (*existing)->file_name == name) {
      // This very file, already admitted: open (resumed by ResumeOpenFiles) or finished
      // (a leftover of a crash before its removal).
      const auto& status = (*existing)->status;
      if (status == "DONE" || status == "REJECTED") spool.RemoveWork(name);
      co_return;
    }
    FileRefusal refusal{FileError::kDuplicateFile, "already processed", h};
    co_await Reject(spool, name, std::move(refusal), correlation_id);
    co_return;
  }
  LogAdmitted(correlation_id, spool.issuer(), h, checked->total_records);
  co_await Process(std::move(row), std::move(checked->header));
}

asio::awaitable<core::Result<UploadAdmission>> BatchProcessor::AdmitUpload(
    std::string issuer, fs::path file, std::string correlation_id) {
  const Spool* spool = SpoolOf(issuer);
  if (spool == nullptr) {
    std::error_code ignored;
    fs::remove(file, ignored);
    co_return core::Fail(core::ErrorCode::kNotFound, "batch files are not enabled for the issuer");
  }
  // The check reads the whole file: on the prepare threads, never on a reactor.
  auto work = [this, spool, issuer, file,
               correlation_id]() -> asio::awaitable<core::Result<UploadAdmission>> {
    auto remove_upload = [&] {
      std::error_code ignored;
      fs::remove(file, ignored);
    };
    auto checked = CheckFile(file, Expect(issuer, std::nullopt));
    if (!checked) {
      remove_upload();
      const FileRefusal& r = checked.error();
      files_rejected_.Add();
      co_return core::Fail(
          core::ErrorCode::kInvalidBatchFile,
          CodeText(r.code) + " " + std::string(FileErrorName(r.code)) + ": " + r.message);
    }
    const Header& h = checked->header;
    const std::int64_t now = core::UnixMillisNow();
    const std::string name =
        h.batch_id + "-" + h.seq_number + "-" + std::to_string(now / 1000) + ".json";
    // Into work/ first, then the claim: a crash in between leaves a file that the next
    // start admits; never a row without its file. Until the claim, the inbox round skips it.
    {
      const std::lock_guard lock(uploads_mu_);
      uploads_in_flight_.emplace(issuer, name);
    }
    struct InFlight {
      BatchProcessor& self;
      std::pair<std::string, std::string> key;
      ~InFlight() {
        const std::lock_guard lock(self.uploads_mu_);
        self.uploads_in_flight_.erase(key);
      }
    } in_flight{*this, {issuer, name}};
    if (auto adopted = spool->AdoptUpload(file, name); !adopted) {
      remove_upload();
      co_return tl::unexpected(adopted.error());
    }
    store::BatchFileRecord row = NewFileRow(issuer, h, name, "RECEIVED", std::nullopt,
                                            checked->total_records, correlation_id);
    // Left for Process before the claim: the loop may take the row up as soon as it is
    // committed.
    {
      const std::lock_guard lock(uploads_mu_);
      uploads_checked_.insert_or_assign({issuer, name}, h);
    }
    auto claimed = co_await Claim(row);
    if (!claimed || !*claimed) {
      {
        const std::lock_guard lock(uploads_mu_);
        uploads_checked_.erase({issuer, name});
      }
      spool->RemoveWork(name);
      if (!claimed) co_return tl::unexpected(claimed.error());
      co_return core::Fail(core::ErrorCode::kDuplicateFile,
                           "this batchId and seqNumber were already taken");
    }
    LogAdmitted(correlation_id, issuer, h, checked->total_records);
    Wake();
    co_return UploadAdmission{h.batch_id, h.seq_number};
  };
  co_return co_await asio::co_spawn(prepare_pool_.get_executor(), std::move(work),
                                    asio::use_awaitable);
}

asio::awaitable<void> BatchProcessor::Process(store::BatchFileRecord file,
                                              std::optional<Header> header) {
  const Spool& spool = *SpoolOf(file.issuer_id);
  const fs::path path = spool.WorkPath(file.file_name);
  if (!header) {
    const std::lock_guard lock(uploads_mu_);
    if (auto at = uploads_checked_.find({file.issuer_id, file.file_name});
        at != uploads_checked_.end()) {
      header = std::move(at->second);
      uploads_checked_.erase(at);
    }
  }
  // A file this run admitted was checked then; one left open by an earlier run is checked
  // again (the work file must still be the one that was admitted). The check reads the
  // whole file: about as long as preparing its records.
  if (!header) {
    auto checked = CheckFile(path, Expect(file.issuer_id, ParseFileName(file.file_name)));
    if (!checked) {
      log::Error("batch.work_file_unreadable", {{"issuer", file.issuer_id},
                                                {"file", file.file_name},
                                                {"code", CodeText(checked.error().code)}});
      co_return;  // left open, looked at again later; an operator decides
    }
    header = std::move(checked->header);
  }
  auto stream = RecordStream::Open(path);
  if (!stream) {
    log::Error("batch.work_file_unreadable",
               {{"issuer", file.issuer_id}, {"file", file.file_name}});
    co_return;
  }
  const auto& opts = issuer_options_.at(file.issuer_id);
  const unsigned threads = PrepareThreads(options_.prepare_threads);
  std::size_t full_chunk = options_.chunk_records;
  if (opts.records_per_second > 0) {
    full_chunk = std::clamp<std::size_t>(opts.records_per_second / 4, 1, full_chunk);
  }
  const std::size_t shared_chunk =
      std::clamp<std::size_t>(options_.chunk_records_when_interactive, 1, full_chunk);
  // Decided per chunk: smaller while interactive jobs run (BatchOptions).
  std::size_t chunk_size = full_chunk;
  auto size_next_chunk = [&] {
    const bool interactive = options_.activity != nullptr && options_.activity->Recent();
    chunk_size = interactive ? shared_chunk : full_chunk;
  };
  const auto started = std::chrono::steady_clock::now();
  std::int64_t done_this_run = 0;

  // The next chunk's records, the committed ones skipped; empty at the end. False when
  // the file cannot be read.
  auto read_chunk = [&](std::vector<RawRecord>& raws) {
    while (raws.size() < chunk_size) {
      auto next = stream->Next();
      if (!next) return false;
      if (!*next) break;
      if (file.last_row_id && (*next)->row_id <= *file.last_row_id) continue;  // committed
      raws.push_back(std::move(**next));
    }
    return true;
  };
  auto prepare = [&](std::vector<RawRecord> raws) -> std::unique_ptr<ChunkPreparation> {
    if (raws.empty()) return nullptr;
    return std::make_unique<ChunkPreparation>(prepare_pool_, threads, registry_, file.issuer_id,
                                              std::move(raws));
  };
  std::vector<RawRecord> first;
  size_next_chunk();
  if (!read_chunk(first)) {
    log::Error("batch.work_file_unreadable",
               {{"issuer", file.issuer_id}, {"file", file.file_name}});
    co_return;
  }
  std::unique_ptr<ChunkPreparation> pending = prepare(std::move(first));
  while (pending && !stopping_) {
    const std::size_t count = pending->size();
    const auto prepared = pending->Take();
    std::vector<RawRecord> raws;
    size_next_chunk();
    if (!read_chunk(raws)) {
      log::Error("batch.work_file_unreadable",
                 {{"issuer", file.issuer_id}, {"file", file.file_name}});
      co_return;
    }
    pending = prepare(std::move(raws));  // prepared while this chunk commits
    // Throttle (spec/batch.md §4): the run's records never get ahead of the issuer's rate.
    if (opts.records_per_second > 0) {
      const auto due =
          started + std::chrono::microseconds(done_this_run * 1'000'000 / opts.records_per_second);
      while (!stopping_ && due > std::chrono::steady_clock::now()) {
        co_await Pause(due - std::chrono::steady_clock::now());
      }
    }
    // Bare records first; one savepoint per record only for a chunk that needs them
    // (record_pipeline.hpp).
    RecordSavepoints savepoints = RecordSavepoints::kNone;
    for (;;) {
      store::BatchFileRecord next = file;
      ChunkOutcome outcome;
      bool again_with_savepoints = false;
      // Bulk: a chunk never holds up an API caller's write for longer than one group.
      auto written = co_await registry_.store.Write(
          [&](store::WriteTx& tx) -> core::Result<void> {
            next = file;
            auto applied =
                ApplyChunk(registry_, tx, next, prepared, core::UnixMillisNow(), savepoints);
            if (!applied) {
              // Failing the unit is what rolls its writes back.
              again_with_savepoints = applied.error().needs_record_savepoints;
              return tl::unexpected(applied.error().error);
            }
            outcome = *applied;
            return {};
          },
          store::WritePriority::kBulk);
      if (written) {
        file = std::move(next);
        records_ok_.Add(static_cast<std::uint64_t>(outcome.ok));
        records_ko_.Add(static_cast<std::uint64_t>(outcome.ko));
        if (outcome.started_operations) registry_.AfterCommit(true);
        (savepoints == RecordSavepoints::kNone ? chunks_bare_ : chunks_per_record_).Add();
        break;
      }
      if (again_with_savepoints) {
        savepoints = RecordSavepoints::kEach;
        continue;
      }
      log::Error("batch.chunk_failed", {{"issuer", file.issuer_id},
                                        {"file", file.file_name},
                                        {"error", written.error().message}});
      if (stopping_) co_return;
      co_await Pause(kRetryPause);  // the store is unavailable: the same chunk again
    }
    done_this_run += static_cast<std::int64_t>(count);
  }
  if (stopping_) co_return;
  if (auto out = co_await WriteOutput(spool, file, *header); !out) {
    log::Error("batch.output_failed", {{"issuer", file.issuer_id}, {"error", out.error().message}});
    co_return;  // open: written at the next round
  }
  spool.RemoveWork(file.file_name);
  files_done_.Add();
  log::Info("batch.file_done", {{"correlation_id", file.correlation_id},
                                {"issuer", file.issuer_id},
                                {"batch_id", file.batch_id},
                                {"seq_number", file.seq_number},
                                {"ok", file.ok},
                                {"ko", file.ko}});
}

asio::awaitable<core::Result<void>> BatchProcessor::WriteOutput(const Spool& spool,
                                                                store::BatchFileRecord& file,
                                                                const Header& header) {
  auto writer = OutWriter::Create(spool.OutPath(file.file_name), header, file.total_records);
  if (!writer) co_return tl::unexpected(writer.error());
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    auto page = co_await registry_.store.BatchResults(file, after, kResultsPage);
    if (!page) co_return tl::unexpected(page.error());
    for (const auto& result : *page) {
      boost::system::error_code ec;
      auto value = boost::json::parse(result.result, ec);
      if (ec || !value.is_object()) {
        co_return core::Fail(core::ErrorCode::kInternal, "a stored batch result is not JSON");
      }
      if (auto a = writer->Add(value.as_object()); !a) co_return a;
      after = result.row_id;
    }
    if (page->size() < static_cast<std::size_t>(kResultsPage)) break;
  }
  if (auto c = writer->Commit(); !c) co_return c;
  store::BatchFileRecord done = file;
  done.status = "DONE";
  done.updated_ms = core::UnixMillisNow();
  // Bulk: deleting a large file's results is as heavy as a chunk.
  auto written = co_await registry_.store.Write(
      [&](store::WriteTx& tx) -> core::Result<void> {
        if (auto u = tx.UpdateBatchFile(done); !u) return u;
        return tx.DeleteBatchResults(done);
      },
      store::WritePriority::kBulk);
  if (!written) co_return tl::unexpected(written.error());
  file = std::move(done);
  co_return core::Result<void>{};
}

}  // namespace c2p::batch
