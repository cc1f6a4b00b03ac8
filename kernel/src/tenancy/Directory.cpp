#include "tenancy/Directory.h"

#include "auth/SessionStore.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "tenancy/IpRange.h"
#include "tenancy/PlanCatalog.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/UserStore.h"

namespace relais {

namespace {
constexpr std::int64_t kTouchEveryMs = 60 * 1000;
const std::set<std::string> kAllFeatures = {"send", "upload_requests", "storage", "share_internal", "share_external"};
}  // namespace

Directory::Directory(TenancyStore& tenancy, UserStore& users, SessionStore& sessions, const PlanCatalog& plans,
                     std::string platformDomain, std::set<std::string> loadedModules, std::int64_t sessionIdleMs,
                     std::int64_t cacheTtlMs)
    : tenancy_(tenancy),
      users_(users),
      sessions_(sessions),
      plans_(plans),
      domain_(std::move(platformDomain)),
      loadedModules_(std::move(loadedModules)),
      sessionIdleMs_(sessionIdleMs),
      cacheTtlMs_(cacheTtlMs) {}

void Directory::refresh() {
    const std::int64_t now = nowMs();
    if (now - lastCheckMs_.load(std::memory_order_relaxed) < cacheTtlMs_) return;
    const std::int64_t epoch = tenancy_.epoch();
    lastCheckMs_.store(now, std::memory_order_relaxed);
    std::lock_guard<std::mutex> lock(mutex_);
    if (epoch != epoch_) {
        byHost_.clear();
        byToken_.clear();
        epoch_ = epoch;
    }
}

void Directory::invalidate() {
    std::lock_guard<std::mutex> lock(mutex_);
    byHost_.clear();
    byToken_.clear();
    epoch_ = -1;
    lastCheckMs_.store(0, std::memory_order_relaxed);
}

std::shared_ptr<const TenantContext> Directory::build(const std::string& tenantId) {
    auto t = tenancy_.tenant(tenantId);
    if (!t || t->state == "purged") return nullptr;
    auto ctx = std::make_shared<TenantContext>();
    ctx->id = t->id;
    ctx->slug = t->slug;
    ctx->name = t->name;
    ctx->state = t->state;
    ctx->planId = t->planId;
    ctx->resellerId = t->resellerId;
    ctx->language = t->language;
    ctx->defaultExpiryDays = t->defaultExpiryDays;
    ctx->maxExpiryDays = t->maxExpiryDays;
    if (const Plan* plan = plans_.find(t->planId))
        for (const auto& [module, enabled] : t->modules)
            if (enabled && plan->allows(module) && loadedModules_.count(module)) ctx->modules.insert(module);
    return ctx;
}

std::shared_ptr<const TenantContext> Directory::tenantForHost(const std::string& host) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = byHost_.find(host);
        if (it != byHost_.end()) return it->second;
    }
    std::shared_ptr<const TenantContext> ctx;
    const std::string suffix = "." + domain_;
    if (host.size() > suffix.size() && host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0) {
        const std::string slug = host.substr(0, host.size() - suffix.size());
        if (slug.find('.') == std::string::npos)
            if (auto t = tenancy_.tenantBySlug(slug)) ctx = build(t->id);
    }
    if (!ctx)
        if (auto id = tenancy_.tenantIdByHostname(host)) ctx = build(*id);
    std::lock_guard<std::mutex> lock(mutex_);
    if (byHost_.size() > 10000) byHost_.clear();  // hostile hosts cannot grow the cache for ever
    byHost_[host] = ctx;
    return ctx;
}


std::optional<Authentication> Directory::forUser(const std::string& userId, const std::string& sessionId,
                                                 const std::string& apiKeyId, bool sessionTotpPending) {
    auto user = users_.byIdInAnyScope(userId);
    if (!user || user->state != "active") return std::nullopt;
    std::optional<Profile> profile;
    if (!user->profileId.empty() && !user->tenantId.empty()) profile = users_.profile(user->tenantId, user->profileId);

    auto p = std::make_shared<Principal>();
    p->userId = user->id;
    p->email = user->email;
    p->name = user->name;
    p->role = user->role;
    p->tenantId = user->tenantId;
    p->resellerId = user->resellerId;
    p->profileId = user->profileId;
    p->language = user->language;
    p->totpEnabled = user->totpEnabled;
    p->sessionId = sessionId;
    p->apiKeyId = apiKeyId;
    // Admins and users without a profile have every feature; a profile that no longer exists
    // grants none.
    if (user->role == "tenant_admin" || user->profileId.empty() || user->tenantId.empty())
        p->features = kAllFeatures;
    else if (profile)
        p->features.insert(profile->features.begin(), profile->features.end());
    Authentication auth;
    if (profile) auth.allowedIps = parseRanges(profile->allowedIps);
    // Whatever the credential (a session opened before the profile changed, an API key), a
    // profile that wants a second factor gets it before anything else.
    auth.totpPending = (profile && profile->requireTotp && !user->totpEnabled) || sessionTotpPending;
    p->totpPending = auth.totpPending;
    auth.principal = p;
    return auth;
}

std::optional<Authentication> Directory::authenticate(const std::string& token) {
    const bool session = token.rfind(kSessionTokenPrefix, 0) == 0;
    const bool key = token.rfind(kApiKeyPrefix, 0) == 0;
    if ((!session && !key) || token.size() > 200) return std::nullopt;
    const std::string hash = sha256Hex(token);
    const std::int64_t now = nowMs();
    std::optional<Authentication> cachedAuth;
    std::string touchId;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = byToken_.find(hash);
        if (it != byToken_.end()) {
            CachedAuth& c = it->second;
            const bool expired = session && (c.expiresAtMs <= now || c.lastSeenMs + sessionIdleMs_ <= now);
            if (expired) {
                byToken_.erase(it);
            } else {
                cachedAuth = c.auth;
                if (now - c.lastSeenMs >= kTouchEveryMs) {
                    c.lastSeenMs = now;
                    touchId = session ? c.sessionId : c.apiKeyId;
                }
            }
        }
    }
    if (!cachedAuth) return session ? authenticateSession(hash) : authenticateKey(hash);
    if (!touchId.empty()) {
        try {
            if (session) sessions_.touch(touchId, now);
            else sessions_.touchKey(touchId, now);
        } catch (...) {
            // Activity is best effort; the session stays valid meanwhile.
        }
    }
    return cachedAuth;
}

std::optional<Authentication> Directory::authenticateSession(const std::string& hash) {
    const std::int64_t now = nowMs();
    auto s = sessions_.byId(hash);
    if (!s) return std::nullopt;
    if (s->expiresAtMs <= now || s->lastSeenAtMs + sessionIdleMs_ <= now) {
        sessions_.remove(hash);
        return std::nullopt;
    }
    auto auth = forUser(s->userId, s->id, "", s->totpPending);
    if (!auth) return std::nullopt;
    auth->csrfHash = s->csrfHash;
    sessions_.touch(hash, now);
    std::lock_guard<std::mutex> lock(mutex_);
    if (byToken_.size() > 100000) byToken_.clear();
    byToken_[hash] = CachedAuth{*auth, s->expiresAtMs, now, s->id, ""};
    return auth;
}

std::optional<Authentication> Directory::authenticateKey(const std::string& hash) {
    auto key = sessions_.keyByHash(hash);
    if (!key) return std::nullopt;
    auto auth = forUser(key->second, "", key->first, false);
    if (!auth) return std::nullopt;
    const std::int64_t now = nowMs();
    sessions_.touchKey(key->first, now);
    std::lock_guard<std::mutex> lock(mutex_);
    if (byToken_.size() > 100000) byToken_.clear();
    byToken_[hash] = CachedAuth{*auth, 0, now, "", key->first};
    return auth;
}

}  // namespace relais
