#pragma once

#include <memory>
#include <string>
#include <unordered_map>

#include "relais/Database.h"

namespace sql {
class Connection;
class PreparedStatement;
class SQLException;
}  // namespace sql

namespace relais::db {

/// A connection to MariaDB or MySQL through MySQL Connector/C++ (the JDBC-style API of the
/// Debian package). Sessions run in UTC, strict SQL mode, READ COMMITTED, utf8mb4. Connector
/// exceptions never leave this class: they become db::Error.
class MysqlConnection final : public Connection {
public:
    explicit MysqlConnection(const DatabaseOptions& options);
    ~MysqlConnection() override;

    Dialect dialect() const override { return Dialect::MySQL; }
    Result query(const std::string& sql, const Params& params) override;
    std::uint64_t execute(const std::string& sql, const Params& params) override;
    std::int64_t lastInsertId() override;
    void executeScript(const std::string& sql) override;
    bool broken() const override { return broken_; }
    void begin() override;
    void commit() override;
    void rollback() override;

private:
    sql::PreparedStatement& prepare(const std::string& sql, const Params& params);
    void plain(const std::string& sql);
    [[noreturn]] void fail(const sql::SQLException& e, const std::string& what);

    std::unique_ptr<sql::Connection> conn_;
    std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>> cache_;
    bool broken_ = false;
};

/// Splits trusted SQL text into statements on ';' outside quotes and comments.
std::vector<std::string> splitSqlStatements(const std::string& script);

}  // namespace relais::db
