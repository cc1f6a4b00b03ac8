#include "relais/Database.h"

#include <cstdlib>
#include <stdexcept>

#include "db/MysqlConnection.h"
#include "db/PooledDatabase.h"
#include "db/SqliteConnection.h"

namespace relais::db {

std::int64_t Value::asInt() const {
    switch (type_) {
        case Type::Integer:
            return integer_;
        case Type::Real:
            return static_cast<std::int64_t>(real_);
        case Type::Text:
            return std::strtoll(text_.c_str(), nullptr, 10);
        case Type::Null:
            return 0;
    }
    return 0;
}

double Value::asReal() const {
    switch (type_) {
        case Type::Integer:
            return static_cast<double>(integer_);
        case Type::Real:
            return real_;
        case Type::Text:
            return std::strtod(text_.c_str(), nullptr);
        case Type::Null:
            return 0;
    }
    return 0;
}

std::string Value::asText() const {
    switch (type_) {
        case Type::Integer:
            return std::to_string(integer_);
        case Type::Real:
            return std::to_string(real_);
        case Type::Text:
            return text_;
        case Type::Null:
            return {};
    }
    return {};
}

const Value& Row::at(std::size_t i) const {
    return values_.at(i);
}

const Value& Row::at(const std::string& column) const {
    for (std::size_t i = 0; i < columns_->size(); ++i)
        if ((*columns_)[i] == column)
            return values_.at(i);
    throw std::out_of_range("no column named " + column);
}

Database::Lease::~Lease() {
    if (owner_ && conn_)
        owner_->release(std::move(conn_));
}

void Database::runRead(const std::function<void(Connection&)>& fn) {
    // Retried like a transaction, since reading again has no effect.
    for (int attempt = 0;; ++attempt) {
        try {
            Lease lease = acquire();
            fn(*lease);
            return;
        } catch (const Error& e) {
            if (e.kind() != Error::Kind::Transient || attempt >= 3) throw;
        }
    }
}

Result Database::query(const std::string& sql, const Params& params) {
    return read([&](Connection& c) { return c.query(sql, params); });
}

std::uint64_t Database::execute(const std::string& sql, const Params& params) {
    return transaction([&](Connection& c) { return c.execute(sql, params); });
}

std::unique_ptr<Database> Database::open(const DatabaseOptions& options) {
    std::unique_ptr<PooledDatabase> db;
    if (options.driver == "sqlite") {
        db = std::make_unique<PooledDatabase>(
            Dialect::SQLite, "sqlite:" + options.sqlitePath,
            [options] { return std::make_unique<SqliteConnection>(options); }, options);
    } else if (options.driver == "mysql") {
        db = std::make_unique<PooledDatabase>(
            Dialect::MySQL,
            "mysql://" + options.host + ":" + std::to_string(options.port) + "/" + options.name,
            [options] { return std::make_unique<MysqlConnection>(options); }, options);
    } else {
        throw std::invalid_argument("unknown database driver: " + options.driver);
    }
    // One connection now, so that a wrong address fails at start-up rather than at a request.
    db->acquire();
    return db;
}

}  // namespace relais::db
