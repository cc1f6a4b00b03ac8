#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Connection;
}

/// What a running job knows about itself.
struct JobContext {
    std::string name;     ///< the periodic job's name, or the one-off task's kind
    std::string payload;  ///< a one-off job's payload; empty for periodic jobs
    int attempt = 1;
    /// True once the server is stopping: a long job should return soon.
    std::function<bool()> stopping;
};

/// A job body. Throwing marks the run as failed (a one-off job is then retried with backoff).
using JobFn = std::function<void(JobContext&)>;

/// The record of a job, for the operator: last run, duration and outcome.
struct JobStatus {
    std::string name;
    std::int64_t intervalMs = 0;
    std::int64_t nextRunAtMs = 0;
    std::int64_t lastStartedAtMs = 0;  ///< 0 if never run
    std::int64_t lastDurationMs = 0;
    std::string lastOutcome;  ///< "ok", "failed" or "" if never run
    std::string lastError;
    std::string leaseOwner;  ///< the node running it now, or ""
    std::int64_t runs = 0;
    std::int64_t failures = 0;
};

/// Periodic and one-off jobs, with leases in the database so that exactly one node runs each
/// job at a time, and a dead node's lease expires after jobs.lease_ms. Thread-safe.
class JobScheduler {
public:
    virtual ~JobScheduler() = default;

    /// Registers a periodic job, run every `intervalMs` after the end of its previous run, by
    /// one node at a time. Names are dotted and start with the owner ("mail.send").
    virtual void addPeriodic(const std::string& name, std::int64_t intervalMs, JobFn fn) = 0;
    /// Defines a kind of one-off job, tried up to `maxAttempts` times with exponential backoff.
    virtual void defineTask(const std::string& kind, JobFn fn, int maxAttempts = 5) = 0;
    /// Enqueues a one-off job inside the caller's transaction, to run at or after `runAtMs`
    /// (0: now). Returns its id.
    virtual std::int64_t enqueue(db::Connection& tx, const std::string& kind,
                                 const std::string& payload, std::int64_t runAtMs = 0) = 0;
    /// Asks for a periodic job to run as soon as possible, on whichever node holds its lease.
    virtual void trigger(const std::string& name) = 0;
    /// Every periodic job's record.
    virtual std::vector<JobStatus> status() = 0;
};

}  // namespace relais
