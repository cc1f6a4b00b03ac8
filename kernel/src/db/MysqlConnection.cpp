#include "db/MysqlConnection.h"

#include <cppconn/connection.h>
#include <cppconn/datatype.h>
#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <cppconn/resultset_metadata.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <mutex>
#include <vector>

namespace relais::db {

namespace {

sql::mysql::MySQL_Driver* driver() {
    // The driver registry of Connector/C++ is not thread-safe on first use.
    static std::once_flag once;
    static sql::mysql::MySQL_Driver* instance = nullptr;
    std::call_once(once, [] { instance = sql::mysql::get_mysql_driver_instance(); });
    return instance;
}

bool isConnectionLoss(int code) {
    switch (code) {
        case 1053:  // server shutdown in progress
        case 1927:  // connection killed (MariaDB)
        case 2006:  // server has gone away
        case 2013:  // lost connection during query
        case 2055:  // lost connection at handshake / system error
        case 4031:  // disconnected by the server for inactivity (MySQL 8)
            return true;
        default:
            return false;
    }
}

Error::Kind classify(int code) {
    if (isConnectionLoss(code))
        return Error::Kind::Transient;
    switch (code) {
        case 1205:  // lock wait timeout
        case 1213:  // deadlock
        case 1614:  // transaction branch was rolled back: deadlock
            return Error::Kind::Transient;
        case 1022:
        case 1062:  // duplicate entry
        case 1169:
        case 1451:
        case 1452:  // foreign keys
        case 1557:
        case 1586:
        case 3819:  // check constraint
        case 4025:  // check constraint (MariaDB)
            return Error::Kind::Constraint;
        case 1040:  // too many connections
        case 2002:
        case 2003:  // cannot connect
        case 2005:  // unknown host
            return Error::Kind::Unavailable;
        default:
            return Error::Kind::Other;
    }
}

int secondsRoundedUp(int ms) {
    return (ms + 999) / 1000;
}

}  // namespace

MysqlConnection::MysqlConnection(const DatabaseOptions& o) {
    sql::ConnectOptionsMap opts;
    opts["hostName"] = sql::SQLString("tcp://" + o.host + ":" + std::to_string(o.port));
    opts["userName"] = sql::SQLString(o.user);
    opts["password"] = sql::SQLString(o.password);
    opts["schema"] = sql::SQLString(o.name);
    opts["OPT_CONNECT_TIMEOUT"] = secondsRoundedUp(o.connectTimeoutMs);
    opts["OPT_READ_TIMEOUT"] = secondsRoundedUp(o.readTimeoutMs);
    opts["OPT_WRITE_TIMEOUT"] = secondsRoundedUp(o.readTimeoutMs);
    opts["OPT_RECONNECT"] = false;  // a silent reconnect would lose the session and a transaction
    opts["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
    // Affected rows count matched rows, as on SQLite: "UPDATE ... WHERE claimable" returns 1
    // even when no column value changed.
    opts["CLIENT_FOUND_ROWS"] = true;
    try {
        conn_.reset(driver()->connect(opts));
        plain(
            "SET SESSION time_zone = '+00:00', "
            "sql_mode = "
            "'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ENGINE_SUBSTITUTION,ERROR_FOR_DIVISION_BY_ZERO'");
        // The statement form: MariaDB before 11.1 has no transaction_isolation variable.
        plain("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
    } catch (const sql::SQLException& e) {
        throw Error(Error::Kind::Unavailable, e.getErrorCode(),
                    "cannot reach the database at " + o.host + ":" + std::to_string(o.port) +
                        " (mysql, database '" + o.name + "'): " + e.what());
    } catch (const Error& e) {
        throw Error(Error::Kind::Unavailable, e.nativeCode(),
                    "cannot set up the session at " + o.host + ":" + std::to_string(o.port) + ": " +
                        e.what());
    }
}

MysqlConnection::~MysqlConnection() {
    cache_.clear();
    try {
        if (conn_)
            conn_->close();
    } catch (const sql::SQLException&) {
        // Closing a lost connection fails; there is nothing left to release.
    }
}

void MysqlConnection::fail(const sql::SQLException& e, const std::string& what) {
    const int code = e.getErrorCode();
    Error::Kind kind = classify(code);
    bool lost = isConnectionLoss(code) || kind == Error::Kind::Unavailable;
    try {
        lost = lost || !conn_ || conn_->isClosed();
    } catch (...) {
        lost = true;
    }
    if (lost) {
        broken_ = true;
        if (kind == Error::Kind::Other)
            kind = Error::Kind::Transient;
    }
    throw Error(kind, code, what + ": " + e.what() + " (error " + std::to_string(code) + ")");
}

sql::PreparedStatement& MysqlConnection::prepare(const std::string& text, const Params& params) {
    auto it = cache_.find(text);
    if (it == cache_.end()) {
        try {
            it =
                cache_
                    .emplace(text,
                             std::unique_ptr<sql::PreparedStatement>(conn_->prepareStatement(text)))
                    .first;
        } catch (const sql::SQLException& e) {
            fail(e, "cannot prepare [" + text + "]");
        }
    }
    sql::PreparedStatement& ps = *it->second;
    try {
        ps.clearParameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Value& v = params[i];
            const unsigned idx = static_cast<unsigned>(i + 1);
            switch (v.type()) {
                case Value::Type::Null:
                    ps.setNull(idx, sql::DataType::VARCHAR);
                    break;
                case Value::Type::Integer:
                    ps.setInt64(idx, v.asInt());
                    break;
                case Value::Type::Real:
                    ps.setDouble(idx, v.asReal());
                    break;
                case Value::Type::Text:
                    ps.setString(idx, sql::SQLString(v.asText()));
                    break;
            }
        }
    } catch (const sql::SQLException& e) {
        fail(e, "cannot bind the parameters of [" + text + "]");
    }
    return ps;
}

Result MysqlConnection::query(const std::string& text, const Params& params) {
    sql::PreparedStatement& ps = prepare(text, params);
    Result result;
    try {
        std::unique_ptr<sql::ResultSet> rs(ps.executeQuery());
        sql::ResultSetMetaData* meta = rs->getMetaData();
        const unsigned n = meta->getColumnCount();
        auto columns = std::make_shared<std::vector<std::string>>();
        std::vector<int> types;
        for (unsigned i = 1; i <= n; ++i) {
            columns->push_back(meta->getColumnLabel(i).asStdString());
            types.push_back(meta->getColumnType(i));
        }
        while (rs->next()) {
            std::vector<Value> values;
            values.reserve(n);
            for (unsigned i = 1; i <= n; ++i) {
                if (rs->isNull(i)) {
                    values.emplace_back();
                    continue;
                }
                switch (types[i - 1]) {
                    case sql::DataType::BIT:
                    case sql::DataType::TINYINT:
                    case sql::DataType::SMALLINT:
                    case sql::DataType::MEDIUMINT:
                    case sql::DataType::INTEGER:
                    case sql::DataType::BIGINT:
                        values.emplace_back(static_cast<long long>(rs->getInt64(i)));
                        break;
                    case sql::DataType::REAL:
                    case sql::DataType::DOUBLE:
                        values.emplace_back(static_cast<double>(rs->getDouble(i)));
                        break;
                    default:
                        values.emplace_back(rs->getString(i).asStdString());
                }
            }
            result.rows.emplace_back(columns, std::move(values));
        }
    } catch (const sql::SQLException& e) {
        fail(e, "[" + text + "] failed");
    }
    return result;
}

std::uint64_t MysqlConnection::execute(const std::string& text, const Params& params) {
    sql::PreparedStatement& ps = prepare(text, params);
    try {
        return static_cast<std::uint64_t>(ps.executeUpdate());
    } catch (const sql::SQLException& e) {
        fail(e, "[" + text + "] failed");
    }
}

std::int64_t MysqlConnection::lastInsertId() {
    return query("SELECT LAST_INSERT_ID() AS id", {}).rows.at(0).at(0).asInt();
}

void MysqlConnection::plain(const std::string& text) {
    try {
        std::unique_ptr<sql::Statement> st(conn_->createStatement());
        st->execute(sql::SQLString(text));
    } catch (const sql::SQLException& e) {
        fail(e, "[" + text.substr(0, 120) + "] failed");
    }
}

void MysqlConnection::executeScript(const std::string& script) {
    for (const auto& statement : splitSqlStatements(script))
        plain(statement);
}

void MysqlConnection::begin() {
    plain("START TRANSACTION");
}
void MysqlConnection::commit() {
    plain("COMMIT");
}
void MysqlConnection::rollback() {
    plain("ROLLBACK");
}

std::vector<std::string> splitSqlStatements(const std::string& s) {
    std::vector<std::string> out;
    std::string current;
    std::string delimiter = ";";
    char quote = 0;
    bool lineStart = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        // As the mysql client does: "DELIMITER $$" on a line of its own changes the statement
        // terminator, so that a trigger body may hold ';'.
        if (!quote && lineStart && s.compare(i, 10, "DELIMITER ") == 0) {
            auto eol = s.find('\n', i);
            if (eol == std::string::npos) eol = s.size();
            delimiter = s.substr(i + 10, eol - i - 10);
            while (!delimiter.empty() && (delimiter.back() == '\r' || delimiter.back() == ' ')) delimiter.pop_back();
            if (delimiter.empty()) delimiter = ";";
            i = eol;
            lineStart = true;
            continue;
        }
        lineStart = c == '\n';
        if (quote) {
            current += c;
            if (c == '\\' && i + 1 < s.size())
                current += s[++i];
            else if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            quote = c;
            current += c;
        } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
            while (i < s.size() && s[i] != '\n')
                ++i;
            current += '\n';
            lineStart = true;
        } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            auto end = s.find("*/", i + 2);
            i = end == std::string::npos ? s.size() : end + 1;
            current += ' ';
        } else if (s.compare(i, delimiter.size(), delimiter) == 0) {
            if (current.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(current);
            current.clear();
            i += delimiter.size() - 1;
        } else {
            current += c;
        }
    }
    if (current.find_first_not_of(" \t\r\n") != std::string::npos)
        out.push_back(current);
    return out;
}

}  // namespace relais::db
