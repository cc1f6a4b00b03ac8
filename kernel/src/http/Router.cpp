#include "http/Router.h"

#include <algorithm>
#include <stdexcept>

namespace relais::http {

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool validMethod(const std::string& m) {
    if (m.empty() || m.size() > 16)
        return false;
    return std::all_of(m.begin(), m.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

}  // namespace

bool isSecretParameter(const std::string& name) {
    return endsWith(name, "token") || endsWith(name, "key") || endsWith(name, "secret");
}

void Router::add(Route route) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (frozen_)
        throw std::logic_error("routes are added before the server starts: " + route.pattern);
    if (!validMethod(route.method))
        throw std::logic_error("bad method for " + route.pattern);
    if (route.pattern.empty() || route.pattern[0] != '/')
        throw std::logic_error("a route pattern starts with '/': " + route.pattern);
    if (!route.handler)
        throw std::logic_error("a route needs a handler: " + route.pattern);
    Compiled c;
    std::set<std::string> names;
    std::size_t start = 1;
    if (route.pattern != "/") {
        while (start <= route.pattern.size()) {
            std::size_t slash = route.pattern.find('/', start);
            if (slash == std::string::npos)
                slash = route.pattern.size();
            std::string seg = route.pattern.substr(start, slash - start);
            if (seg.empty())
                throw std::logic_error("empty segment in route " + route.pattern);
            bool param = seg.front() == '{' && seg.back() == '}';
            if (param) {
                std::string name = seg.substr(1, seg.size() - 2);
                if (name.empty() || !names.insert(name).second)
                    throw std::logic_error("bad parameter in route " + route.pattern);
                seg = name;
            } else if (seg.find_first_of("{}") != std::string::npos) {
                throw std::logic_error("a parameter is a whole segment: " + route.pattern);
            }
            c.segments.push_back(seg);
            c.isParam.push_back(param);
            start = slash + 1;
        }
    }
    for (const auto& other : routes_)
        if (other.route.method == route.method && other.isParam == c.isParam) {
            bool same = true;
            for (std::size_t i = 0; i < c.segments.size() && same; ++i)
                same = c.isParam[i] || c.segments[i] == other.segments[i];
            if (same)
                throw std::logic_error("route " + route.method + " " + route.pattern +
                                       " is already taken by " + other.route.pattern);
        }
    c.route = std::move(route);
    routes_.push_back(std::move(c));
}

void Router::freeze() {
    std::lock_guard<std::mutex> lock(mutex_);
    frozen_ = true;
    // Literal segments before parameters, segment by segment, so the first match is the best.
    std::stable_sort(routes_.begin(), routes_.end(), [](const Compiled& a, const Compiled& b) {
        const std::size_t n = std::min(a.isParam.size(), b.isParam.size());
        for (std::size_t i = 0; i < n; ++i)
            if (a.isParam[i] != b.isParam[i])
                return !a.isParam[i];
        return false;
    });
}

RouteMatch Router::match(const std::string& method,
                         const std::vector<std::string>& segments) const {
    RouteMatch result;
    const Compiled* fallback = nullptr;  // a GET route for a HEAD request
    std::map<std::string, std::string> fallbackParams;
    for (const auto& c : routes_) {
        if (c.segments.size() != segments.size())
            continue;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i)
            ok = c.isParam[i] ? !segments[i].empty() : c.segments[i] == segments[i];
        if (!ok)
            continue;
        if (c.route.method == method) {
            result.route = &c.route;
            for (std::size_t i = 0; i < segments.size(); ++i)
                if (c.isParam[i])
                    result.params[c.segments[i]] = segments[i];
            return result;
        }
        if (method == "HEAD" && c.route.method == "GET" && !fallback) {
            fallback = &c;
            for (std::size_t i = 0; i < segments.size(); ++i)
                if (c.isParam[i])
                    fallbackParams[c.segments[i]] = segments[i];
        }
        result.allowed.insert(c.route.method);
    }
    if (fallback) {
        result.route = &fallback->route;
        result.params = std::move(fallbackParams);
        result.allowed.clear();
    }
    return result;
}

std::vector<Route> Router::routes() const {
    std::vector<Route> out;
    for (const auto& c : routes_) out.push_back(c.route);
    return out;
}

std::vector<std::string> Router::describe() const {
    std::vector<std::string> out;
    for (const auto& c : routes_)
        out.push_back(c.route.method + " " + c.route.pattern +
                      (c.route.module.empty() ? "" : " [" + c.route.module + "]"));
    return out;
}

}  // namespace relais::http
