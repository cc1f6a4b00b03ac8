#pragma once

#include <set>
#include <string>
#include <vector>

namespace relais {

/// The tenant a request is for, resolved from its Host header by the kernel.
struct TenantContext {
    std::string id;
    std::string slug;
    std::string name;
    std::string state;  ///< trial, active, suspended, terminated (purged tenants are not found)
    std::string planId;
    std::string resellerId;
    std::string language;  ///< "fr" or "en"
    /// How long links live, set by the tenant admin: the default and the most a sender may ask.
    int defaultExpiryDays = 7;
    int maxExpiryDays = 30;
    /// The modules this tenant may use now: allowed by its plan, enabled by its admin, loaded.
    std::set<std::string> modules;

    bool hasModule(const std::string& module) const { return modules.count(module) > 0; }
};

/// Who makes a request: the user behind a session or an API key.
struct Principal {
    std::string userId;
    std::string email;
    std::string name;
    std::string role;        ///< operator, reseller_admin, tenant_admin, user
    std::string tenantId;    ///< empty for platform users (operators, reseller admins)
    std::string resellerId;  ///< for reseller admins
    std::string profileId;
    std::string sessionId;   ///< the session's id, empty for an API key
    std::string apiKeyId;
    bool viaCookie = false;
    std::string language;      ///< "fr" or "en": the user's mails and pages
    bool totpEnabled = false;  ///< the user has a second factor
    /// A second factor must be set up first: until it is, only /me, the enrolment and logout
    /// answer (403 totp_enrollment_required).
    bool totpPending = false;
    /// The user's profile features (send, upload_requests, storage, share_internal,
    /// share_external, ...); every feature for tenant admins.
    std::set<std::string> features;

    bool isPlatform() const { return tenantId.empty(); }
    bool hasFeature(const std::string& feature) const { return features.count(feature) > 0; }
};

}  // namespace relais
