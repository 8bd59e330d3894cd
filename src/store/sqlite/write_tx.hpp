#pragma once
// The SQLite implementation of WriteTx: the typed mutations a unit of work may make,
// run on the writer's connection inside the unit's savepoint.

#include <string_view>

#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace c2p::store::sqlite {

class SqliteWriteTx final : public WriteTx {
 public:
  // `conn` is the writer's connection, inside an open transaction.
  explicit SqliteWriteTx(Connection& conn) : conn_(conn) {}

  core::Result<void> PutSetting(std::string_view key, std::string_view value) override;

 private:
  Connection& conn_;
};

}  // namespace c2p::store::sqlite
