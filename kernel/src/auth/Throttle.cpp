#include "auth/Throttle.h"

#include "relais/Database.h"
#include "relais/Problem.h"
#include "relais/Time.h"

namespace relais {

namespace {
constexpr std::int64_t kWindowMs = 15 * 60 * 1000;
}

void Throttle::check(const std::vector<Limit>& limits) {
    const std::int64_t now = nowMs();
    std::int64_t until = 0;
    for (const auto& l : limits) {
        auto rows = db_.query("SELECT blocked_until FROM auth_throttle WHERE throttle_key = ?", {l.key});
        if (!rows.empty()) until = std::max(until, rows[0].getInt("blocked_until"));
    }
    if (until > now) {
        const std::int64_t seconds = (until - now + 999) / 1000;
        throw Problem(429, "too_many_attempts",
                      "Too many failed attempts; try again in " + std::to_string(seconds) + " s.")
            .withHeader("Retry-After", std::to_string(seconds));
    }
}

void Throttle::fail(const std::vector<Limit>& limits) {
    const std::int64_t now = nowMs();
    db_.transaction([&](db::Connection& tx) {
        for (const auto& l : limits) {
            auto rows = tx.query("SELECT failures, last_failure_at FROM auth_throttle WHERE throttle_key = ?", {l.key});
            std::int64_t failures = 1;
            if (!rows.empty() && now - rows[0].getInt("last_failure_at") < kWindowMs)
                failures = rows[0].getInt("failures") + 1;
            std::int64_t blocked = 0;
            if (failures >= l.threshold) {
                const std::int64_t over = std::min<std::int64_t>(failures - l.threshold, 30);
                blocked = now + std::min<std::int64_t>(1000LL << over, maxBlockMs_);
            }
            if (rows.empty())
                tx.execute("INSERT INTO auth_throttle (throttle_key, failures, last_failure_at, blocked_until)"
                           " VALUES (?, ?, ?, ?)",
                           {l.key, failures, now, blocked});
            else
                tx.execute("UPDATE auth_throttle SET failures = ?, last_failure_at = ?, blocked_until = ?"
                           " WHERE throttle_key = ?",
                           {failures, now, blocked, l.key});
        }
    });
}

void Throttle::clear(const std::string& key) { db_.execute("DELETE FROM auth_throttle WHERE throttle_key = ?", {key}); }

}  // namespace relais
