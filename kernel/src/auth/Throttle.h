#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Database;
}

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
    /// Clears a key (a successful login clears its account, not its address).
    void clear(const std::string& key);

private:
    db::Database& db_;
    std::int64_t maxBlockMs_;
};

}  // namespace relais
