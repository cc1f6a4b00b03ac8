#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Connection;
class Database;
}  // namespace db

/// Lockout and rate limit for guessable secrets (passwords, second factors, recovery codes,
/// link passwords), per key: "acct:<scope>:<email>", "ip:<address>"... in the database, so
/// every node sees the same counts. After `threshold` failures within 15 minutes, each further
/// failure doubles a wait (1 s, 2 s, 4 s... up to `maxBlockMs`) during which the key is
/// refused with 429 `too_many_attempts` and Retry-After.
class Throttle {
public:
    struct Limit {
        std::string key;
        int threshold;
    };
    Throttle(db::Database& database, std::int64_t maxBlockMs) : db_(database), maxBlockMs_(maxBlockMs) {}

    /// Throws Problem 429 `too_many_attempts` if any key is blocked now.
    void check(const std::vector<Limit>& limits);
    /// Counts a failure against each key.
    void fail(const std::vector<Limit>& limits);
    /// check() and fail() in one transaction, before the secret is checked: every attempt
    /// counts at once, so that guesses sent in parallel cannot all pass the check while the
    /// first ones are still being verified. The caller then calls succeeded() or undo().
    void attempt(const std::vector<Limit>& limits);
    /// The attempt was right: clears the first key (the account) and takes the attempt back
    /// from the others (the address).
    void succeeded(const std::vector<Limit>& limits);
    /// Takes the attempt back from every key (it was not a guess: a second factor was asked
    /// for, or access was refused for another reason).
    void undo(const std::vector<Limit>& limits);
    /// Clears a key.
    void clear(const std::string& key);
    /// Deletes counts older than the 15-minute window whose block has ended.
    std::uint64_t removeStale(std::int64_t nowMs);
    /// Forgets every per-account key of a scope (a purged tenant), inside `tx`.
    void forgetScope(db::Connection& tx, const std::string& scope);

private:
    void count(db::Connection& tx, const std::vector<Limit>& limits, std::int64_t now);
    void ensureRows(db::Connection& tx, const std::vector<Limit>& limits);
    db::Database& db_;
    std::int64_t maxBlockMs_;
};

}  // namespace relais
