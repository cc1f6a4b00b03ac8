#include "tenancy/Lifecycle.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include "audit/ChainedJournal.h"
#include "auth/SessionStore.h"
#include "auth/Throttle.h"
#include "crypto/Ed25519.h"
#include "crypto/KeyStore.h"
#include "relais/Database.h"
#include "relais/Jobs.h"
#include "relais/Journal.h"
#include "relais/Mail.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Json.h"
#include "storage/EncryptedFileStore.h"
#include "tenancy/Directory.h"
#include "tenancy/Links.h"
#include "tenancy/Mails.h"
#include "tenancy/TenantRows.h"
#include "tenancy/UserStore.h"

namespace relais {

namespace {

Problem invalidState(const Tenant& t, const std::string& what) {
    return Problem(409, "invalid_state", "A " + t.state + " organisation cannot be " + what + ".");
}

std::string stateDetails(const std::string& from, const std::string& to, const std::string& reason = {}) {
    Poco::JSON::Object d;
    d.set("from", from);
    d.set("to", to);
    if (!reason.empty()) d.set("reason", reason);
    return http::toJson(d);
}

}  // namespace

Tenant Lifecycle::load(db::Connection& tx, const std::string& tenantId) {
    return s_.tenancy.existingTenant(tx, tenantId);
}

void Lifecycle::suspendIn(db::Connection& tx, Tenant& t, const std::string& reason, bool withReseller,
                          const Actor& actor) {
    const std::string from = t.state;
    t.stateBeforeSuspension = t.state;
    t.state = "suspended";
    t.suspendedReason = reason;
    t.suspendedWithReseller = withReseller;
    s_.tenancy.updateTenant(tx, t);
    journal(tx, t.id, actor, "tenant.suspended", "tenant", t.id, stateDetails(from, t.state, reason));
    journal(tx, "", actor, "tenant.suspended", "tenant", t.id, stateDetails(from, t.state, reason));
}

void Lifecycle::resumeIn(db::Connection& tx, Tenant& t, const Actor& actor) {
    std::string to = t.stateBeforeSuspension.empty() ? "active" : t.stateBeforeSuspension;
    // A trial whose end has passed comes back as a paying tenant: resuming it is the
    // reseller's decision to keep it.
    if (to == "trial" && t.trialEndsAtMs != 0 && t.trialEndsAtMs <= nowMs()) to = "active";
    if (to == "active") t.trialEndsAtMs = 0;
    t.state = to;
    t.stateBeforeSuspension.clear();
    t.suspendedReason.clear();
    t.suspendedWithReseller = false;
    s_.tenancy.updateTenant(tx, t);
    journal(tx, t.id, actor, "tenant.resumed", "tenant", t.id, stateDetails("suspended", to));
    journal(tx, "", actor, "tenant.resumed", "tenant", t.id, stateDetails("suspended", to));
}

Tenant Lifecycle::suspendTenant(const std::string& tenantId, const std::string& reason, const Actor& actor) {
    Tenant t;
    s_.db.transaction([&](db::Connection& tx) {
        t = load(tx, tenantId);
        if (t.state == "suspended") {
            // Already down with its reseller: this suspension is the tenant's own, and outlives
            // the reseller's.
            if (t.suspendedWithReseller) {
                t.suspendedWithReseller = false;
                t.suspendedReason = reason;
                s_.tenancy.updateTenant(tx, t);
                journal(tx, t.id, actor, "tenant.suspended", "tenant", t.id, stateDetails("suspended", "suspended", reason));
                journal(tx, "", actor, "tenant.suspended", "tenant", t.id, stateDetails("suspended", "suspended", reason));
            }
            return;
        }
        if (t.state != "trial" && t.state != "active") throw invalidState(t, "suspended");
        suspendIn(tx, t, reason, false, actor);
    });
    s_.directory.invalidate();
    return t;
}

Tenant Lifecycle::resumeTenant(const std::string& tenantId, const Actor& actor) {
    Tenant t;
    s_.db.transaction([&](db::Connection& tx) {
        t = load(tx, tenantId);
        if (t.state == "active" || t.state == "trial") return;
        if (t.state != "suspended") throw invalidState(t, "resumed");
        auto reseller = tx.query("SELECT state FROM resellers WHERE id = ?", {t.resellerId});
        if (!reseller.empty() && reseller[0].getString("state") == "suspended")
            throw Problem(409, "reseller_suspended", "The organisation's reseller is suspended; resume it first.");
        resumeIn(tx, t, actor);
    });
    s_.directory.invalidate();
    return t;
}

Tenant Lifecycle::activateTenant(const std::string& tenantId, const Actor& actor) {
    Tenant t;
    s_.db.transaction([&](db::Connection& tx) {
        t = load(tx, tenantId);
        if (t.state == "active") return;
        if (t.state != "trial") throw invalidState(t, "activated");
        t.state = "active";
        t.trialEndsAtMs = 0;
        s_.tenancy.updateTenant(tx, t);
        journal(tx, t.id, actor, "tenant.activated", "tenant", t.id, stateDetails("trial", "active"));
        journal(tx, "", actor, "tenant.activated", "tenant", t.id, stateDetails("trial", "active"));
    });
    s_.directory.invalidate();
    return t;
}

Tenant Lifecycle::terminateTenant(const std::string& tenantId, const Actor& actor) {
    Tenant t;
    s_.db.transaction([&](db::Connection& tx) {
        t = load(tx, tenantId);
        if (t.state == "terminated") return;
        if (t.state != "trial" && t.state != "active" && t.state != "suspended") throw invalidState(t, "terminated");
        const std::string from = t.state;
        t.state = "terminated";
        t.stateBeforeSuspension.clear();
        t.suspendedWithReseller = false;
        t.terminatedAtMs = nowMs();
        t.exportUntilMs = t.terminatedAtMs + s_.settings.exportWindowMs;
        s_.tenancy.updateTenant(tx, t);
        // Only the tenant's admins may still come in, for the export.
        for (const auto& u : tx.query("SELECT id FROM users WHERE tenant_id = ? AND role <> 'tenant_admin'", {t.id}))
            s_.sessions.removeAllOf(tx, u.getString("id"));
        Poco::JSON::Object d;
        d.set("from", from);
        d.set("export_until", formatRfc3339(t.exportUntilMs));
        journal(tx, t.id, actor, "tenant.terminated", "tenant", t.id, http::toJson(d));
        journal(tx, "", actor, "tenant.terminated", "tenant", t.id, http::toJson(d));
        const std::string link = linkBase(s_.settings, t.slug) + "/api/v1/admin/export";
        for (const auto& u : tx.query("SELECT email FROM users WHERE tenant_id = ? AND role = 'tenant_admin'"
                                      " AND state = 'active'",
                                      {t.id}))
        {
            MailMessage m = mails::terminated(u.getString("email"), t.name, link, formatParisDate(t.exportUntilMs));
            m.tenantId = t.id;
            s_.mail.enqueue(tx, m);
        }
    });
    s_.directory.invalidate();
    return t;
}

Reseller Lifecycle::suspendReseller(const std::string& resellerId, const std::string& reason, const Actor& actor) {
    Reseller r;
    s_.db.transaction([&](db::Connection& tx) {
        auto rows = tx.query("SELECT id FROM resellers WHERE id = ?", {resellerId});
        if (rows.empty()) throw Problem::notFound("No such reseller.");
        r = *s_.tenancy.reseller(resellerId);
        if (r.state == "suspended") return;
        r.state = "suspended";
        r.suspendedReason = reason;
        s_.tenancy.updateReseller(tx, r);
        int cascaded = 0;
        for (const auto& id : s_.tenancy.tenantIdsOfReseller(tx, r.id)) {
            Tenant t = load(tx, id);
            if (t.state != "trial" && t.state != "active") continue;
            suspendIn(tx, t, "reseller_suspended", true, actor);
            ++cascaded;
        }
        Poco::JSON::Object d;
        d.set("reason", reason);
        d.set("tenants_suspended", cascaded);
        journal(tx, "", actor, "reseller.suspended", "reseller", r.id, http::toJson(d));
    });
    s_.directory.invalidate();
    return r;
}

Reseller Lifecycle::resumeReseller(const std::string& resellerId, const Actor& actor) {
    Reseller r;
    s_.db.transaction([&](db::Connection& tx) {
        if (tx.query("SELECT id FROM resellers WHERE id = ?", {resellerId}).empty())
            throw Problem::notFound("No such reseller.");
        r = *s_.tenancy.reseller(resellerId);
        if (r.state == "active") return;
        r.state = "active";
        r.suspendedReason.clear();
        s_.tenancy.updateReseller(tx, r);
        int resumed = 0;
        for (const auto& id : s_.tenancy.tenantIdsOfReseller(tx, r.id)) {
            Tenant t = load(tx, id);
            if (t.state != "suspended" || !t.suspendedWithReseller) continue;
            resumeIn(tx, t, actor);
            ++resumed;
        }
        Poco::JSON::Object d;
        d.set("tenants_resumed", resumed);
        journal(tx, "", actor, "reseller.resumed", "reseller", r.id, http::toJson(d));
    });
    s_.directory.invalidate();
    return r;
}

int Lifecycle::expireTrials() {
    int n = 0;
    const Actor system;
    for (const auto& id : s_.tenancy.tenantsDue("trial", "trial_ends_at", nowMs())) {
        s_.db.transaction([&](db::Connection& tx) {
            Tenant t = load(tx, id);
            if (t.state != "trial" || t.trialEndsAtMs == 0 || t.trialEndsAtMs > nowMs()) return;
            suspendIn(tx, t, "trial_ended", false, system);
            for (const auto& u : tx.query("SELECT email FROM users WHERE tenant_id = ? AND role = 'tenant_admin'"
                                          " AND state = 'active'",
                                          {t.id}))
            {
                MailMessage m = mails::trialEnded(u.getString("email"), t.name, formatParisDate(t.trialEndsAtMs));
                m.tenantId = t.id;
                s_.mail.enqueue(tx, m);
            }
            ++n;
        });
    }
    if (n) s_.directory.invalidate();
    return n;
}

int Lifecycle::purgeDue() {
    int n = 0;
    for (const auto& id : s_.tenancy.tenantsDue("terminated", "export_until", nowMs())) {
        try {
            purge(id, Actor{});
            ++n;
        } catch (const std::exception& e) {
            // The next run tries again; the others go on.
            s_.log.error("the purge of tenant %s failed: %s", id, std::string(e.what()));
        }
    }
    return n;
}

DeletionCertificate Lifecycle::purge(const std::string& tenantId, const Actor& actor) {
    auto before = s_.tenancy.tenant(tenantId);
    if (!before) throw Problem::notFound("No such organisation.");
    if (before->state != "terminated")
        throw Problem(409, "invalid_state", "Only a terminated organisation can be purged.");
    std::int64_t files = 0;
    for (std::string after;;) {
        auto page = s_.files.listFiles(tenantId, after, 1000);
        if (page.empty()) break;
        files += static_cast<std::int64_t>(page.size());
        after = page.back().id;
    }
    const std::int64_t bytes = s_.files.usage(tenantId).usedBytes;
    // Keys, file rows and blobs first: once this returns, the data is unreadable. A crash
    // after it leaves a terminated tenant without files, which the next run purges.
    s_.files.purgeTenant(tenantId);

    // Made (on first use) before the transaction: on SQLite a second writer would wait for it.
    const Ed25519 signer(s_.keys.platformKey("certificates"));
    DeletionCertificate cert;
    s_.db.transaction([&](db::Connection& tx) {
        Tenant t = load(tx, tenantId);
        auto reseller = tx.query("SELECT name FROM resellers WHERE id = ?", {t.resellerId});
        const auto rows = TenantRows::deleteAll(tx, tenantId);
        const std::int64_t journalEntries = chains_.purgeChain(tx, tenantId);
        s_.throttle.forgetScope(tx, tenantId);  // its keys name the tenant and its users' e-mails
        std::int64_t rowCount = 0;
        Poco::JSON::Object tables;
        for (const auto& [table, count] : rows) {
            tables.set(table, count);
            rowCount += count;
        }
        cert.id = randomId("dc");
        cert.tenantId = tenantId;
        cert.createdAtMs = nowMs();

        Poco::JSON::Object d;
        d.set("certificate_id", cert.id);
        d.set("files", files);
        d.set("bytes", bytes);
        const std::int64_t entryId =
            journalAs(s_.journal, tx, "", actor, "tenant.purged", "tenant", tenantId, http::toJson(d));

        Poco::JSON::Object doc, tenant, resellerObj, deleted;
        doc.set("type", "relais.deletion_certificate");
        doc.set("version", 1);
        doc.set("certificate_id", cert.id);
        doc.set("issuer", s_.settings.platformDomain);
        tenant.set("id", t.id);
        tenant.set("slug", t.slug);
        tenant.set("name", t.name);
        tenant.set("siren", t.siren);
        doc.set("tenant", tenant);
        resellerObj.set("id", t.resellerId);
        resellerObj.set("name", reseller.empty() ? std::string() : reseller[0].getString("name"));
        doc.set("reseller", resellerObj);
        doc.set("terminated_at", formatRfc3339(t.terminatedAtMs));
        doc.set("export_until", formatRfc3339(t.exportUntilMs));
        doc.set("purged_at", formatRfc3339(cert.createdAtMs));
        deleted.set("files", files);
        deleted.set("bytes", bytes);
        deleted.set("tenant_keys", "destroyed");
        deleted.set("journal_entries", journalEntries);
        deleted.set("rows", rowCount);
        deleted.set("tables", tables);
        doc.set("deleted", deleted);
        doc.set("platform_journal_entry", entryId);
        doc.set("signature_algorithm", "Ed25519");
        cert.document = http::toJson(doc);
        cert.signature = toHex(signer.sign(cert.document));
        tx.execute("INSERT INTO deletion_certificates (id, tenant_id, document, signature, created_at)"
                   " VALUES (?, ?, ?, ?, ?)",
                   {cert.id, cert.tenantId, cert.document, cert.signature, cert.createdAtMs});
        s_.tenancy.bumpEpoch(tx);
    });
    s_.directory.invalidate();
    s_.log.notice("tenant %s purged; deletion certificate %s", tenantId, cert.id);
    return cert;
}

std::string Lifecycle::certificateKey() {
    return toHex(Ed25519(s_.keys.platformKey("certificates")).publicKey());
}

std::optional<DeletionCertificate> Lifecycle::certificateOfTenant(const std::string& tenantId) {
    auto rows = s_.db.query("SELECT * FROM deletion_certificates WHERE tenant_id = ?", {tenantId});
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return DeletionCertificate{r.getString("id"), r.getString("tenant_id"), r.getString("document"),
                               r.getString("signature"), r.getInt("created_at")};
}

void Lifecycle::registerJobs(JobScheduler& jobs, std::int64_t intervalMs) {
    jobs.addPeriodic("tenancy.trials", intervalMs, [this](JobContext&) { expireTrials(); });
    jobs.addPeriodic("tenancy.purge", intervalMs, [this](JobContext&) { purgeDue(); });
}

}  // namespace relais
