#include "tenancy/Representations.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "relais/Time.h"
#include "tenancy/PlanCatalog.h"

namespace relais::repr {

namespace {
Poco::Dynamic::Var orNull(const std::string& s) {
    return s.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s);
}
Poco::JSON::Array array(const std::vector<std::string>& items) {
    Poco::JSON::Array a;
    for (const auto& i : items) a.add(i);
    return a;
}
}  // namespace

Poco::Dynamic::Var time(std::int64_t ms) {
    return ms == 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(formatRfc3339(ms));
}

Poco::JSON::Object user(const User& u) {
    Poco::JSON::Object o;
    o.set("id", u.id);
    o.set("email", u.email);
    o.set("name", u.name);
    o.set("role", u.role);
    o.set("state", u.state);
    o.set("tenant_id", orNull(u.tenantId));
    if (!u.resellerId.empty()) o.set("reseller_id", u.resellerId);
    o.set("profile_id", orNull(u.profileId));
    o.set("language", u.language.empty() ? "fr" : u.language);
    o.set("totp_enabled", u.totpEnabled);
    o.set("last_login_at", time(u.lastLoginAtMs));
    o.set("created_at", time(u.createdAtMs));
    o.set("updated_at", time(u.updatedAtMs));
    return o;
}

Poco::JSON::Object profile(const Profile& p) {
    Poco::JSON::Object o;
    o.set("id", p.id);
    o.set("name", p.name);
    o.set("features", array(p.features));
    o.set("allowed_ips", array(p.allowedIps));
    o.set("require_totp", p.requireTotp);
    o.set("created_at", time(p.createdAtMs));
    o.set("updated_at", time(p.updatedAtMs));
    return o;
}

Poco::JSON::Object reseller(const Reseller& r) {
    Poco::JSON::Object o;
    o.set("id", r.id);
    o.set("name", r.name);
    o.set("contact_email", r.contactEmail);
    o.set("state", r.state);
    o.set("suspended_reason", orNull(r.suspendedReason));
    o.set("created_at", time(r.createdAtMs));
    o.set("updated_at", time(r.updatedAtMs));
    return o;
}

Poco::JSON::Object tenant(const Tenant& t, const std::string& platformDomain) {
    Poco::JSON::Object o, contact, modules;
    o.set("id", t.id);
    o.set("slug", t.slug);
    o.set("name", t.name);
    o.set("siren", orNull(t.siren));
    o.set("state", t.state);
    o.set("suspended_reason", orNull(t.suspendedReason));
    o.set("plan", t.planId);
    o.set("reseller_id", t.resellerId);
    o.set("language", t.language);
    std::vector<std::string> hosts{t.slug + "." + platformDomain};
    hosts.insert(hosts.end(), t.hostnames.begin(), t.hostnames.end());
    o.set("hostnames", array(hosts));
    contact.set("name", t.contactName);
    contact.set("email", t.contactEmail);
    contact.set("phone", t.contactPhone);
    contact.set("address", t.address);
    o.set("contact", contact);
    for (const auto& [name, enabled] : t.modules) modules.set(name, enabled);
    o.set("modules", modules);
    o.set("default_expiry_days", t.defaultExpiryDays);
    o.set("max_expiry_days", t.maxExpiryDays);
    o.set("trial_ends_at", time(t.trialEndsAtMs));
    o.set("terminated_at", time(t.terminatedAtMs));
    o.set("export_until", time(t.exportUntilMs));
    o.set("created_at", time(t.createdAtMs));
    o.set("updated_at", time(t.updatedAtMs));
    return o;
}

Poco::JSON::Object plan(const Plan& p, int vatPercent) {
    Poco::JSON::Object o, prices;
    o.set("id", p.id);
    o.set("name", p.name);
    o.set("licences", p.licences);
    o.set("storage_bytes", p.storageBytes);
    o.set("modules", array(p.modules));
    prices.set("currency", "EUR");
    prices.set("vat_percent", vatPercent);
    prices.set("monthly_cents", p.monthlyCents);
    prices.set("annual_cents", p.annualCents);
    prices.set("extra_licence_cents", p.extraLicenceCents);
    prices.set("extra_gb_cents", p.extraGbCents);
    o.set("prices", prices);
    return o;
}

Poco::JSON::Object journalEntry(const StoredJournalEntry& s) {
    const JournalEntry& e = s.entry;
    Poco::JSON::Object o, actor, object;
    o.set("id", std::to_string(s.id));
    o.set("seq", s.seq);
    o.set("at", formatRfc3339(s.atMs));
    actor.set("type", e.actor.type);
    actor.set("id", orNull(e.actor.id));
    actor.set("email", orNull(e.actor.email));
    o.set("actor", actor);
    o.set("action", e.action);
    object.set("type", orNull(e.objectType));
    object.set("id", orNull(e.objectId));
    o.set("object", object);
    o.set("ip", orNull(e.ip));
    try {
        o.set("details", Poco::JSON::Parser().parse(e.details.empty() ? "{}" : e.details));
    } catch (const Poco::Exception&) {
        o.set("details", e.details);
    }
    return o;
}

}  // namespace relais::repr
