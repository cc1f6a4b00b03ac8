#include "web/WebFrontEnd.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "relais/Problem.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "relais/http/Route.h"

namespace fs = std::filesystem;

namespace relais {

namespace {

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string typeOf(const std::string& name) {
    const auto dot = name.rfind('.');
    const std::string ext = dot == std::string::npos ? "" : name.substr(dot + 1);
    if (ext == "js") return "text/javascript; charset=utf-8";
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "woff2") return "font/woff2";
    if (ext == "json") return "application/json";
    if (ext == "map") return "application/json";
    return "application/octet-stream";
}

// No inline script or style, nothing from another origin, no framing.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

bool acceptsGzip(const http::Request& req) {
    return req.header("Accept-Encoding").find("gzip") != std::string::npos;
}

}  // namespace

WebFrontEnd::WebFrontEnd(const std::string& dir, Poco::Logger& logger) {
    const fs::path root(dir);
    if (!fs::is_regular_file(root / "index.html") || !fs::is_regular_file(root / "pages.json")) {
        logger.warning("no web front end in %s (build it with the CMake target relais_web); "
                       "this node serves the API only",
                       dir);
        return;
    }
    Poco::JSON::Parser parser;
    auto pages = parser.parse(readFile(root / "pages.json")).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < pages->size(); ++i) pages_.push_back(pages->getElement<std::string>(i));
    for (const auto& entry : fs::directory_iterator(root / "assets")) {
        if (!entry.is_regular_file()) continue;
        const std::string name = entry.path().filename().string();
        if (name.size() > 3 && name.compare(name.size() - 3, 3, ".gz") == 0) continue;
        Asset asset{typeOf(name), readFile(entry.path()), {}};
        const fs::path gz = entry.path().string() + ".gz";
        if (fs::is_regular_file(gz)) asset.gzip = readFile(gz);
        assets_.emplace(name, std::move(asset));
    }
    shell_ = readFile(root / "index.html");
    logger.information("web front end: %z pages, %z files from %s", pages_.size(), assets_.size(), dir);
}

void WebFrontEnd::sendShell(http::Response& res, int status) const {
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Content-Security-Policy", kContentSecurityPolicy);
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.send(status, "text/html; charset=utf-8", shell_);
}

std::function<void(http::Request&, http::Response&)> WebFrontEnd::notFoundPage() const {
    if (!loaded()) return {};
    return [this](http::Request&, http::Response& res) { sendShell(res, 404); };
}

void WebFrontEnd::registerWith(http::RouteRegistry& routes) const {
    if (!loaded()) return;
    // Pages answer on any host: the front end asks /api/v1/site what this host is, and shows
    // a page for an unknown or suspended organisation rather than a JSON error.
    for (const auto& pattern : pages_) {
        http::Route page("GET", pattern, [this](http::Request&, http::Response& res) { sendShell(res, 200); },
                         http::Scope::Anywhere);
        page.capability = true;  // no session is read for a static page
        routes.add(std::move(page));
    }
    http::Route asset("GET", "/assets/{name}",
                      [this](http::Request& req, http::Response& res) {
                          const auto it = assets_.find(req.param("name"));
                          if (it == assets_.end()) throw Problem::notFound("No such file.");
                          const Asset& a = it->second;
                          res.setHeader("Cache-Control", "public, max-age=31536000, immutable");
                          res.setHeader("Vary", "Accept-Encoding");
                          if (!a.gzip.empty() && acceptsGzip(req)) {
                              res.setHeader("Content-Encoding", "gzip");
                              res.send(200, a.type, a.gzip);
                          } else {
                              res.send(200, a.type, a.body);
                          }
                      },
                      http::Scope::Anywhere);
    asset.capability = true;
    routes.add(std::move(asset));
}

}  // namespace relais
