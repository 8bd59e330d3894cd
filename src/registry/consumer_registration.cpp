#include "registry/consumer_registration.hpp"

#include "core/time_format.hpp"
#include "domain/registration.hpp"
#include "engine/consumer_update_driver.hpp"
#include "registry/consumer_optout.hpp"
#include "registry/operations.hpp"
#include "vault/sealed_fields.hpp"

namespace c2p::registry {

core::Result<PreparedConsumer> PrepareConsumer(const RegistryContext& ctx, std::string_view issuer,
                                               std::string_view consumer_id,
                                               domain::ConsumerPutBody body) {
  if (body.personal_information && !ctx.Policy(issuer).store_personal_data) {
    return tl::unexpected(core::Error::Make(
        core::ErrorCode::kFieldInvalidFormat,
        "this issuer's personal data is fetched, not stored: personalInformation is refused",
        "/personalInformation"));
  }
  PreparedConsumer out{std::string(issuer), std::string(consumer_id), std::move(body), {}, {}};
  // Sealed before the unit of work: the writer thread does no avoidable crypto.
  if (out.body.personal_information) {
    out.sealed_personal_information = vault::SealPersonalInformation(
        ctx.keys, issuer, consumer_id, *out.body.personal_information);
  }
  out.update = MakeOperation({.type = domain::OperationType::kClickToPayUpdate,
                              .requestor_type = domain::RequestorType::kD1,
                              .issuer = issuer,
                              .consumer_id = std::string(consumer_id),
                              .complete = false});
  return out;
}

core::Result<ConsumerRegistration> RegisterConsumer(const RegistryContext& ctx, store::WriteTx& tx,
                                                    const PreparedConsumer& prepared,
                                                    std::string_view correlation_id) {
  const std::string& issuer = prepared.issuer;
  const std::string& consumer_id = prepared.consumer_id;
  const domain::ConsumerPutBody& body = prepared.body;
  ConsumerRegistration out;

  auto existing = tx.FindConsumer(issuer, consumer_id);
  if (!existing) return tl::unexpected(existing.error());
  std::optional<domain::ConsumerState> current;
  if (*existing) current = domain::ParseConsumerState((*existing)->state);
  auto next = domain::ConsumerStateAfterPut(current, body.state);
  if (!next) return tl::unexpected(next.error());
  out.state = domain::WireName(*next);
  out.created = !*existing;
  store::ConsumerRecord record;
  const std::int64_t now = core::UnixMillisNow();
  if (*existing) {
    record = **existing;
    bool same_info = !body.personal_information;
    if (body.personal_information && record.personal_information) {
      auto stored = vault::OpenPersonalInformation(ctx.keys, issuer, consumer_id,
                                                   *record.personal_information);
      if (!stored) return tl::unexpected(stored.error());
      same_info = *stored == *body.personal_information;
    }
    if (same_info && record.state == out.state) return out;  // idempotent: nothing changes
    if (!same_info) {
      auto c2p = ReadConsumerClickToPay(tx, issuer, consumer_id);
      if (!c2p) return tl::unexpected(c2p.error());
      if (!c2p->profiles.empty()) {
        // One job per consumer at a time for an issuer's change: it would not reach the
        // networks while another runs [c2p].
        if (c2p->busy) return tl::unexpected(OperationInProgress());
        out.update = prepared.update;
      }
    }
  } else {
    record = store::ConsumerRecord{issuer, consumer_id, out.state, std::nullopt, now, now};
  }
  // Every refusal is above: from here on the unit only writes.
  record.state = out.state;
  record.updated_ms = now;
  if (prepared.sealed_personal_information) {
    record.personal_information = prepared.sealed_personal_information;
  }
  // A new consumer is inserted, never upserted: a concurrent writer that created it first
  // (PostgreSQL) must make this unit fail, not have its fields overwritten.
  auto put = out.created ? tx.AddConsumer(record) : tx.PutConsumer(record);
  if (!put) return tl::unexpected(put.error());
  if (out.update) {
    if (auto i = ctx.InsertStartedByC2p(tx, *out.update, correlation_id); !i) {
      return tl::unexpected(i.error());
    }
    auto job = tx.InsertJob(ctx.JobFor(*out.update, engine::kConsumerUpdateJob, correlation_id));
    if (!job) return tl::unexpected(job.error());
  }
  if (out.created) {
    auto op = MakeOperation(
        {.type = domain::OperationType::kRegister, .issuer = issuer, .consumer_id = consumer_id});
    if (auto i = tx.InsertOperation(op); !i) return tl::unexpected(i.error());
  }
  return out;
}

}  // namespace c2p::registry
