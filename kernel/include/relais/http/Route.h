#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace relais::http {

class Request;
class Response;

using Handler = std::function<void(Request&, Response&)>;
/// Calls the rest of the chain (the next middleware, then the route's handler).
using Next = std::function<void()>;
/// A middleware runs around every request, in ascending order; it may answer (or throw a
/// Problem) instead of calling next().
using Middleware = std::function<void(Request&, Response&, const Next& next)>;

/// Where the kernel's own middleware sit, so that plugins can place theirs between them.
namespace order {
constexpr int kTenant = 200;  ///< resolves the tenant from the Host header
constexpr int kAuthentication = 300;
constexpr int kIpAllowList = 400;
constexpr int kModuleGate = 500;  ///< answers 404 module_disabled for a module's routes
constexpr int kCsrf = 600;
constexpr int kRateLimit = 700;
}  // namespace order

/// Which hosts a route answers on. A tenant-scoped route needs a resolved tenant (it is 404
/// elsewhere); a platform-scoped one only answers on the platform host; `Anywhere` routes
/// (health checks) answer whatever the Host header says, even an unknown one.
enum class Scope { Anywhere, Platform, Tenant, PlatformOrTenant };

/// One route: a method, a path pattern and its handler.
///
/// A pattern is literal segments and `{name}` parameters: "/api/v1/transfers/{id}/files/{file}".
/// A parameter matches one non-empty segment. Literal segments win over parameters. Parameters
/// whose name is `token` or ends in `token`, `key` or `secret` are written `***` in the access log.
struct Route {
    Route() = default;
    Route(std::string method, std::string pattern, Handler handler, Scope scope = Scope::Tenant,
          std::int64_t maxBodyBytes = -1)
        : method(std::move(method)),
          pattern(std::move(pattern)),
          handler(std::move(handler)),
          scope(scope),
          maxBodyBytes(maxBodyBytes) {}

    std::string method;
    std::string pattern;
    Handler handler;
    Scope scope = Scope::Tenant;
    /// The largest body accepted, in bytes; -1 means http.max_body_bytes.
    std::int64_t maxBodyBytes = -1;
    /// The module that owns the route; set by the kernel for plugin routes, empty for its own.
    std::string module;
    /// The route's callers are guests holding a capability (a download link, an upload
    /// request, the bearer token a link's password unlocks): the kernel reads neither the
    /// Authorization header nor the session cookie, and the handler checks the capability.
    bool capability = false;
};

/// Where routes are added, during registration only. Thread-safe; immutable once the server
/// has started.
class RouteRegistry {
public:
    virtual ~RouteRegistry() = default;
    /// Throws std::logic_error for a bad pattern, a duplicate method and pattern, or a call
    /// after start-up.
    virtual void add(Route route) = 0;
};

}  // namespace relais::http
