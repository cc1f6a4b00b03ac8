#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace relais {
class EventBus;
class Journal;
namespace db {
class Connection;
class Database;
class Row;
}  // namespace db
}  // namespace relais

namespace relais::plugins::wesend {

/// One tracking event on a transfer or an upload request, for its owner.
struct TrackEvent {
    std::string tenantId;
    std::string ownerUserId;
    std::string subjectType;  ///< "transfer" or "upload_request"
    std::string subjectId;
    /// created, mail_delivered, link_opened, file_downloaded, file_partially_downloaded,
    /// zip_downloaded, zip_partially_downloaded, deposit_received, expired, revoked, closed
    std::string action;
    std::string recipient;
    std::string ip;
    std::string userAgent;
    std::string fileId;
    std::int64_t bytes = -1;
    /// The journal's actor: "user", "guest" or "system", and who.
    std::string actorType = "guest";
    std::string actorId;
    std::string actorEmail;
};

/// What a counted send or deposit adds to the statistics.
struct FileCount {
    std::string type;
    std::int64_t bytes = 0;
};

/// Records tracking events (table wesend_events, read by the event stream on every node),
/// appends each to the tenant's journal, and keeps the statistics aggregates up to date in the
/// same transaction, so that statistics never need a scan of the events. Thread-safe.
class Tracking {
public:
    Tracking(db::Database& db, Journal& journal, EventBus& events)
        : db_(db), journal_(journal), events_(events) {}

    /// Inside the caller's transaction. Returns the event id. Publishes "wesend.event" after
    /// the commit, which wakes the event streams of this node.
    std::int64_t record(db::Connection& tx, const TrackEvent& event);
    std::int64_t record(const TrackEvent& event);

    void countTransfer(db::Connection& tx, const std::string& tenantId, const std::string& userId,
                       const std::vector<FileCount>& files, std::int64_t atMs);
    void countDownload(db::Connection& tx, const std::string& tenantId, bool counted,
                       std::int64_t bytes, std::int64_t atMs);
    void countDeposit(db::Connection& tx, const std::string& tenantId,
                      const std::vector<FileCount>& files, std::int64_t atMs);

    /// The events of a transfer or request, oldest first (at most 5000), as the API shows
    /// them: [{id, at, action, recipient?, ip?, user_agent?, file_id?, bytes?}].
    static Poco::JSON::Array::Ptr eventsOf(db::Connection& c, const std::string& tenantId,
                                           const std::string& subjectId);
    /// One event row (id, at, action, recipient, ip, user_agent, file_id, bytes) as above.
    static Poco::JSON::Object::Ptr eventJson(const db::Row& row);

    /// "2026-11-26": the UTC day of a time, the key of the aggregates.
    static std::string dayOf(std::int64_t atMs);

private:
    /// What one event adds to the day's row of wesend_stats_daily.
    struct Daily {
        std::int64_t transfers = 0, files = 0, bytesSent = 0, downloads = 0, bytesDownloaded = 0,
                     uploadsReceived = 0;
    };
    void addDaily(db::Connection& tx, const std::string& tenantId, std::int64_t atMs, const Daily& counts);

    db::Database& db_;
    Journal& journal_;
    EventBus& events_;
};

}  // namespace relais::plugins::wesend
