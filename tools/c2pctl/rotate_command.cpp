#include "tools/c2pctl/rotate_command.hpp"

#include <CLI/CLI.hpp>

#include "app/config.hpp"
#include "app/registry_setup.hpp"
#include "core/block_on.hpp"
#include "store/store.hpp"
#include "tools/c2pctl/cli.hpp"
#include "tools/c2pctl/store_access.hpp"
#include "vault/associated_data.hpp"
#include "vault/seal.hpp"

namespace c2p::ctl {

namespace {

// A pass stops early once nothing is left; rows c2pd rewrote during a pass are looked at
// again by the next. More passes than this means something keeps writing old versions.
constexpr int kMaxPasses = 5;

struct Change {
  const store::SealedRow* row;
  std::string field;
  store::Blob old_blob;
  store::Blob new_blob;
};

std::string AssociatedData(const store::SealedRow& row, std::string_view field) {
  return row.kind == store::SealedRow::Kind::kCard
             ? vault::CardAssociatedData(row.issuer_id, row.row_id, field)
             : vault::ConsumerAssociatedData(row.issuer_id, row.row_id, field);
}

// One page: reseal what is under an old version, then swap it in one transaction.
core::Result<std::size_t> ResealPage(store::Store& store, const vault::KeyRing& ring,
                                     const std::vector<store::SealedRow>& rows) {
  std::vector<Change> changes;
  for (const auto& row : rows) {
    for (const auto& [field, blob] : row.fields) {
      auto version = vault::SealedVersion(blob);
      if (!version) return tl::unexpected(version.error());
      if (*version == ring.current_version()) continue;
      auto resealed = vault::Reseal(ring, blob, AssociatedData(row, field));
      if (!resealed) return tl::unexpected(resealed.error());
      changes.push_back(Change{&row, field, blob, std::move(*resealed)});
    }
  }
  if (changes.empty()) return std::size_t{0};
  std::size_t swapped = 0;
  auto written = WriteNow(store, [&](store::WriteTx& tx) -> core::Result<void> {
    swapped = 0;  // a unit may in principle be retried: count afresh
    for (const auto& c : changes) {
      auto ok = tx.ResealField(*c.row, c.field, c.old_blob, c.new_blob);
      if (!ok) return tl::unexpected(ok.error());
      if (*ok) ++swapped;
    }
    return {};
  });
  if (!written) return tl::unexpected(written.error());
  return swapped;
}

}  // namespace

core::Result<RotationReport> RotateKeys(const KeysRotateOptions& options) {
  auto config = app::LoadConfig(options.config);
  if (!config) return tl::unexpected(config.error());
  auto ring = app::LoadPanKeyRing(config->keys);
  if (!ring) return tl::unexpected(ring.error());
  core::metrics::Registry metrics;
  auto store = OpenStoreAt(config->store.url, metrics);
  if (!store) return tl::unexpected(store.error());

  RotationReport report;
  report.version = ring->current_version();
  for (report.passes = 1; report.passes <= kMaxPasses; ++report.passes) {
    std::size_t left = 0;
    std::optional<store::SealedRow> after;
    for (;;) {
      auto rows = core::BlockOn((*store)->ListSealedRows(after ? &*after : nullptr, options.batch));
      if (!rows) return tl::unexpected(rows.error());
      if (rows->empty()) break;
      report.rows_seen += rows->size();
      for (const auto& row : *rows) {
        for (const auto& field : row.fields) {
          auto version = vault::SealedVersion(field.second);
          if (version && *version != ring->current_version()) ++left;
        }
      }
      auto swapped = ResealPage(**store, *ring, *rows);
      if (!swapped) return tl::unexpected(swapped.error());
      report.fields_resealed += *swapped;
      after = std::move(rows->back());
    }
    if (left == 0) {
      (*store)->Close();
      return report;
    }
  }
  (*store)->Close();
  return core::Fail(core::ErrorCode::kUnavailable,
                    "rows under an old key version keep appearing: is every c2pd configured "
                    "with the new key last?");
}

int RunKeysRotate(const KeysRotateOptions& options, std::ostream& out, std::ostream& err) {
  if (options.batch < 1 || options.batch > 10000) {
    err << "c2pctl keys rotate: --batch must be 1..10000\n";
    return kExitUsage;
  }
  auto report = RotateKeys(options);
  if (!report) {
    err << "c2pctl keys rotate: " << report.error().message << "\n";
    return kExitFailure;
  }
  out << "resealed " << report->fields_resealed << " fields; every sealed field is under key "
      << "version " << report->version << " (" << report->passes << " pass"
      << (report->passes == 1 ? "" : "es") << ")\n";
  return kExitOk;
}

void AddKeysRotateCommand(CLI::App& keys, int& exit_code, std::ostream& out, std::ostream& err) {
  CLI::App* rotate = keys.add_subcommand(
      "rotate", "Re-encrypt stored card and personal data under the current PAN key version");
  auto options = std::make_shared<KeysRotateOptions>();
  rotate->add_option("--config", options->config, "c2pd's configuration file")->required();
  rotate->add_option("--batch", options->batch, "rows per transaction")->capture_default_str();
  rotate->callback(
      [options, &exit_code, &out, &err] { exit_code = RunKeysRotate(*options, out, err); });
}

}  // namespace c2p::ctl
