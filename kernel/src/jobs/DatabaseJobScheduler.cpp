#include "jobs/DatabaseJobScheduler.h"

#include <Poco/Environment.h>
#include <Poco/Logger.h>
#include <Poco/Process.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "relais/Database.h"
#include "relais/Random.h"
#include "relais/Time.h"

namespace relais {

namespace {

std::string clip(const std::string& s, std::size_t max = 1000) {
    return s.size() <= max ? s : s.substr(0, max);
}

std::int64_t backoffMs(int attempt) {
    // 1 s, 4 s, 16 s, ... capped at an hour.
    std::int64_t ms = 1000;
    for (int i = 1; i < attempt && ms < 3600000; ++i)
        ms *= 4;
    return std::min<std::int64_t>(ms, 3600000);
}

}  // namespace

DatabaseJobScheduler::DatabaseJobScheduler(db::Database& database, Poco::Logger& log,
                                           JobSchedulerOptions options)
    : db_(database), log_(log), options_(std::move(options)) {
    nodeId_ = options_.nodeId;
    if (nodeId_.empty())
        nodeId_ = Poco::Environment::nodeName() + "-" + std::to_string(Poco::Process::id()) + "-" +
                  toHex(randomBytes(3));
}

DatabaseJobScheduler::~DatabaseJobScheduler() {
    stop();
}

void DatabaseJobScheduler::addPeriodic(const std::string& name, std::int64_t intervalMs, JobFn fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_)
        throw std::logic_error("periodic jobs are added before start: " + name);
    if (intervalMs <= 0 || name.empty())
        throw std::invalid_argument("bad periodic job " + name);
    if (!periodic_.emplace(name, Periodic{intervalMs, std::move(fn)}).second)
        throw std::logic_error("periodic job added twice: " + name);
}

void DatabaseJobScheduler::defineTask(const std::string& kind, JobFn fn, int maxAttempts) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (started_)
        throw std::logic_error("tasks are defined before start: " + kind);
    if (maxAttempts < 1 || kind.empty())
        throw std::invalid_argument("bad task " + kind);
    if (!tasks_.emplace(kind, Task{std::move(fn), maxAttempts}).second)
        throw std::logic_error("task defined twice: " + kind);
}

std::int64_t DatabaseJobScheduler::enqueue(db::Connection& tx, const std::string& kind,
                                           const std::string& payload, std::int64_t runAtMs) {
    int maxAttempts;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = tasks_.find(kind);
        if (it == tasks_.end())
            throw std::invalid_argument("no task of kind " + kind);
        maxAttempts = it->second.maxAttempts;
    }
    const std::int64_t now = nowMs();
    tx.execute(
        "INSERT INTO job_queue (kind, payload, state, run_at, attempts, max_attempts, created_at)"
        " VALUES (?, ?, 'pending', ?, 0, ?, ?)",
        {kind, payload, runAtMs > 0 ? runAtMs : now, maxAttempts, now});
    const std::int64_t id = tx.lastInsertId();
    wake_.notify_all();
    return id;
}

void DatabaseJobScheduler::trigger(const std::string& name) {
    db_.execute("UPDATE jobs SET next_run_at = 0 WHERE name = ?", {name});
    wake_.notify_all();
}

std::vector<JobStatus> DatabaseJobScheduler::status() {
    std::vector<JobStatus> out;
    for (const auto& r : db_.query("SELECT name, interval_ms, next_run_at, last_started_at, "
                                   "last_duration_ms, last_outcome,"
                                   " last_error, lease_owner, lease_expires_at, runs, failures "
                                   "FROM jobs ORDER BY name")) {
        JobStatus s;
        s.name = r.getString("name");
        s.intervalMs = r.getInt("interval_ms");
        s.nextRunAtMs = r.getInt("next_run_at");
        s.lastStartedAtMs = r.getInt("last_started_at");
        s.lastDurationMs = r.getInt("last_duration_ms");
        s.lastOutcome = r.getString("last_outcome");
        s.lastError = r.getString("last_error");
        if (r.getInt("lease_expires_at") > nowMs())
            s.leaseOwner = r.getString("lease_owner");
        s.runs = r.getInt("runs");
        s.failures = r.getInt("failures");
        out.push_back(std::move(s));
    }
    return out;
}

void DatabaseJobScheduler::start(bool background) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (started_)
            return;
        started_ = true;
    }
    for (const auto& [name, p] : periodic_) {
        try {
            db_.transaction([&, &name = name, &p = p](db::Connection& c) {
                if (c.execute("UPDATE jobs SET interval_ms = ? WHERE name = ?",
                              {p.intervalMs, name}) == 0)
                    c.execute(
                        "INSERT INTO jobs (name, interval_ms, next_run_at, runs, failures)"
                        " VALUES (?, ?, ?, 0, 0)",
                        {name, p.intervalMs, nowMs()});
            });
        } catch (const db::Error& e) {
            // Another node starting at the same moment inserted it first.
            if (e.kind() != db::Error::Kind::Constraint)
                throw;
        }
    }
    for (int i = 0; i < options_.threads; ++i)
        workers_.emplace_back([this] { worker(); });
    if (background)
        scheduler_ = std::thread([this] { loop(); });
}

void DatabaseJobScheduler::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stop_)
            return;
        stop_ = true;
        stopping_ = true;
    }
    wake_.notify_all();
    if (scheduler_.joinable())
        scheduler_.join();
    for (auto& w : workers_)
        if (w.joinable())
            w.join();
}

void DatabaseJobScheduler::waitIdle() {
    std::unique_lock<std::mutex> lock(mutex_);
    idle_.wait(lock, [this] {
        return queue_.empty() && runningPeriodic_.empty() && runningQueued_.empty();
    });
}

void DatabaseJobScheduler::loop() {
    while (!stopping_) {
        try {
            tick();
        } catch (const std::exception& e) {
            log_.warning("job scheduling pass failed: %s", std::string(e.what()));
        }
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(options_.pollMs), [this] { return stop_; });
    }
}

void DatabaseJobScheduler::worker() {
    for (;;) {
        std::function<void()> work;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
            if (queue_.empty())
                return;  // stopping, nothing left
            work = std::move(queue_.front());
            queue_.pop_front();
        }
        work();
        std::lock_guard<std::mutex> lock(mutex_);
        idle_.notify_all();
    }
}

void DatabaseJobScheduler::submit(std::function<void()> work) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(work));
    wake_.notify_all();
}

void DatabaseJobScheduler::renewLeases() {
    std::set<std::string> names;
    std::set<std::int64_t> ids;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        names = runningPeriodic_;
        ids = runningQueued_;
    }
    const std::int64_t until = nowMs() + options_.leaseMs;
    for (const auto& n : names)
        db_.execute("UPDATE jobs SET lease_expires_at = ? WHERE name = ? AND lease_owner = ?",
                    {until, n, nodeId_});
    for (auto id : ids)
        db_.execute("UPDATE job_queue SET lease_expires_at = ? WHERE id = ? AND lease_owner = ?",
                    {until, id, nodeId_});
}

void DatabaseJobScheduler::tick() {
    if (stopping_)
        return;
    const std::int64_t now = nowMs();
    if (now - lastRenewMs_ >= options_.leaseMs / 3) {
        renewLeases();
        lastRenewMs_ = now;
    }
    std::size_t free;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const std::size_t busy = queue_.size() + runningPeriodic_.size() + runningQueued_.size();
        free = busy >= static_cast<std::size_t>(options_.threads) ? 0 : options_.threads - busy;
    }

    for (const auto& [name, p] : periodic_) {
        if (free == 0 || stopping_)
            return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (runningPeriodic_.count(name))
                continue;
        }
        const std::int64_t t = nowMs();
        const std::uint64_t claimed = db_.execute(
            "UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, last_started_at = ?, "
            "next_run_at = ?"
            " WHERE name = ? AND next_run_at <= ? AND (lease_owner IS NULL OR lease_expires_at < "
            "?)",
            {nodeId_, t + options_.leaseMs, t, t + p.intervalMs, name, t, t});
        if (claimed != 1)
            continue;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            runningPeriodic_.insert(name);
        }
        --free;
        submit([this, name = name] { runPeriodic(name); });
    }

    if (tasks_.empty() || free == 0)
        return;
    // Work whose node died: back to pending (the attempt it used stays counted).
    db_.execute(
        "UPDATE job_queue SET state = 'pending', lease_owner = NULL, lease_expires_at = NULL"
        " WHERE state = 'running' AND lease_expires_at < ?",
        {nowMs()});
    std::string kinds;
    db::Params params{nowMs()};
    for (const auto& [kind, task] : tasks_) {
        kinds += kinds.empty() ? "?" : ", ?";
        params.emplace_back(kind);
    }
    params.emplace_back(static_cast<long long>(free));
    const auto due = db_.query(
        "SELECT id, kind, payload, attempts, max_attempts FROM job_queue"
        " WHERE state = 'pending' AND run_at <= ? AND kind IN (" +
            kinds + ") ORDER BY run_at, id LIMIT ?",
        params);
    for (const auto& row : due) {
        if (stopping_)
            return;
        const std::int64_t id = row.getInt("id");
        const std::int64_t t = nowMs();
        if (db_.execute(
                "UPDATE job_queue SET state = 'running', lease_owner = ?, lease_expires_at = ?,"
                " attempts = attempts + 1, started_at = ? WHERE id = ? AND state = 'pending'",
                {nodeId_, t + options_.leaseMs, t, id}) != 1)
            continue;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            runningQueued_.insert(id);
        }
        submit([this, id, kind = row.getString("kind"), payload = row.getString("payload"),
                attempt = static_cast<int>(row.getInt("attempts")) + 1,
                maxAttempts = static_cast<int>(row.getInt("max_attempts"))] {
            runQueued(id, kind, payload, attempt, maxAttempts);
        });
    }
}

void DatabaseJobScheduler::runPeriodic(const std::string& name) {
    JobContext ctx;
    ctx.name = name;
    ctx.stopping = [this] { return stopping_.load(); };
    const auto& job = periodic_.at(name);
    const std::int64_t started = nowMs();
    std::string error;
    try {
        job.fn(ctx);
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "unknown exception";
    }
    const std::int64_t finished = nowMs();
    if (!error.empty())
        log_.error("job %s failed: %s", name, error);
    try {
        const std::uint64_t n = db_.execute(
            "UPDATE jobs SET lease_owner = NULL, lease_expires_at = NULL, last_finished_at = ?,"
            " last_duration_ms = ?, last_outcome = ?, last_error = ?, runs = runs + 1,"
            " failures = failures + ?, next_run_at = CASE WHEN next_run_at = 0 THEN 0 ELSE ? END"
            " WHERE name = ? AND lease_owner = ?",
            {finished, finished - started, error.empty() ? "ok" : "failed",
             error.empty() ? db::Value() : db::Value(clip(error)), error.empty() ? 0 : 1,
             finished + job.intervalMs, name, nodeId_});
        if (n == 0)
            log_.warning("job %s ran past its lease; another node may have run it too", name);
    } catch (const std::exception& e) {
        log_.error("cannot record the run of job %s: %s", name, std::string(e.what()));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    runningPeriodic_.erase(name);
    idle_.notify_all();
}

void DatabaseJobScheduler::runQueued(std::int64_t id, const std::string& kind,
                                     const std::string& payload, int attempt, int maxAttempts) {
    JobContext ctx;
    ctx.name = kind;
    ctx.payload = payload;
    ctx.attempt = attempt;
    ctx.stopping = [this] { return stopping_.load(); };
    const std::int64_t started = nowMs();
    std::string error;
    try {
        tasks_.at(kind).fn(ctx);
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "unknown exception";
    }
    const std::int64_t finished = nowMs();
    try {
        if (error.empty()) {
            db_.execute(
                "UPDATE job_queue SET state = 'done', lease_owner = NULL, lease_expires_at = NULL,"
                " finished_at = ?, duration_ms = ?, last_error = NULL WHERE id = ? AND lease_owner "
                "= ?",
                {finished, finished - started, id, nodeId_});
        } else if (attempt >= maxAttempts) {
            log_.error("task %s #%s failed for good after %d attempts: %s", kind,
                       std::to_string(id), attempt, error);
            db_.execute(
                "UPDATE job_queue SET state = 'failed', lease_owner = NULL, lease_expires_at = "
                "NULL,"
                " finished_at = ?, duration_ms = ?, last_error = ? WHERE id = ? AND lease_owner = "
                "?",
                {finished, finished - started, clip(error), id, nodeId_});
        } else {
            log_.warning("task %s #%s failed (attempt %d of %d): %s", kind, std::to_string(id),
                         attempt, maxAttempts, error);
            db_.execute(
                "UPDATE job_queue SET state = 'pending', lease_owner = NULL, lease_expires_at = "
                "NULL,"
                " run_at = ?, finished_at = ?, duration_ms = ?, last_error = ?"
                " WHERE id = ? AND lease_owner = ?",
                {finished + backoffMs(attempt), finished, finished - started, clip(error), id,
                 nodeId_});
        }
    } catch (const std::exception& e) {
        log_.error("cannot record the run of task %s #%s: %s", kind, std::to_string(id),
                   std::string(e.what()));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    runningQueued_.erase(id);
    idle_.notify_all();
}

}  // namespace relais
