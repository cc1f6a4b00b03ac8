#include "auth/Throttle.h"

#include "relais/Database.h"
#include "relais/Problem.h"
#include "relais/Time.h"

namespace relais {

namespace {
constexpr std::int64_t kWindowMs = 15 * 60 * 1000;

Problem tooMany(std::int64_t until, std::int64_t now) {
    const std::int64_t seconds = (until - now + 999) / 1000;
    return Problem(429, "too_many_attempts", "Too many failed attempts; try again in " + std::to_string(seconds) + " s.")
        .withHeader("Retry-After", std::to_string(seconds));
}

const char* lockingRead(db::Connection& tx) {
    return tx.dialect() == db::Dialect::MySQL
               ? "SELECT failures, last_failure_at, blocked_until FROM auth_throttle WHERE throttle_key = ? FOR UPDATE"
               : "SELECT failures, last_failure_at, blocked_until FROM auth_throttle WHERE throttle_key = ?";
}

}  // namespace

void Throttle::check(const std::vector<Limit>& limits) {
    const std::int64_t now = nowMs();
    std::int64_t until = 0;
    for (const auto& l : limits) {
        auto rows = db_.query("SELECT blocked_until FROM auth_throttle WHERE throttle_key = ?", {l.key});
        if (!rows.empty()) until = std::max(until, rows[0].getInt("blocked_until"));
    }
    if (until > now) throw tooMany(until, now);
}

void Throttle::attempt(const std::vector<Limit>& limits) {
    const std::int64_t now = nowMs();
    db_.transaction([&](db::Connection& tx) {
        ensureRows(tx, limits);
        std::int64_t until = 0;
        for (const auto& l : limits) {
            auto rows = tx.query(lockingRead(tx), {l.key});
            if (!rows.empty()) until = std::max(until, rows[0].getInt("blocked_until"));
        }
        if (until > now) throw tooMany(until, now);
        count(tx, limits, now);
    });
}

void Throttle::succeeded(const std::vector<Limit>& limits) {
    if (limits.empty()) return;
    clear(limits[0].key);
    undo(std::vector<Limit>(limits.begin() + 1, limits.end()));
}

void Throttle::undo(const std::vector<Limit>& limits) {
    db_.transaction([&](db::Connection& tx) {
        for (const auto& l : limits) {
            auto rows = tx.query(lockingRead(tx), {l.key});
            if (rows.empty()) continue;
            const std::int64_t failures = std::max<std::int64_t>(0, rows[0].getInt("failures") - 1);
            const std::int64_t blocked = failures >= l.threshold ? rows[0].getInt("blocked_until") : 0;
            if (failures == 0)
                tx.execute("DELETE FROM auth_throttle WHERE throttle_key = ?", {l.key});
            else
                tx.execute("UPDATE auth_throttle SET failures = ?, blocked_until = ? WHERE throttle_key = ?",
                           {failures, blocked, l.key});
        }
    });
}

void Throttle::fail(const std::vector<Limit>& limits) {
    const std::int64_t now = nowMs();
    db_.transaction([&](db::Connection& tx) {
        ensureRows(tx, limits);
        count(tx, limits, now);
    });
}

void Throttle::count(db::Connection& tx, const std::vector<Limit>& limits, std::int64_t now) {
    for (const auto& l : limits) {
        auto rows = tx.query(lockingRead(tx), {l.key});
        std::int64_t failures = 1;
        if (!rows.empty() && now - rows[0].getInt("last_failure_at") < kWindowMs)
            failures = rows[0].getInt("failures") + 1;
        std::int64_t blocked = 0;
        if (failures >= l.threshold) {
            const std::int64_t over = std::min<std::int64_t>(failures - l.threshold, 30);
            blocked = now + std::min<std::int64_t>(1000LL << over, maxBlockMs_);
        }
        tx.execute("UPDATE auth_throttle SET failures = ?, last_failure_at = ?, blocked_until = ? WHERE throttle_key = ?",
                   {failures, now, blocked, l.key});
    }
}

void Throttle::ensureRows(db::Connection& tx, const std::vector<Limit>& limits) {
    // Rows exist before they are read with a lock: two first attempts at once then queue on the
    // row instead of both inserting it.
    const char* insert = tx.dialect() == db::Dialect::MySQL
                             ? "INSERT IGNORE INTO auth_throttle (throttle_key, failures, last_failure_at, blocked_until)"
                               " VALUES (?, 0, 0, 0)"
                             : "INSERT OR IGNORE INTO auth_throttle (throttle_key, failures, last_failure_at, blocked_until)"
                               " VALUES (?, 0, 0, 0)";
    for (const auto& l : limits) tx.execute(insert, {l.key});
}

std::uint64_t Throttle::removeStale(std::int64_t now) {
    return db_.execute("DELETE FROM auth_throttle WHERE last_failure_at < ? AND blocked_until < ?", {now - kWindowMs, now});
}

void Throttle::forgetScope(db::Connection& tx, const std::string& scope) {
    for (const std::string& prefix : {"acct:" + scope + ":", "reset:" + scope + ":"})
        tx.execute("DELETE FROM auth_throttle WHERE SUBSTR(throttle_key, 1, ?) = ?",
                   {static_cast<long long>(prefix.size()), prefix});
}

void Throttle::clear(const std::string& key) { db_.execute("DELETE FROM auth_throttle WHERE throttle_key = ?", {key}); }

}  // namespace relais
