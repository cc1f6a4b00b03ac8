#pragma once

namespace relais {

class TenancySubsystem;
namespace http {
class RouteRegistry;
}

/// The platform host: plans, resellers, tenants and their lifecycle, deletion certificates,
/// the platform journal (operator and reseller admins), and the public trial sign-up and
/// quote requests.
class PlatformRoutes {
public:
    explicit PlatformRoutes(TenancySubsystem& tenancy) : t_(tenancy) {}
    void registerWith(http::RouteRegistry& routes);

private:
    TenancySubsystem& t_;
};

}  // namespace relais
