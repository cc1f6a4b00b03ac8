#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace Poco {
class Logger;
}

namespace relais {

namespace http {
class RouteRegistry;
class Request;
class Response;
}  // namespace http

/// Serves the browser front ends that the build bundles from web/ (see web/build.mjs):
///  - the page shell (index.html) at every path the front end routes (pages.json), with a
///    Content-Security-Policy that allows no inline script and no framing, and no Referer
///    (links carry their token in the path);
///  - the bundled files at /assets/<name>, whose names change with their content, so they are
///    cached for a year; gzip when the client accepts it.
/// Everything is read once at start-up: the bundle is a few hundred KiB.
class WebFrontEnd {
public:
    /// Reads `dir`; a missing folder leaves a node that serves the API only (and says so).
    WebFrontEnd(const std::string& dir, Poco::Logger& logger);

    void registerWith(http::RouteRegistry& routes) const;
    /// The page shell with status 404, for a browser asking for a path no route serves (the
    /// front end then shows "page not found"); empty when no front end is loaded.
    std::function<void(http::Request&, http::Response&)> notFoundPage() const;
    bool loaded() const { return !shell_.empty(); }

private:
    void sendShell(http::Response& res, int status) const;
    struct Asset {
        std::string type;
        std::string body;
        std::string gzip;  ///< empty when the build wrote no .gz beside it
    };
    std::string shell_;
    std::vector<std::string> pages_;
    std::map<std::string, Asset> assets_;
};

}  // namespace relais
