#pragma once

#include <string>

#include "relais/Journal.h"

namespace Poco {
class Logger;
}

namespace relais {

class EventBus;
namespace db {
class Database;
}

/// The Journal over the `journal` and `journal_heads` tables. Entry n of a chain stores
/// hash_n = HMAC-SHA-256(k, canonical(chain, n, time, fields, hash_{n-1})), k being derived
/// from the master key; the head row stores the chain's last (n, hash_n) with its own MAC.
/// Appends to one chain are serialised by a row lock on its head (SQLite: the write lock).
/// Triggers refuse UPDATE and DELETE on `journal`.
class ChainedJournal final : public Journal {
public:
    ChainedJournal(db::Database& database, EventBus& events, std::string key, Poco::Logger& log);

    std::int64_t append(db::Connection& tx, const JournalEntry& entry) override;
    std::int64_t append(const JournalEntry& entry) override;
    JournalVerification verify(const std::string& tenantId) override;
    std::vector<StoredJournalEntry> list(const JournalQuery& query) override;
    /// Deletes the whole chain of a tenant being purged, inside the purge's transaction: the
    /// chain is first marked in journal_purges, the only case the append-only trigger lets
    /// through, and the mark is removed once the chain is gone. Returns the number of entries
    /// deleted.
    std::int64_t purgeChain(db::Connection& tx, const std::string& tenantId);

    /// "platform" or "t:<tenant id>".
    static std::string chainOf(const std::string& tenantId);

private:
    std::string entryHash(const std::string& chain, std::int64_t seq, std::int64_t atMs,
                          const JournalEntry& e, const std::string& prevHash) const;
    std::string headMac(const std::string& chain, std::int64_t seq, const std::string& hash) const;

    db::Database& db_;
    EventBus& events_;
    std::string key_;
    Poco::Logger& log_;
};

}  // namespace relais
