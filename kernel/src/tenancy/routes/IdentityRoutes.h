#pragma once

namespace relais {

class TenancySubsystem;
namespace http {
class RouteRegistry;
}

/// Login, logout, the caller's own account (/me: profile, password, sessions, second factor),
/// API keys, invitations and password resets. On the platform host and on tenant hosts.
class IdentityRoutes {
public:
    explicit IdentityRoutes(TenancySubsystem& tenancy) : t_(tenancy) {}
    void registerWith(http::RouteRegistry& routes);

private:
    TenancySubsystem& t_;
};

}  // namespace relais
