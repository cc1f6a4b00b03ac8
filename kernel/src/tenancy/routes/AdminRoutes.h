#pragma once

namespace relais {

class TenancySubsystem;
namespace http {
class RouteRegistry;
}

/// Tenant administration, on the tenant host, for its `tenant_admin`s: users (and their CSV
/// import), profiles, modules, journal, settings, usage and the complete export.
class AdminRoutes {
public:
    explicit AdminRoutes(TenancySubsystem& tenancy) : t_(tenancy) {}
    void registerWith(http::RouteRegistry& routes);

private:
    TenancySubsystem& t_;
};

}  // namespace relais
