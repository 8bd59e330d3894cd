// POST /banking/v2/issuers/{issuerId}/batches (upload), GET …/batches/{batchId}/{seqNumber}
// (progress) and GET …/{seqNumber}/result (the _OUT document).
//
// An upload is checked completely before it is answered [c2p]: a file-level refusal is a
// 400 INVALID_BATCH_FILE naming the §3 code, a (batchId, seqNumber) already taken is 409
// DUPLICATE_FILE, and 202 means the file is durably in the spool and claimed, so it will be
// processed even across a crash.

#include "api/batch_routes.hpp"

#include <boost/json/object.hpp>

#include "batch/header.hpp"
#include "http/request.hpp"
#include "log/log.hpp"

namespace c2p::api {

namespace asio = boost::asio;
namespace json = boost::json;
using http::Reply;
using http::Request;
using http::Status;
using http::Verb;

namespace {

// The path's batch key, checked before any lookup.
core::Result<void> CheckKey(const Request& request) {
  if (!batch::IsBatchId(request.param("batchId"))) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "batchId is not well-formed",
                      "/batchId");
  }
  if (!batch::IsSeqNumber(request.param("seqNumber"))) {
    return core::Fail(core::ErrorCode::kFieldInvalidFormat, "seqNumber is not well-formed",
                      "/seqNumber");
  }
  return {};
}

store::Reading<store::BatchFileRecord> FindFile(store::Store& store, const Request& request) {
  if (auto ok = CheckKey(request); !ok) co_return tl::unexpected(ok.error());
  auto file = co_await store.GetBatchFile(request.principal(), request.param("batchId"),
                                          request.param("seqNumber"));
  if (!file) co_return tl::unexpected(file.error());
  if (!*file) co_return core::Fail(core::ErrorCode::kNotFound, "no such batch file");
  co_return std::move(**file);
}

asio::awaitable<Reply> Upload(batch::BatchProcessor& batches, Request& request) {
  const std::string& issuer = request.principal();
  if (!batches.Enabled(issuer)) {
    co_return http::ErrorReply(core::Error::Make(core::ErrorCode::kNotFound,
                                                 "batch files are not enabled for the issuer"));
  }
  auto admitted =
      co_await batches.AdmitUpload(issuer, request.body_file(), request.correlation_id());
  if (!admitted) {
    log::Info("batch.upload_refused", {{"correlation_id", request.correlation_id()},
                                       {"issuer", issuer},
                                       {"error", core::ErrorCodeName(admitted.error().code)}});
    co_return http::ErrorReply(admitted.error());
  }
  co_return http::Json(Status::accepted, json::object{{"batchId", admitted->batch_id},
                                                      {"seqNumber", admitted->seq_number},
                                                      {"status", "ACCEPTED"}});
}

asio::awaitable<Reply> Progress(store::Store& store, Request& request) {
  auto file = co_await FindFile(store, request);
  if (!file) co_return http::ErrorReply(file.error());
  json::object out{{"batchId", file->batch_id},
                   {"seqNumber", file->seq_number},
                   {"status", file->status},
                   {"totalRecords", file->total_records},
                   {"processedRecords", file->processed},
                   {"ok", file->ok},
                   {"ko", file->ko}};
  if (file->error_code) out["errorCode"] = *file->error_code;
  co_return http::Json(Status::ok, out);
}

asio::awaitable<Reply> Result(store::Store& store, batch::BatchProcessor& batches,
                              Request& request) {
  auto file = co_await FindFile(store, request);
  if (!file) co_return http::ErrorReply(file.error());
  if (file->status != "DONE" && file->status != "REJECTED") {
    co_return http::ErrorReply(core::Error::Make(core::ErrorCode::kOperationInProgress,
                                                 "the file is still being processed"));
  }
  const batch::Spool* spool = batches.SpoolOf(file->issuer_id);
  if (spool == nullptr) {
    co_return http::ErrorReply(core::Error::Make(core::ErrorCode::kNotFound, "no such result"));
  }
  auto reply = http::FileReply(Status::ok, spool->OutPath(file->file_name));
  if (!reply) {
    // Taken away from the outbox (the issuer collected it over SFTP, or an operator).
    co_return http::ErrorReply(
        core::Error::Make(core::ErrorCode::kNotFound, "the result is no longer in the outbox"));
  }
  co_return std::move(*reply);
}

}  // namespace

void AddBatchRoutes(http::Router& router, store::Store& store, batch::BatchProcessor& batches,
                    const BatchRoutesOptions& options) {
  const std::string base = "/banking/v2/issuers/{issuerId}/batches";
  if (options.upload_dir.empty()) {
    // No issuer has a spool: nothing may be streamed anywhere.
    router.Add(Verb::post, base,
               [](Request&) -> asio::awaitable<Reply> {
                 co_return http::ErrorReply(core::Error::Make(
                     core::ErrorCode::kNotFound, "batch files are not enabled for the issuer"));
               },
               {.bearer = true});
  } else {
    router.Add(Verb::post, base,
               [&batches](Request& r) -> asio::awaitable<Reply> { return Upload(batches, r); },
               {.body = http::BodyKind::kFile,
                .body_limit = options.max_file_bytes,
                .bearer = true,
                .upload_dir = options.upload_dir,
                .body_timeout = options.upload_timeout});
  }
  router.Add(Verb::get, base + "/{batchId}/{seqNumber}",
             [&store](Request& r) -> asio::awaitable<Reply> { return Progress(store, r); },
             {.bearer = true});
  router.Add(Verb::get, base + "/{batchId}/{seqNumber}/result",
             [&store, &batches](Request& r) -> asio::awaitable<Reply> {
               return Result(store, batches, r);
             },
             {.bearer = true});
}

}  // namespace c2p::api
