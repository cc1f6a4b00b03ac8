#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "relais/http/Route.h"

namespace relais::http {

/// The outcome of matching a request to the routes.
struct RouteMatch {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    /// When no route matched this method but some matched the path: their methods (for 405).
    std::set<std::string> allowed;
};

/// Maps (method, path) to a route. Routes are added during registration, then the router is
/// frozen and read without locks. Among the routes matching a path, the one whose first
/// differing segment is literal wins; HEAD falls back to GET.
class Router final : public RouteRegistry {
public:
    void add(Route route) override;
    /// After freeze(), add() throws and match() may be called from any thread.
    void freeze();
    /// `segments` are the percent-decoded path segments.
    RouteMatch match(const std::string& method, const std::vector<std::string>& segments) const;
    /// The route patterns, for the log; "GET /healthz" per line.
    std::vector<std::string> describe() const;
    /// Every route, in registration order (tests walk them).
    std::vector<Route> routes() const;

private:
    struct Compiled {
        Route route;
        std::vector<std::string> segments;  // "{name}" for a parameter
        std::vector<bool> isParam;
    };
    std::mutex mutex_;
    bool frozen_ = false;
    std::vector<Compiled> routes_;
};

/// Whether a parameter's value must be hidden in logs (token, *token, *key, *secret).
bool isSecretParameter(const std::string& name);

}  // namespace relais::http
