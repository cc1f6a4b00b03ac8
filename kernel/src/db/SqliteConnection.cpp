#include "db/SqliteConnection.h"

#include <memory>
#include <vector>

namespace relais::db {

namespace {

Error::Kind classify(int rc) {
    switch (rc & 0xFF) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return Error::Kind::Transient;
        case SQLITE_CONSTRAINT:
            return Error::Kind::Constraint;
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_PERM:
            return Error::Kind::Unavailable;
        default:
            return Error::Kind::Other;
    }
}

// Keeps a cached statement reusable whatever happens while it is being used.
struct StatementReset {
    sqlite3_stmt* stmt;
    ~StatementReset() {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
    }
};

}  // namespace

SqliteConnection::SqliteConnection(const DatabaseOptions& options) : path_(options.sqlitePath) {
    int rc =
        sqlite3_open_v2(path_.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(Error::Kind::Unavailable, rc,
                    "cannot open the SQLite database " + path_ + ": " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busyTimeoutMs);
    try {
        // secure_delete: a destroyed key is overwritten, not left behind in a free page.
        executeScript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            " PRAGMA secure_delete=ON;");
    } catch (...) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw;
    }
}

SqliteConnection::~SqliteConnection() {
    for (auto& [sql, stmt] : cache_)
        sqlite3_finalize(stmt);
    if (db_)
        sqlite3_close(db_);
}

void SqliteConnection::fail(int rc, const std::string& what) {
    Error::Kind kind = classify(rc);
    if (kind == Error::Kind::Unavailable)
        broken_ = true;
    throw Error(kind, rc, what + ": " + sqlite3_errmsg(db_));
}

sqlite3_stmt* SqliteConnection::prepare(const std::string& sql, const Params& params) {
    sqlite3_stmt* stmt = nullptr;
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
        stmt = it->second;
    } else {
        int rc = sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr);
        if (rc != SQLITE_OK)
            fail(rc, "cannot prepare [" + sql + "]");
        cache_[sql] = stmt;
    }
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
        throw Error(Error::Kind::Other, 0,
                    "[" + sql + "] takes " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
                        " parameters, got " + std::to_string(params.size()));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Value& v = params[i];
        const int idx = static_cast<int>(i + 1);
        int rc = SQLITE_OK;
        switch (v.type()) {
            case Value::Type::Null:
                rc = sqlite3_bind_null(stmt, idx);
                break;
            case Value::Type::Integer:
                rc = sqlite3_bind_int64(stmt, idx, v.asInt());
                break;
            case Value::Type::Real:
                rc = sqlite3_bind_double(stmt, idx, v.asReal());
                break;
            case Value::Type::Text: {
                std::string text = v.asText();
                rc = sqlite3_bind_text(stmt, idx, text.data(), static_cast<int>(text.size()),
                                       SQLITE_TRANSIENT);
                break;
            }
        }
        if (rc != SQLITE_OK)
            fail(rc, "cannot bind parameter " + std::to_string(idx));
    }
    return stmt;
}

Result SqliteConnection::query(const std::string& sql, const Params& params) {
    sqlite3_stmt* stmt = prepare(sql, params);
    StatementReset reset{stmt};
    const int n = sqlite3_column_count(stmt);
    auto columns = std::make_shared<std::vector<std::string>>();
    for (int i = 0; i < n; ++i)
        columns->emplace_back(sqlite3_column_name(stmt, i));
    Result result;
    for (;;) {
        int rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE)
            break;
        if (rc != SQLITE_ROW)
            fail(rc, "[" + sql + "] failed");
        std::vector<Value> values;
        values.reserve(n);
        for (int i = 0; i < n; ++i) {
            switch (sqlite3_column_type(stmt, i)) {
                case SQLITE_INTEGER:
                    values.emplace_back(static_cast<long long>(sqlite3_column_int64(stmt, i)));
                    break;
                case SQLITE_FLOAT:
                    values.emplace_back(sqlite3_column_double(stmt, i));
                    break;
                case SQLITE_NULL:
                    values.emplace_back();
                    break;
                default: {
                    const void* p = sqlite3_column_blob(stmt, i);
                    int len = sqlite3_column_bytes(stmt, i);
                    values.emplace_back(p ? std::string(static_cast<const char*>(p), len)
                                          : std::string());
                }
            }
        }
        result.rows.emplace_back(columns, std::move(values));
    }
    return result;
}

std::uint64_t SqliteConnection::execute(const std::string& sql, const Params& params) {
    sqlite3_stmt* stmt = prepare(sql, params);
    StatementReset reset{stmt};
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE)
        fail(rc, "[" + sql + "] failed");
    return static_cast<std::uint64_t>(sqlite3_changes(db_));
}

std::int64_t SqliteConnection::lastInsertId() {
    return sqlite3_last_insert_rowid(db_);
}

void SqliteConnection::executeScript(const std::string& sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        Error::Kind kind = classify(rc);
        if (kind == Error::Kind::Unavailable)
            broken_ = true;
        throw Error(kind, rc, "script failed: " + msg);
    }
}

void SqliteConnection::begin() {
    execute("BEGIN IMMEDIATE", {});
}
void SqliteConnection::commit() {
    execute("COMMIT", {});
}

void SqliteConnection::rollback() {
    if (!sqlite3_get_autocommit(db_))
        execute("ROLLBACK", {});
}

}  // namespace relais::db
