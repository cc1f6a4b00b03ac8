#include "tenancy/routes/RouteSupport.h"

#include "relais/Problem.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "relais/Database.h"
#include "relais/TenantData.h"
#include "storage/EncryptedFileStore.h"
#include "tenancy/PlanCatalog.h"
#include "tenancy/Services.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/UserStore.h"
#include "tenancy/Validation.h"

namespace relais::routes {

void checkTenantOfBody(const Poco::JSON::Object& body, const http::Request& req) {
    if (!body.has("tenant_id") || body.isNull("tenant_id")) return;
    const std::string hostTenant = req.tenant() ? req.tenant()->id : std::string();
    if (body.get("tenant_id").toString() != hostTenant)
        throw Problem(400, "tenant_mismatch", "The body names another organisation than the one of this address.",
                      {{"tenant_id", "does not match the organisation of the host"}});
}

Poco::JSON::Object usageOf(TenancyServices& s, const Tenant& t) {
    const Plan* plan = s.plans.find(t.planId);
    const StorageUsage u = s.files.usage(t.id);
    std::int64_t users = 0;
    s.db.read([&](db::Connection& c) { users = s.users.countLicensed(c, t.id); });
    Poco::JSON::Object o;
    o.set("users", users);
    o.set("licences", plan ? plan->licences : 0);
    o.set("storage_bytes_used", u.usedBytes);
    o.set("storage_bytes_quota", u.quotaBytes < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(u.quotaBytes));
    // Transfers come with the transfer module; until it is there, nothing was sent.
    o.set("transfers_30d", 0);
    o.set("bytes_sent_30d", 0);
    for (const auto& module : s.tenantData)
        for (const auto& [name, value] : module->usage(t.id)) o.set(name, value);
    return o;
}

std::string reasonOf(http::Request& req) {
    if (req.contentLength() == 0) return {};
    auto body = http::readJsonObject(req);
    return field::optionalText(*body, "reason", 500);
}

}  // namespace relais::routes
