#include "tools/c2pctl/batch_command.hpp"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "tools/c2pctl/batch_protocol.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/durable_file.hpp"
#include "tools/c2pctl/http_call.hpp"
#include "tools/c2pctl/human_output.hpp"
#include "tools/c2pctl/issuer_api.hpp"
#include "tools/c2pctl/sandbox_material.hpp"

namespace c2p::ctl {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMake = "c2pctl batch make";
constexpr std::string_view kSubmit = "c2pctl batch submit";
constexpr std::string_view kStatus = "c2pctl batch status";

// Uploading 200 MB over a slow link takes a while; c2p answers 202 once it has the file.
constexpr std::chrono::minutes kUploadTimeout{10};
// An _OUT document of a million records is far beyond the client's 1 MiB default.
constexpr std::size_t kMaxResultBytes = std::size_t{1} << 30;
constexpr std::chrono::minutes kResultTimeout{5};

std::optional<CardsPerConsumer> ParseCards(std::string_view text) {
  if (text == "1") return CardsPerConsumer::kOne;
  if (text == "2") return CardsPerConsumer::kTwo;
  if (text == "mixed") return CardsPerConsumer::kMixed;
  return std::nullopt;
}

http::ClientRequest Get(const TokenOptions& t, const std::string& path, const std::string& token) {
  http::ClientRequest request;
  request.url = t.url + path;
  request.headers = {{"Authorization", "Bearer " + token}};
  return request;
}

// "batch B1/1 DONE: 25/25 processed, ok 24, ko 1".
std::string DescribeProgress(const BatchIds& ids, const BatchProgress& p) {
  return "batch " + ids.batch_id + "/" + ids.seq_number + " " + Printable(p.status) + ": " +
         std::to_string(p.processed) + "/" + std::to_string(p.total) + " processed, ok " +
         std::to_string(p.ok) + ", ko " + std::to_string(p.ko) + "\n";
}

// Polls the progress until DONE or REJECTED or the deadline; draws the progress line.
int WaitForBatch(const BatchSubmitOptions& options, const TokenOptions& token_options,
                 const BatchIds& ids, std::ostream& out, std::ostream& err) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(options.timeout_s));
  std::optional<std::string> token;
  bool fresh_token_refused = false;
  std::size_t drawn = 0;
  auto draw = [&](const std::string& line) {
    err << '\r' << line << std::string(drawn > line.size() ? drawn - line.size() : 0, ' ')
        << std::flush;
    drawn = line.size();
  };
  for (;;) {
    if (!token) {
      auto fetched = FetchAccessToken(token_options);
      if (!fetched) {
        err << (drawn != 0 ? "\n" : "");
        return ReportError(kSubmit, fetched.error(), err);
      }
      token = std::move(*fetched);
    }
    auto response = CallOnce(Get(token_options, BatchProgressPath(ids), *token));
    if (!response) {
      // c2p restarting or briefly unreachable: keep trying until the deadline.
      draw("c2p unreachable (" + response.error().message + "), retrying");
    } else if (response->status == 401) {
      // Access tokens expire long before a big batch ends: get a new one, once.
      if (fresh_token_refused) {
        err << (drawn != 0 ? "\n" : "");
        return ReportFailedCall(kSubmit, token_options.url, response, options.json, out, err);
      }
      token.reset();
      fresh_token_refused = true;
      continue;
    } else if (response->status == 404) {
      // A spooled file is unknown until c2p has picked it up.
      draw("waiting for c2p to pick up " + ids.batch_id + "/" + ids.seq_number);
    } else if (response->status != 200) {
      err << (drawn != 0 ? "\n" : "");
      return ReportFailedCall(kSubmit, token_options.url, response, options.json, out, err);
    } else {
      auto progress = ParseProgress(response->body);
      if (!progress) {
        err << (drawn != 0 ? "\n" : "") << kSubmit << ": " << progress.error().message << "\n";
        return kExitFailure;
      }
      draw(FormatProgressLine(*progress));
      if (progress->finished()) {
        err << "\n";
        out << (options.json ? response->body + "\n" : DescribeProgress(ids, *progress));
        if (progress->status == "DONE") return kExitOk;
        err << kSubmit << ": the file was REJECTED: `c2pctl batch status " << ids.batch_id << " "
            << ids.seq_number << " --result` says why\n";
        return kExitFailure;
      }
    }
    if (response && response->status != 401) fresh_token_refused = false;
    if (std::chrono::steady_clock::now() >= deadline) {
      err << (drawn != 0 ? "\n" : "") << kSubmit << ": timed out waiting for " << ids.batch_id
          << "/" << ids.seq_number << "; follow it with `c2pctl batch status " << ids.batch_id
          << " " << ids.seq_number << "`\n";
      return kExitFailure;
    }
    std::this_thread::sleep_for(options.poll_interval);  // the poll interval, not a wait
  }
}

// POSTs the file; the ids c2p accepted it under.
// On failure, `exit_code` says which (cli.hpp).
std::optional<BatchIds> Upload(const BatchSubmitOptions& options, const TokenOptions& t,
                               const BatchIds& header, int& exit_code, std::ostream& out,
                               std::ostream& err) {
  exit_code = kExitFailure;
  // c2pctl's HTTP client sends a body from memory, so the file is read whole (at most the
  // 200 MB c2p accepts, in practice).
  std::string body;
  {
    std::ifstream in(options.file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in) {
      err << kSubmit << ": " << options.file << ": cannot read\n";
      return std::nullopt;
    }
    body = std::move(text).str();
  }
  auto token = FetchAccessToken(t);
  if (!token) {
    exit_code = ReportError(kSubmit, token.error(), err);
    return std::nullopt;
  }
  http::ClientRequest request;
  request.method = "POST";
  request.url = t.url + BatchesPath(header.issuer_id);
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + *token}};
  request.body = std::move(body);
  request.timeout = kUploadTimeout;
  auto response = CallOnce(std::move(request));
  if (!response || response->status != 202) {
    exit_code = ReportFailedCall(kSubmit, t.url, response, options.json, out, err);
    return std::nullopt;
  }
  auto accepted = ParseAccepted(response->body, header.issuer_id);
  if (!accepted) {
    err << kSubmit << ": " << accepted.error().message << "\n";
    return std::nullopt;
  }
  if (options.no_wait) {
    out << (options.json
                ? response->body + "\n"
                : "batch " + accepted->batch_id + "/" + accepted->seq_number + " accepted\n");
  }
  return accepted.value();
}

}  // namespace

int RunBatchMake(const BatchMakeOptions& options, std::ostream& out, std::ostream& err) {
  const auto cards = ParseCards(options.cards);
  if (!cards) {
    err << kMake << ": --cards must be 1, 2 or mixed\n";
    return kExitUsage;
  }
  const core::SystemTime now = std::chrono::system_clock::now();
  BatchMakeSpec spec;
  spec.records.batch_id =
      !options.batch_id.empty()
          ? options.batch_id
          : "B" + std::to_string(
                      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch())
                          .count());
  spec.records.seq_number = options.seq;
  spec.records.cards = *cards;
  spec.records.with_errors = options.with_errors;
  spec.records.personal_information = !options.no_personal_information;
  spec.records.now = now;
  spec.operation = options.operation;
  spec.count = options.records;
  spec.threads = options.threads;
  if (auto checked = CheckBatchMakeSpec(spec); !checked) {
    err << kMake << ": " << checked.error().message << "\n";
    return kExitUsage;
  }
  auto material = ReadSandboxMaterial(options.sandbox, options.issuer);
  if (!material) {
    err << kMake << ": " << material.error().message << "\n";
    return kExitFailure;
  }
  const std::string name =
      DefaultBatchFileName(spec.records.batch_id, spec.records.seq_number, now);
  std::error_code ec;
  const fs::path path = options.out.empty()                 ? fs::path(name)
                        : fs::is_directory(options.out, ec) ? fs::path(options.out) / name
                                                            : fs::path(options.out);
  auto made = MakeBatchFile(spec, *material, path);
  if (!made) {
    err << kMake << ": " << made.error().message << "\n";
    return kExitFailure;
  }
  out << made->path.string() << "\n";
  err << kMake << ": " << made->records << " records, " << made->cards << " cards, " << made->bytes
      << " bytes, issuer " << material->issuer_id << ", batch " << spec.records.batch_id << "/"
      << spec.records.seq_number;
  for (const auto& [code, rows] : made->planted_errors)
    err << ", " << rows << " rows with " << code;
  err << "\n";
  if (made->bytes > kMaxBatchFileBytes) {
    err << kMake << ": warning: over the 200 MB c2p accepts (it answers 102 FILE_TOO_BIG)\n";
  }
  return kExitOk;
}

int RunBatchSubmit(const BatchSubmitOptions& options, std::ostream& out, std::ostream& err) {
  auto header = ReadBatchHeader(options.file);
  if (!header) {
    err << kSubmit << ": " << header.error().message << "\n";
    return kExitFailure;
  }
  // The token is the file's issuer's: c2p checks the header against the caller.
  TokenOptions file_issuer = options.token;
  file_issuer.issuer = header->issuer_id;
  BatchIds ids = *header;
  // Only what talks to c2p needs its URL: a spooled file without waiting does not.
  auto target = [&]() { return ResolveTarget(file_issuer); };
  if (!options.spool.empty()) {
    auto delivered = CopyIntoInbox(options.file, fs::path(options.spool) / "inbox");
    if (!delivered) {
      err << kSubmit << ": " << delivered.error().message << "\n";
      return kExitFailure;
    }
    err << kSubmit << ": delivered " << delivered->string() << "\n";
    if (options.no_wait) {
      out << delivered->string() << "\n";
      return kExitOk;
    }
    auto t = target();
    if (!t) return ReportError(kSubmit, t.error(), err);
    return WaitForBatch(options, *t, ids, out, err);
  }
  auto t = target();
  if (!t) return ReportError(kSubmit, t.error(), err);
  int failure = kExitFailure;
  auto accepted = Upload(options, *t, *header, failure, out, err);
  if (!accepted) return failure;
  if (options.no_wait) return kExitOk;
  return WaitForBatch(options, *t, *accepted, out, err);
}

int RunBatchStatus(const BatchStatusOptions& options, std::ostream& out, std::ostream& err) {
  // Checked before anything is read: they go into the URL's path as they are.
  if ((!options.token.issuer.empty() && !IsPathSafeId(options.token.issuer, 64)) ||
      !IsPathSafeId(options.batch_id, 48) || options.seq.empty() || options.seq.size() > 48 ||
      options.seq.find_first_not_of("0123456789") != std::string::npos) {
    err << kStatus
        << ": BATCH_ID is 1 to 48 of [A-Za-z0-9_-], SEQ 1 to 48 digits and "
           "--issuer 1 to 64 of [A-Za-z0-9_-]\n";
    return kExitUsage;
  }
  auto target = ResolveTarget(options.token);
  if (!target) return ReportError(kStatus, target.error(), err);
  const BatchIds ids{target->issuer, options.batch_id, options.seq};
  auto token = FetchAccessToken(*target);
  if (!token) return ReportError(kStatus, token.error(), err);
  http::ClientRequest request =
      Get(*target, options.result ? BatchResultPath(ids) : BatchProgressPath(ids), *token);
  http::ClientOptions client;
  if (options.result) {
    client.max_response_bytes = kMaxResultBytes;
    client.timeout = kResultTimeout;
  }
  auto response = CallOnce(std::move(request), client);
  if (!response || response->status != 200) {
    return ReportFailedCall(kStatus, target->url, response, options.json, out, err);
  }
  // The _OUT document is JSON by nature (spec/batch.md §3): printed as received.
  if (options.json || options.result) {
    out << response->body << "\n";
    return kExitOk;
  }
  auto progress = ParseProgress(response->body);
  if (!progress) {
    // c2p's answer, not the user's request, is at fault: a failure, not a refusal.
    err << kStatus << ": " << progress.error().message << "; --json prints it as received\n";
    return kExitFailure;
  }
  out << DescribeProgress(ids, *progress);
  return kExitOk;
}

void AddBatchCommand(CLI::App& app, int& exit_code, std::ostream& out, std::ostream& err) {
  CLI::App* batch = app.add_subcommand("batch", "Batch registration files (spec/batch.md)");
  batch->require_subcommand(1);

  auto make = std::make_shared<BatchMakeOptions>();
  CLI::App* m = batch->add_subcommand("make", "Write a signed batch file for the sandbox issuer");
  m->add_option("--sandbox", make->sandbox, "Sandbox directory (sandbox.json)")
      ->capture_default_str();
  m->add_option("--issuer", make->issuer, "issuerId (default: sandbox.json's issuerId)");
  m->add_option("--records", make->records, "Number of records (0 allowed)")->required();
  m->add_option("--out", make->out,
                "Output file, or a directory for <batchId>-<seq>-<unixSeconds>.json "
                "(default: that name in the current directory)");
  m->add_option("--batch-id", make->batch_id, "batchId (default: B<unixSeconds>)");
  m->add_option("--seq", make->seq, "seqNumber")->capture_default_str();
  m->add_option("--cards", make->cards, "Cards per consumer: 1, 2 or mixed")->capture_default_str();
  m->add_flag("--with-errors", make->with_errors,
              "Plant a record-level error (200, 202..206 in turn) in every 10th record");
  m->add_flag("--no-personal-information", make->no_personal_information,
              "Leave personalInformation out (issuers in fetch mode)");
  m->add_option("--operation", make->operation, "header operation")->capture_default_str();
  m->add_option("--threads", make->threads, "Encrypting threads (default: every core)");
  m->callback([make, &exit_code, &out, &err] { exit_code = RunBatchMake(*make, out, err); });

  auto submit = std::make_shared<BatchSubmitOptions>();
  CLI::App* s = batch->add_subcommand(
      "submit", "Deliver a batch file (spool or HTTPS) and follow its progress");
  s->add_option("file", submit->file, "The batch file")->required();
  s->add_option("--spool", submit->spool,
                "Spool directory: copy into DIR/inbox (as .part, then renamed) instead of "
                "POSTing");
  s->add_flag("--no-wait", submit->no_wait, "Deliver only; do not follow the progress");
  s->add_option("--timeout", submit->timeout_s, "Seconds to wait for DONE or REJECTED")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  s->add_option("--sandbox", submit->token.sandbox, "Sandbox directory (issuer keys)")
      ->capture_default_str();
  s->add_option("--key", submit->token.key,
                "Issuer's private ES256 signing JWK (default: the issuer's key in sandbox.json)");
  s->add_option("--url", submit->token.url, "c2p base URL (default: sandbox.json's baseUrl)");
  s->add_flag("--json", submit->json, "Print c2p's answers as received (for scripts)");
  s->callback([submit, &exit_code, &out, &err] { exit_code = RunBatchSubmit(*submit, out, err); });

  auto status = std::make_shared<BatchStatusOptions>();
  CLI::App* st = batch->add_subcommand("status", "Print a batch's progress or its result");
  st->add_option("batch_id", status->batch_id, "batchId")->required();
  st->add_option("seq", status->seq, "seqNumber")->required();
  st->add_flag("--result", status->result, "Print the _OUT document instead of the progress");
  AddTokenOptions(*st, status->token);
  st->add_flag("--json", status->json, "Print the progress JSON as received");
  st->callback([status, &exit_code, &out, &err] { exit_code = RunBatchStatus(*status, out, err); });
}

}  // namespace c2p::ctl
