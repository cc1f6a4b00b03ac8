#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace relais {

namespace db {
class Connection;
}

/// Who did something.
struct JournalActor {
    std::string type;  ///< "operator", "reseller_admin", "tenant_admin", "user", "guest", "system"
    std::string id;
    std::string email;
};

/// One entry of the journal. `details` is a JSON object, without secrets.
struct JournalEntry {
    std::string tenantId;  ///< empty: the platform's chain
    JournalActor actor;
    std::string action;  ///< dotted: "auth.login", "transfer.created"
    std::string objectType;
    std::string objectId;
    std::string ip;
    std::string details = "{}";
};

/// An entry as stored.
struct StoredJournalEntry {
    std::int64_t id = 0;
    std::int64_t seq = 0;
    std::int64_t atMs = 0;
    JournalEntry entry;
};

/// The outcome of verifying one chain.
struct JournalVerification {
    bool ok = true;
    std::int64_t entriesChecked = 0;
    /// The first entry that was altered or inserted; for a missing entry, the entry found where
    /// it should have been (0 when entries are missing at the end of the chain).
    std::int64_t firstBadEntryId = 0;
    std::int64_t firstBadSeq = 0;
    std::string problem;  ///< "altered", "inserted", "missing" or "" when ok
};

/// Filters for reading a chain; empty fields do not filter.
struct JournalQuery {
    std::string tenantId;
    std::int64_t fromMs = 0;
    std::int64_t toMs = 0;
    std::string action;  ///< exact, or a prefix ending in '.' ("auth.")
    std::string actorId;
    std::string actorEmail;
    std::int64_t afterId = 0;  ///< pagination: entries with a larger id
    int limit = 50;
};

/// The append-only journal: one hash chain per tenant and one for the platform. Each entry
/// carries HMAC-SHA-256(previous hash, its fields) under a key derived from the master key,
/// so that altering, inserting or deleting an entry is detected by verify(). Thread-safe.
class Journal {
public:
    virtual ~Journal() = default;
    /// Appends inside the caller's transaction, so that the entry commits with the action it
    /// records. Returns the entry id. Publishes "journal.appended" once committed.
    virtual std::int64_t append(db::Connection& tx, const JournalEntry& entry) = 0;
    /// Appends in its own transaction.
    virtual std::int64_t append(const JournalEntry& entry) = 0;
    /// Walks the chain of `tenantId` ("" for the platform) from its first entry.
    virtual JournalVerification verify(const std::string& tenantId) = 0;
    /// Entries of one chain, oldest first, filtered.
    virtual std::vector<StoredJournalEntry> list(const JournalQuery& query) = 0;
};

}  // namespace relais
