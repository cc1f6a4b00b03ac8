#include "audit/ChainedJournal.h"

#include <stdexcept>

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include "relais/Database.h"
#include "relais/Events.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Json.h"

namespace relais {

namespace {

const std::string kGenesis(64, '0');

void field(std::string& out, const std::string& value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += '|';
}

StoredJournalEntry fromRow(const db::Row& r) {
    StoredJournalEntry s;
    s.id = r.getInt("id");
    s.seq = r.getInt("seq");
    s.atMs = r.getInt("at");
    const std::string chain = r.getString("chain");
    s.entry.tenantId = chain.rfind("t:", 0) == 0 ? chain.substr(2) : std::string();
    s.entry.actor = {r.getString("actor_type"), r.getString("actor_id"),
                     r.getString("actor_email")};
    s.entry.action = r.getString("action");
    s.entry.objectType = r.getString("object_type");
    s.entry.objectId = r.getString("object_id");
    s.entry.ip = r.getString("ip");
    s.entry.details = r.getString("details");
    return s;
}

const char* kColumns =
    "id, chain, seq, at, actor_type, actor_id, actor_email, action, object_type, object_id, ip,"
    " details, prev_hash, hash";

}  // namespace

ChainedJournal::ChainedJournal(db::Database& database, EventBus& events, std::string key,
                               Poco::Logger& log)
    : db_(database), events_(events), key_(std::move(key)), log_(log) {}

std::int64_t ChainedJournal::purgeChain(db::Connection& tx, const std::string& tenantId) {
    if (tenantId.empty()) throw std::logic_error("the platform's chain is never purged");
    const std::string chain = chainOf(tenantId);
    if (tx.query("SELECT chain FROM journal_purges WHERE chain = ?", {chain}).empty())
        tx.execute("INSERT INTO journal_purges (chain) VALUES (?)", {chain});
    const auto n = tx.execute("DELETE FROM journal WHERE chain = ?", {chain});
    tx.execute("DELETE FROM journal_heads WHERE chain = ?", {chain});
    // The mark goes too: it names the tenant, and the platform chain records the purge.
    tx.execute("DELETE FROM journal_purges WHERE chain = ?", {chain});
    return static_cast<std::int64_t>(n);
}

std::string ChainedJournal::chainOf(const std::string& tenantId) {
    return tenantId.empty() ? "platform" : "t:" + tenantId;
}

std::string ChainedJournal::entryHash(const std::string& chain, std::int64_t seq, std::int64_t atMs,
                                      const JournalEntry& e, const std::string& prevHash) const {
    std::string c;
    field(c, "relais-journal-v1");
    field(c, chain);
    field(c, std::to_string(seq));
    field(c, std::to_string(atMs));
    field(c, e.actor.type);
    field(c, e.actor.id);
    field(c, e.actor.email);
    field(c, e.action);
    field(c, e.objectType);
    field(c, e.objectId);
    field(c, e.ip);
    field(c, e.details);
    field(c, prevHash);
    return toHex(hmacSha256(key_, c));
}

std::string ChainedJournal::headMac(const std::string& chain, std::int64_t seq,
                                    const std::string& hash) const {
    std::string c;
    field(c, "relais-journal-head-v1");
    field(c, chain);
    field(c, std::to_string(seq));
    field(c, hash);
    return toHex(hmacSha256(key_, c));
}

std::int64_t ChainedJournal::append(db::Connection& tx, const JournalEntry& input) {
    JournalEntry e = input;
    if (e.details.empty())
        e.details = "{}";
    if (e.action.empty())
        throw std::invalid_argument("a journal entry needs an action");
    const std::string chain = chainOf(e.tenantId);
    const bool mysql = tx.dialect() == db::Dialect::MySQL;
    tx.execute(std::string(mysql ? "INSERT IGNORE" : "INSERT OR IGNORE") +
                   " INTO journal_heads (chain, seq, hash, mac) VALUES (?, 0, ?, ?)",
               {chain, kGenesis, headMac(chain, 0, kGenesis)});
    auto head = tx.query(std::string("SELECT seq, hash, mac FROM journal_heads WHERE chain = ?") +
                             (mysql ? " FOR UPDATE" : ""),
                         {chain});
    const std::int64_t prevSeq = head.at(0).getInt("seq");
    const std::string prevHash = head.at(0).getString("hash");
    if (!constantTimeEquals(head.at(0).getString("mac"), headMac(chain, prevSeq, prevHash))) {
        log_.critical("journal chain %s: its head was tampered with; appending anyway", chain);
    }
    const std::int64_t seq = prevSeq + 1;
    const std::int64_t at = nowMs();
    const std::string hash = entryHash(chain, seq, at, e, prevHash);
    tx.execute(
        "INSERT INTO journal (chain, seq, at, actor_type, actor_id, actor_email, action,"
        " object_type, object_id, ip, details, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {chain, seq, at, e.actor.type, e.actor.id, e.actor.email, e.action, e.objectType,
         e.objectId, e.ip, e.details, prevHash, hash});
    const std::int64_t id = tx.lastInsertId();
    tx.execute("UPDATE journal_heads SET seq = ?, hash = ?, mac = ? WHERE chain = ?",
               {seq, hash, headMac(chain, seq, hash), chain});

    Poco::JSON::Object payload;
    payload.set("id", id);
    payload.set("action", e.action);
    payload.set("object_type", e.objectType);
    payload.set("object_id", e.objectId);
    payload.set("actor_id", e.actor.id);
    Event event{"journal.appended", e.tenantId, http::toJson(payload), at};
    tx.afterCommit([this, event] { events_.publish(event); });
    return id;
}

std::int64_t ChainedJournal::append(const JournalEntry& entry) {
    return db_.transaction([&](db::Connection& c) { return append(c, entry); });
}

JournalVerification ChainedJournal::verify(const std::string& tenantId) {
    const std::string chain = chainOf(tenantId);
    JournalVerification v;
    std::int64_t expected = 1;
    std::string prevHash = kGenesis;
    auto bad = [&](std::int64_t id, std::int64_t seq, const char* problem) {
        v.ok = false;
        v.firstBadEntryId = id;
        v.firstBadSeq = seq;
        v.problem = problem;
        log_.warning("journal chain %s: entry %s (seq %s) is %s", chain, std::to_string(id),
                     std::to_string(seq), std::string(problem));
        return v;
    };
    std::int64_t afterSeq = 0;
    for (;;) {
        const auto page =
            db_.query(std::string("SELECT ") + kColumns +
                          " FROM journal WHERE chain = ? AND seq > ? ORDER BY seq LIMIT 1000",
                      {chain, afterSeq});
        if (page.empty())
            break;
        for (std::size_t i = 0; i < page.size(); ++i) {
            const db::Row& r = page[i];
            const StoredJournalEntry s = fromRow(r);
            ++v.entriesChecked;
            if (s.seq != expected)
                return bad(s.id, expected, "missing");
            const std::string stored = r.getString("hash");
            const std::string linked = r.getString("prev_hash");
            if (!constantTimeEquals(stored, entryHash(chain, s.seq, s.atMs, s.entry, linked)) ||
                linked != prevHash) {
                // A forged row between two genuine ones: the next one still links past it.
                std::string nextPrev;
                if (i + 1 < page.size())
                    nextPrev = page[i + 1].getString("prev_hash");
                else {
                    auto next = db_.query(
                        "SELECT prev_hash FROM journal WHERE chain = ? AND seq > ?"
                        " ORDER BY seq LIMIT 1",
                        {chain, s.seq});
                    if (!next.empty())
                        nextPrev = next[0].getString("prev_hash");
                }
                return bad(s.id, s.seq,
                           !nextPrev.empty() && nextPrev == prevHash ? "inserted" : "altered");
            }
            prevHash = stored;
            ++expected;
            afterSeq = s.seq;
        }
    }
    const auto head =
        db_.query("SELECT seq, hash, mac FROM journal_heads WHERE chain = ?", {chain});
    if (!head.empty()) {
        const std::int64_t headSeq = head[0].getInt("seq");
        const std::string headHash = head[0].getString("hash");
        if (!constantTimeEquals(head[0].getString("mac"), headMac(chain, headSeq, headHash)))
            return bad(0, headSeq, "altered");
        if (headSeq >= expected)
            return bad(0, expected, "missing");
        if (headHash != prevHash)
            return bad(0, expected - 1, "altered");
    } else if (v.entriesChecked > 0) {
        return bad(0, expected, "missing");
    }
    return v;
}

std::vector<StoredJournalEntry> ChainedJournal::list(const JournalQuery& q) {
    std::string sql =
        std::string("SELECT ") + kColumns + " FROM journal WHERE chain = ? AND id > ?";
    db::Params params{chainOf(q.tenantId), q.afterId};
    if (q.fromMs > 0) {
        sql += " AND at >= ?";
        params.emplace_back(q.fromMs);
    }
    if (q.toMs > 0) {
        sql += " AND at < ?";
        params.emplace_back(q.toMs);
    }
    if (!q.action.empty()) {
        if (q.action.back() == '.') {
            sql += " AND action LIKE ?";
            std::string escaped;
            for (char c : q.action) {
                if (c == '%' || c == '_' || c == '!')
                    escaped += '!';
                escaped += c;
            }
            params.emplace_back(escaped + "%");
            sql += " ESCAPE '!'";
        } else {
            sql += " AND action = ?";
            params.emplace_back(q.action);
        }
    }
    if (!q.actorId.empty()) {
        sql += " AND actor_id = ?";
        params.emplace_back(q.actorId);
    }
    if (!q.actorEmail.empty()) {
        sql += " AND actor_email = ?";
        params.emplace_back(q.actorEmail);
    }
    sql += " ORDER BY id LIMIT ?";
    params.emplace_back(std::max(1, std::min(q.limit, 1000)));
    std::vector<StoredJournalEntry> out;
    for (const auto& r : db_.query(sql, params))
        out.push_back(fromRow(r));
    return out;
}

}  // namespace relais
