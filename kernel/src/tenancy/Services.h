#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tenancy/IpRange.h"

namespace Poco {
class Logger;
}

namespace relais {

class Config;
class Directory;
class EncryptedFileStore;
class Journal;
class JobScheduler;
class KeyStore;
class Mailer;
class PlanCatalog;
class SessionStore;
class TenantData;
class TenancyStore;
class Throttle;
class UserStore;
namespace db {
class Database;
}

/// Settings of tenancy and authentication, read once from the configuration.
struct TenancySettings {
    std::string platformDomain;
    std::string publicUrl;
    /// Where links point when there is no request to take them from (command line, jobs):
    /// http.public_url, else http(s)://<platform.domain>:<http.port>.
    std::string defaultBase;
    std::vector<IpRange> trustedProxies;
    std::int64_t sessionIdleMs = 3600000;
    std::int64_t cacheTtlMs = 1000;
    std::int64_t sessionMaxMs = 43200000;
    int lockoutThreshold = 5;
    int lockoutIpThreshold = 30;
    std::int64_t lockoutMaxMs = 900000;
    std::int64_t invitationTtlMs = 7LL * 24 * 3600 * 1000;
    std::int64_t resetTtlMs = 3600000;
    std::string trialReseller;
    std::string trialPlan = "essai";
    int trialDays = 30;
    std::int64_t exportWindowMs = 30LL * 24 * 3600 * 1000;
    std::string operatorEmail;
    std::int64_t importMaxBytes = 1 << 20;
};

/// What the tenancy and identity classes share: the stores, the kernel services, the settings.
/// Everything referenced lives as long as the runtime.
struct TenancyServices {
    db::Database& db;
    TenancyStore& tenancy;
    UserStore& users;
    SessionStore& sessions;
    Directory& directory;
    const PlanCatalog& plans;
    Throttle& throttle;
    Journal& journal;
    Mailer& mail;
    EncryptedFileStore& files;
    KeyStore& keys;
    Poco::Logger& log;
    const TenancySettings& settings;
    /// What the modules keep per tenant (export, usage); filled once the plugins registered.
    const std::vector<std::shared_ptr<TenantData>>& tenantData;
};

}  // namespace relais
