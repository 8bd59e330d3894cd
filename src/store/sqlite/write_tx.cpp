#include "store/sqlite/write_tx.hpp"

#include "store/sqlite/sql.hpp"

namespace c2p::store::sqlite {

core::Result<void> SqliteWriteTx::PutSetting(std::string_view key, std::string_view value) {
  auto stmt = conn_.Prepare(sql::kUpsertSetting);
  if (!stmt) return tl::unexpected(std::move(stmt.error()));
  return stmt->Bind(1, key).Bind(2, value).Bind(3, UnixSecondsNow()).Run();
}

}  // namespace c2p::store::sqlite
