#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "relais/Database.h"

namespace relais::db {

/// The pool behind Database, whatever the driver: at most poolSize connections, made lazily by
/// the factory; broken ones are discarded. Transactions are retried here, in one place.
class PooledDatabase final : public Database {
public:
    using Factory = std::function<std::unique_ptr<Connection>()>;
    PooledDatabase(Dialect dialect, std::string description, Factory factory,
                   const DatabaseOptions& options);
    ~PooledDatabase() override;

    Dialect dialect() const override { return dialect_; }
    std::string describe() const override { return description_; }
    Lease acquire() override;
    bool ping() override;

protected:
    void runTransaction(const std::function<void(Connection&)>& fn) override;
    void release(std::unique_ptr<Connection> conn) override;

private:
    Dialect dialect_;
    std::string description_;
    Factory factory_;
    DatabaseOptions options_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> idle_;
    int open_ = 0;  // connections made and not yet discarded, idle or leased
    std::mutex healthMutex_;
    std::unique_ptr<Connection> healthConn_;  // outside the pool: health stays true under load
};

}  // namespace relais::db
