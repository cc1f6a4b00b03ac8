#include "db/PooledDatabase.h"

#include <chrono>
#include <random>
#include <thread>

namespace relais::db {

PooledDatabase::PooledDatabase(Dialect dialect, std::string description, Factory factory,
                               const DatabaseOptions& options)
    : dialect_(dialect),
      description_(std::move(description)),
      factory_(std::move(factory)),
      options_(options) {}

PooledDatabase::~PooledDatabase() = default;

Database::Lease PooledDatabase::acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.acquireTimeoutMs);
    while (idle_.empty() && open_ >= options_.poolSize) {
        if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
            open_ >= options_.poolSize)
            throw Error(Error::Kind::Unavailable, 0,
                        "no free database connection after " +
                            std::to_string(options_.acquireTimeoutMs) + " ms (" + description_ +
                            ")");
    }
    if (!idle_.empty()) {
        auto conn = std::move(idle_.back());
        idle_.pop_back();
        return Lease(this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(this, factory_());
    } catch (...) {
        lock.lock();
        --open_;
        available_.notify_one();
        throw;
    }
}

void PooledDatabase::release(std::unique_ptr<Connection> conn) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (conn->broken()) {
        --open_;
        conn.reset();
    } else {
        idle_.push_back(std::move(conn));
    }
    available_.notify_one();
}

bool PooledDatabase::ping() {
    std::lock_guard<std::mutex> lock(healthMutex_);
    try {
        if (!healthConn_ || healthConn_->broken()) {
            healthConn_.reset();
            healthConn_ = factory_();
        }
        healthConn_->query("SELECT 1");
        return true;
    } catch (const std::exception&) {
        if (healthConn_ && healthConn_->broken())
            healthConn_.reset();
        return false;
    }
}

void PooledDatabase::runTransaction(const std::function<void(Connection&)>& fn) {
    thread_local std::minstd_rand jitter(std::random_device{}());
    for (int attempt = 0;; ++attempt) {
        std::vector<std::function<void()>> committed;
        try {
            Lease lease = acquire();
            Connection& c = *lease;
            c.takeAfterCommit();
            c.begin();
            try {
                fn(c);
            } catch (...) {
                try {
                    c.rollback();
                } catch (...) {
                    // The original failure matters; a failed rollback on a lost connection
                    // leaves nothing behind, and a broken connection is discarded.
                }
                throw;
            }
            try {
                c.commit();
            } catch (const Error& e) {
                if (c.broken())
                    throw Error(
                        Error::Kind::Unavailable, e.nativeCode(),
                        std::string("connection lost during COMMIT, outcome unknown: ") + e.what());
                throw;
            }
            committed = c.takeAfterCommit();
        } catch (const Error& e) {
            if (e.kind() != Error::Kind::Transient || attempt >= options_.maxRetries)
                throw;
            const int baseMs = 10 << std::min(attempt, 6);
            std::this_thread::sleep_for(
                std::chrono::milliseconds(baseMs + static_cast<int>(jitter() % baseMs)));
            continue;
        }
        // The connection is back in the pool before the callbacks use the database again.
        for (auto& callback : committed)
            callback();
        return;
    }
}

}  // namespace relais::db
