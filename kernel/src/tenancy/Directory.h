#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "relais/Identity.h"
#include "tenancy/IpRange.h"

namespace relais {

class PlanCatalog;
class SessionStore;
class TenancyStore;
class UserStore;
struct Session;
struct User;

/// What a token resolved to.
struct Authentication {
    std::shared_ptr<const Principal> principal;
    std::string csrfHash;      ///< for cookie sessions
    bool totpPending = false;  ///< the profile wants a second factor not set up yet
    std::vector<IpRange> allowedIps;  ///< the profile's, parsed once when cached
};

/// Host → tenant and token → user, cached per node. Every cached entry belongs to one value of
/// the tenancy epoch, which every change of a tenant, a user, a profile or a session bumps:
/// requests read the epoch at most once per `cacheTtlMs` (one indexed read), and drop the
/// caches when another node changed it. A change made here takes effect at once; one made on
/// another node within `cacheTtlMs` (tenancy.cache_ttl_ms). Thread-safe.
class Directory {
public:
    Directory(TenancyStore& tenancy, UserStore& users, SessionStore& sessions, const PlanCatalog& plans,
              std::string platformDomain, std::set<std::string> loadedModules, std::int64_t sessionIdleMs,
              std::int64_t cacheTtlMs);

    /// Reads the epoch (at most once per cacheTtlMs) and drops stale caches. Call once per
    /// request before the lookups. Throws db::Error when the database cannot be read.
    void refresh();
    /// Drops the caches now (after a local change; other nodes see the epoch).
    void invalidate();

    const std::string& platformDomain() const { return domain_; }
    /// The tenant of a host: <slug>.<domain> or a custom hostname; nullptr when none (or purged).
    std::shared_ptr<const TenantContext> tenantForHost(const std::string& host);
    /// A session token ("rls_...") or API key ("rlk_..."): nothing when unknown, expired, or
    /// its user is not active.
    std::optional<Authentication> authenticate(const std::string& token);

private:
    std::shared_ptr<const TenantContext> build(const std::string& tenantId);
    std::optional<Authentication> authenticateSession(const std::string& hash);
    std::optional<Authentication> authenticateKey(const std::string& hash);
    /// The user's principal and what applies to them; `sessionTotpPending`: the session was
    /// opened while a second factor had to be set up.
    std::optional<Authentication> forUser(const std::string& userId, const std::string& sessionId,
                                          const std::string& apiKeyId, bool sessionTotpPending);

    TenancyStore& tenancy_;
    UserStore& users_;
    SessionStore& sessions_;
    const PlanCatalog& plans_;
    std::string domain_;
    std::set<std::string> loadedModules_;
    std::int64_t sessionIdleMs_;
    std::int64_t cacheTtlMs_;
    std::atomic<std::int64_t> lastCheckMs_{0};

    std::mutex mutex_;
    std::int64_t epoch_ = -1;
    std::map<std::string, std::shared_ptr<const TenantContext>> byHost_;
    struct CachedAuth {
        Authentication auth;
        std::int64_t expiresAtMs;   // absolute expiry of the session (0 for keys)
        std::int64_t lastSeenMs;    // as last written
        std::string sessionId;
        std::string apiKeyId;
    };
    std::map<std::string, CachedAuth> byToken_;  // by token hash
};

/// The session-token and API-key prefixes.
constexpr const char* kSessionTokenPrefix = "rls_";
constexpr const char* kApiKeyPrefix = "rlk_";

}  // namespace relais
