#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "tenancy/Services.h"

namespace Poco {
class Logger;
}

namespace relais {

class AccessControl;
class ChainedJournal;
class Config;
class LoginService;
class Lifecycle;
class Provisioning;
class TenantExport;
namespace http {
class Dispatcher;
class RouteRegistry;
}  // namespace http

/// Tenancy and identity, assembled: the stores, the caches, the services, the middleware, the
/// routes and the jobs. The runtime makes one after opening the database and registers it
/// before the plugins.
class TenancySubsystem {
public:
    /// Reads the settings and the plan catalogue (std::runtime_error naming the file when it
    /// is wrong). `modules` are the loaded plugins, by name, with their versions.
    /// `tenantData` is filled later, when the plugins register.
    TenancySubsystem(const Config& config, db::Database& db, ChainedJournal& journal, Mailer& mail,
                     EncryptedFileStore& files, KeyStore& keys, std::map<std::string, std::string> modules,
                     const std::vector<std::shared_ptr<TenantData>>& tenantData);
    ~TenancySubsystem();

    /// The access middleware, the module gate, the routes of identity, of the platform and of
    /// tenant administration, and the lifecycle jobs.
    void registerWith(http::RouteRegistry& routes, http::Dispatcher& dispatcher, JobScheduler& jobs);

    TenancyServices& services() { return *services_; }
    const TenancySettings& settings() const { return settings_; }
    Provisioning& provisioning() { return *provisioning_; }
    LoginService& logins() { return *logins_; }
    Lifecycle& lifecycle() { return *lifecycle_; }
    TenantExport& exports() { return *export_; }
    AccessControl& access() { return *access_; }
    /// Loaded modules, by name, with their versions.
    const std::map<std::string, std::string>& modules() const { return modules_; }
    /// Links built without a request (jobs, command line) use the port the server listens on,
    /// when http.public_url is not set. Call before serving.
    void setListeningPort(std::uint16_t port, bool tls);
    /// Whether any platform operator exists (relaisd says how to create one otherwise).
    bool hasOperator();

private:
    TenancySettings settings_;
    std::map<std::string, std::string> modules_;
    std::unique_ptr<PlanCatalog> plans_;
    std::unique_ptr<TenancyStore> tenancy_;
    std::unique_ptr<UserStore> users_;
    std::unique_ptr<SessionStore> sessions_;
    std::unique_ptr<Throttle> throttle_;
    std::unique_ptr<Directory> directory_;
    std::unique_ptr<TenancyServices> services_;
    std::unique_ptr<LoginService> logins_;
    std::unique_ptr<Provisioning> provisioning_;
    std::unique_ptr<Lifecycle> lifecycle_;
    std::unique_ptr<TenantExport> export_;
    std::unique_ptr<AccessControl> access_;
    std::int64_t purgeIntervalMs_ = 0;
};

}  // namespace relais
