#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "relais/Jobs.h"

namespace Poco {
class Logger;
}

namespace relais {

namespace db {
class Database;
}

struct JobSchedulerOptions {
    std::int64_t pollMs = 1000;
    std::int64_t leaseMs = 60000;
    int threads = 2;
    std::string nodeId;  ///< empty: generated
};

/// The JobScheduler: a scheduler thread claims due work through conditional UPDATEs on the
/// `jobs` and `job_queue` tables (a row is claimed when its lease is free or expired), hands
/// it to worker threads, renews the leases of what runs, and records every outcome. A node
/// that dies stops renewing, its leases expire, and another node takes the work over.
class DatabaseJobScheduler final : public JobScheduler {
public:
    DatabaseJobScheduler(db::Database& database, Poco::Logger& log, JobSchedulerOptions options);
    ~DatabaseJobScheduler() override;

    void addPeriodic(const std::string& name, std::int64_t intervalMs, JobFn fn) override;
    void defineTask(const std::string& kind, JobFn fn, int maxAttempts) override;
    std::int64_t enqueue(db::Connection& tx, const std::string& kind, const std::string& payload,
                         std::int64_t runAtMs) override;
    void trigger(const std::string& name) override;
    std::vector<JobStatus> status() override;

    /// Records the periodic jobs and starts the threads. With `background` false no thread is
    /// started and the caller drives tick() (tests).
    void start(bool background = true);
    /// Stops claiming, tells running jobs to stop, and waits for them. Idempotent.
    void stop();
    /// One scheduling pass: renew leases, claim due work, hand it to workers.
    void tick();
    /// Blocks until no job runs on this node (tests).
    void waitIdle();
    const std::string& nodeId() const { return nodeId_; }

private:
    struct Periodic {
        std::int64_t intervalMs;
        JobFn fn;
    };
    struct Task {
        JobFn fn;
        int maxAttempts;
    };
    void runPeriodic(const std::string& name);
    void runQueued(std::int64_t id, const std::string& kind, const std::string& payload,
                   int attempt, int maxAttempts);
    void submit(std::function<void()> work);
    void renewLeases();
    void loop();
    void worker();

    db::Database& db_;
    Poco::Logger& log_;
    JobSchedulerOptions options_;
    std::string nodeId_;
    std::map<std::string, Periodic> periodic_;
    std::map<std::string, Task> tasks_;

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<std::function<void()>> queue_;
    std::set<std::string> runningPeriodic_;
    std::set<std::int64_t> runningQueued_;
    std::int64_t lastRenewMs_ = 0;
    bool started_ = false;
    bool stop_ = false;
    std::atomic<bool> stopping_{false};
    std::thread scheduler_;
    std::vector<std::thread> workers_;
};

}  // namespace relais
