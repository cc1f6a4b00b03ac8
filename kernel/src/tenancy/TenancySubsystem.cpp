#include "tenancy/TenancySubsystem.h"

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <set>

#include "audit/ChainedJournal.h"
#include "auth/LoginService.h"
#include "auth/SessionStore.h"
#include "auth/Throttle.h"
#include "http/Dispatcher.h"
#include "relais/Config.h"
#include "relais/Database.h"
#include "relais/Jobs.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "tenancy/AccessControl.h"
#include "tenancy/Directory.h"
#include "tenancy/Lifecycle.h"
#include "tenancy/PlanCatalog.h"
#include "relais/Time.h"
#include "tenancy/Provisioning.h"
#include "tenancy/SelfService.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/TenantExport.h"
#include "tenancy/UserStore.h"
#include "tenancy/routes/AdminRoutes.h"
#include "tenancy/routes/IdentityRoutes.h"
#include "tenancy/routes/PlatformRoutes.h"

namespace relais {

namespace {

TenancySettings readSettings(const Config& c) {
    TenancySettings s;
    s.platformDomain = c.getString("platform.domain");
    s.publicUrl = c.getString("http.public_url");
    // With port 0 (any free port) the real one is known once listening (setListeningPort).
    const std::int64_t port = c.getInt("http.port");
    s.defaultBase = s.publicUrl.empty() ? std::string(c.getBool("tls.enabled") ? "https" : "http") + "://" +
                                              s.platformDomain + (port ? ":" + std::to_string(port) : "")
                                        : s.publicUrl;
    for (const auto& text : c.getList("http.trusted_proxies")) {
        auto range = IpRange::parse(text);
        if (!range)
            throw ConfigError(c.sourceOf("http.trusted_proxies") + ": http.trusted_proxies: '" + text +
                              "' is not an address or CIDR range");
        s.trustedProxies.push_back(*range);
    }
    s.sessionIdleMs = c.getInt("auth.session_idle_ms");
    s.cacheTtlMs = c.getInt("tenancy.cache_ttl_ms");
    s.sessionMaxMs = c.getInt("auth.session_max_ms");
    s.lockoutThreshold = static_cast<int>(c.getInt("auth.lockout_threshold"));
    s.lockoutIpThreshold = static_cast<int>(c.getInt("auth.lockout_ip_threshold"));
    s.lockoutMaxMs = c.getInt("auth.lockout_max_ms");
    s.invitationTtlMs = c.getInt("auth.invitation_ttl_ms");
    s.resetTtlMs = c.getInt("auth.reset_ttl_ms");
    s.trialReseller = c.getString("tenancy.trial_reseller");
    s.trialPlan = c.getString("tenancy.trial_plan");
    s.trialDays = static_cast<int>(c.getInt("tenancy.trial_days"));
    s.exportWindowMs = c.getInt("tenancy.export_window_ms");
    s.operatorEmail = c.getString("tenancy.operator_email");
    s.importMaxBytes = c.getInt("tenancy.import_max_bytes");
    return s;
}

}  // namespace

TenancySubsystem::TenancySubsystem(const Config& config, db::Database& db, ChainedJournal& journal, Mailer& mail,
                                   EncryptedFileStore& files, KeyStore& keys, std::map<std::string, std::string> modules,
                                   const std::vector<std::shared_ptr<TenantData>>& tenantData)
    : settings_(readSettings(config)), modules_(std::move(modules)) {
    plans_ = std::make_unique<PlanCatalog>(PlanCatalog::load(config.getString("tenancy.plans_file")));
    if (!plans_->find(settings_.trialPlan))
        throw ConfigError(config.sourceOf("tenancy.trial_plan") + ": tenancy.trial_plan: no plan '" +
                          settings_.trialPlan + "' in " + config.getString("tenancy.plans_file"));
    purgeIntervalMs_ = config.getInt("tenancy.purge_interval_ms");
    tenancy_ = std::make_unique<TenancyStore>(db);
    users_ = std::make_unique<UserStore>(db);
    sessions_ = std::make_unique<SessionStore>(db);
    throttle_ = std::make_unique<Throttle>(db, settings_.lockoutMaxMs);
    std::set<std::string> loaded;
    for (const auto& [name, version] : modules_) loaded.insert(name);
    directory_ = std::make_unique<Directory>(*tenancy_, *users_, *sessions_, *plans_, settings_.platformDomain, loaded,
                                             settings_.sessionIdleMs, settings_.cacheTtlMs);
    services_.reset(new TenancyServices{db, *tenancy_, *users_, *sessions_, *directory_, *plans_, *throttle_, journal,
                                        mail, files, keys, Poco::Logger::get("relais.tenancy"), settings_, tenantData});
    logins_ = std::make_unique<LoginService>(*services_);
    provisioning_ = std::make_unique<Provisioning>(*services_, *logins_);
    lifecycle_ = std::make_unique<Lifecycle>(*services_, journal);
    export_ = std::make_unique<TenantExport>(*services_);
    access_ = std::make_unique<AccessControl>(*services_);
}

TenancySubsystem::~TenancySubsystem() = default;

void TenancySubsystem::setListeningPort(std::uint16_t port, bool tls) {
    if (settings_.publicUrl.empty())
        settings_.defaultBase = std::string(tls ? "https" : "http") + "://" + settings_.platformDomain + ":" +
                                std::to_string(port);
}

void TenancySubsystem::registerWith(http::RouteRegistry& routes, http::Dispatcher& dispatcher, JobScheduler& jobs) {
    AccessControl& access = *access_;
    dispatcher.addMiddleware(http::order::kTenant, "tenant",
                             [&access](http::Request& req, http::Response& res, const http::Next& next) {
                                 access.resolveTenant(req, res, next);
                             });
    dispatcher.addMiddleware(http::order::kAuthentication, "authentication",
                             [&access](http::Request& req, http::Response& res, const http::Next& next) {
                                 access.authenticate(req, res, next);
                             });
    dispatcher.setModuleGate(
        [&access](const http::Request& req, const std::string& module) { return access.moduleAllowed(req, module); });
    IdentityRoutes(*this).registerWith(routes);
    PlatformRoutes(*this).registerWith(routes);
    AdminRoutes(*this).registerWith(routes);
    lifecycle_->registerJobs(jobs, purgeIntervalMs_);
    // Expired secrets do not linger: sessions, links, lockout counts, unconfirmed sign-ups.
    jobs.addPeriodic("tenancy.cleanup", purgeIntervalMs_, [this](JobContext&) {
        const std::int64_t now = nowMs();
        sessions_->removeExpired(now, settings_.sessionIdleMs);
        users_->removeStaleTokens(now);
        throttle_->removeStale(now);
        SelfService(*services_, *provisioning_).removeStaleSignups(now);
    });
}

bool TenancySubsystem::hasOperator() { return !users_->operators().empty(); }

}  // namespace relais
