#include "http/Dispatcher.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/String.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>

#include "http/ProblemWriter.h"
#include "http/RequestTarget.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::http {

namespace {

// 128 bits from a per-thread generator seeded by the CSPRNG: unique, cheap, and not a secret.
std::string newRequestId() {
    thread_local std::mt19937_64 generator([] {
        const std::string seed = randomBytes(8);
        std::uint64_t v = 0;
        for (unsigned char c : seed) v = (v << 8) | c;
        return v;
    }());
    static const char kHex[] = "0123456789abcdef";
    std::string id(32, '0');
    for (int half = 0; half < 2; ++half) {
        std::uint64_t v = generator();
        for (int i = 0; i < 16; ++i, v >>= 4) id[half * 16 + i] = kHex[v & 0xF];
    }
    return id;
}

bool acceptableRequestId(const std::string& id) {
    if (id.size() < 8 || id.size() > 64)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

std::string normaliseHost(const std::string& hostHeader) {
    std::string h = Poco::toLower(hostHeader);
    if (!h.empty() && h[0] == '[') {  // [::1]:8080
        auto end = h.find(']');
        return end == std::string::npos ? std::string() : h.substr(0, end + 1);
    }
    auto colon = h.find(':');
    if (colon != std::string::npos)
        h.resize(colon);
    for (char c : h)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return {};
    return h;
}

// Printable text for the log: control characters and quotes never reach it.
std::string sanitiseForLog(const std::string& s, std::size_t max) {
    std::string out;
    for (char c : s.substr(0, max)) {
        unsigned char u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7F || c == '"' || c == '\\') ? '?' : c;
    }
    if (s.size() > max)
        out += "...";
    return out;
}

// RFC 9112 §6: one unambiguous body length, or the request is refused and the connection closed
// (a second reading of the same bytes is how requests are smuggled past proxies).
std::optional<Problem> framingProblem(const Poco::Net::HTTPServerRequest& req) {
    const bool hasLength = req.has("Content-Length");
    const bool hasEncoding = req.has("Transfer-Encoding");
    if (hasLength && hasEncoding)
        return Problem(400, "invalid_framing",
                       "A request has Content-Length or Transfer-Encoding, not both.");
    if (hasEncoding && Poco::toLower(Poco::trim(req.get("Transfer-Encoding"))) != "chunked")
        return Problem(501, "unsupported_transfer_encoding",
                       "Only the chunked transfer coding is accepted.");
    if (hasLength) {
        std::size_t count = 0;
        for (auto it = req.find("Content-Length");
             it != req.end() && Poco::icompare(it->first, "Content-Length") == 0; ++it)
            ++count;
        const std::string& v = req.get("Content-Length");
        if (count != 1 || v.empty() || v.size() > 18 ||
            v.find_first_not_of("0123456789") != std::string::npos)
            return Problem(400, "invalid_content_length",
                           "Content-Length must be one non-negative integer.");
    }
    return std::nullopt;
}

}  // namespace

Dispatcher::Dispatcher(Router& router, Poco::Logger& accessLog, Poco::Logger& errorLog,
                       std::int64_t defaultBodyLimit, bool accessLogEnabled)
    : router_(router),
      accessLog_(accessLog),
      errorLog_(errorLog),
      defaultBodyLimit_(defaultBodyLimit),
      accessLogEnabled_(accessLogEnabled) {
    addMiddleware(order::kModuleGate, "module-gate",
                  [this](Request& req, Response&, const Next& next) {
                      const Route* route = req.route();
                      if (route && !route->module.empty() && gate_ && !gate_(req, route->module))
                          throw Problem(404, "module_disabled",
                                        "The module '" + route->module + "' is not enabled here.");
                      next();
                  });
}

void Dispatcher::addMiddleware(int order, std::string name, Middleware middleware) {
    middleware_.push_back(Entry{order, std::move(name), std::move(middleware)});
    std::stable_sort(middleware_.begin(), middleware_.end(),
                     [](const Entry& a, const Entry& b) { return a.order < b.order; });
}

void Dispatcher::setModuleGate(ModuleGate gate) {
    gate_ = std::move(gate);
}

void Dispatcher::setNotFoundPage(Handler page) {
    notFoundPage_ = std::move(page);
}

void Dispatcher::freeze() {
    router_.freeze();
}

std::string Dispatcher::loggablePath(const Request& request) {
    const Route* route = request.route();
    if (!route)
        return sanitiseForLog(request.path(), 200);
    // Rebuild from the pattern so that secret parameters never reach the log.
    std::string out;
    std::size_t start = 1;
    const std::string& p = route->pattern;
    if (p == "/")
        return "/";
    while (start <= p.size()) {
        std::size_t slash = p.find('/', start);
        if (slash == std::string::npos)
            slash = p.size();
        std::string seg = p.substr(start, slash - start);
        if (seg.size() > 2 && seg.front() == '{') {
            std::string name = seg.substr(1, seg.size() - 2);
            seg = isSecretParameter(name) ? "***" : sanitiseForLog(request.param(name), 100);
        }
        out += "/" + seg;
        start = slash + 1;
    }
    return out;
}

Dispatcher::Outcome Dispatcher::handle(Poco::Net::HTTPServerRequest& preq, BodySource& body,
                                       Poco::Net::HTTPServerResponse& presp, bool secure,
                                       std::function<void(const char*, std::size_t)> rawWriter) {
    bool aborted = false;
    const auto started = std::chrono::steady_clock::now();
    std::string requestId = preq.get("X-Request-Id", "");
    if (!acceptableRequestId(requestId))
        requestId = newRequestId();
    presp.set("X-Request-Id", requestId);
    presp.set("X-Content-Type-Options", "nosniff");
    if (secure)
        presp.set("Strict-Transport-Security", "max-age=31536000");

    RequestTarget target;
    std::string targetError;
    try {
        target = parseRequestTarget(preq.getURI());
    } catch (const Problem& p) {
        targetError = p.detail();
    }
    const std::string hostHeader = preq.get("Host", "");
    Request req(preq, body, requestId, target.path, target.rawQuery, normaliseHost(hostHeader),
                secure);
    Response res(presp);
    if (rawWriter) res.setRawWriter(std::move(rawWriter));
    // A POST may ask to be handled as another method (tus 1.0.0, X-HTTP-Method-Override);
    // only from POST, so that no link or GET can be turned into a change.
    const std::string& methodOverride = preq.get("X-HTTP-Method-Override", "");
    const bool overrideValid = methodOverride.empty() ||
                               (preq.getMethod() == "POST" &&
                                (methodOverride == "PATCH" || methodOverride == "DELETE" ||
                                 methodOverride == "PUT" || methodOverride == "HEAD" ||
                                 methodOverride == "GET" || methodOverride == "OPTIONS"));
    if (overrideValid && !methodOverride.empty())
        req.setMethod(methodOverride);
    if (req.method() == "HEAD")
        res.setHeadOnly();

    bool keepAlive = true;
    const std::optional<Problem> framing = framingProblem(preq);
    if (framing) {
        keepAlive = false;
        res.closeConnection();
    }
    try {
        if (framing)
            throw *framing;
        // RFC 9112 §3.2: an HTTP/1.1 request without Host is refused.
        if (hostHeader.empty() && preq.getVersion() == Poco::Net::HTTPMessage::HTTP_1_1)
            throw Problem::badRequest("missing_host", "An HTTP/1.1 request needs a Host header.");
        if (!targetError.empty())
            throw Problem::badRequest("invalid_path", targetError);
        if (!overrideValid)
            throw Problem::badRequest("invalid_method_override",
                                      "X-HTTP-Method-Override is only honoured on a POST, for "
                                      "PATCH, DELETE, PUT, HEAD, GET or OPTIONS.");
        RouteMatch match = router_.match(req.method(), target.segments);
        std::int64_t limit = defaultBodyLimit_;
        if (match.route && match.route->maxBodyBytes >= 0)
            limit = match.route->maxBodyBytes;
        req.bindRoute(match.route, std::move(match.params), limit);
        if (match.route && req.contentLength() > limit)
            throw Problem(413, "body_too_large",
                          "The body is larger than the " + std::to_string(limit) +
                              " bytes this resource accepts.");

        std::function<void(std::size_t)> run = [&](std::size_t i) {
            if (i < middleware_.size()) {
                middleware_[i].fn(req, res, [&, i] { run(i + 1); });
                return;
            }
            if (match.route) {
                match.route->handler(req, res);
                return;
            }
            if (!match.allowed.empty()) {
                std::string allow;
                for (const auto& m : match.allowed)
                    allow += (allow.empty() ? "" : ", ") + m;
                throw Problem(405, "method_not_allowed",
                              "This resource does not accept " + req.method() + ".")
                    .withHeader("Allow", allow);
            }
            if (notFoundPage_ && (req.method() == "GET" || req.method() == "HEAD") &&
                req.path().rfind("/api/", 0) != 0 &&
                req.header("Accept").find("text/html") != std::string::npos) {
                notFoundPage_(req, res);
                return;
            }
            throw Problem::notFound("No resource at this path.");
        };
        run(0);
        if (!res.committed()) {
            errorLog_.error("request %s: %s %s sent no response", requestId, preq.getMethod(),
                            req.route() ? req.route()->pattern : std::string("?"));
            throw Problem(
                500, "internal_error",
                "An internal error occurred; quote request id " + requestId + " to support.");
        }
    } catch (...) {
        Problem problem = problemFor(std::current_exception(), requestId, errorLog_);
        if (!res.committed()) {
            if (!req.bodyConsumed()) {
                res.closeConnection();
                keepAlive = false;
            }
            try {
                sendProblem(res, problem, requestId);
            } catch (const std::exception&) {
                keepAlive = false;
            }
        } else {
            // Too late for an error body: cut the connection so the client sees a failure
            // rather than a short, seemingly complete response.
            keepAlive = false;
            aborted = true;
            try {
                res.flush();  // what was written goes out before the cut
            } catch (const std::exception&) {
                // The client may be gone already.
            }
            if (res.status() < 400)
                res.setStatus(problem.status());
        }
    }
    if (!req.bodyConsumed() || !res.complete())
        keepAlive = false;

    if (accessLogEnabled_ && accessLog_.information()) {
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count();
        char duration[32];
        std::snprintf(duration, sizeof duration, "%.3f", ms);
        accessLog_.information(requestId + " " + (req.host().empty() ? "-" : req.host()) + " " +
                               sanitiseForLog(req.method(), 16) + " " + loggablePath(req) +
                               " " + std::to_string(res.status()) + " " +
                               std::to_string(res.bytesSent()) + " " + duration + "ms");
    }
    return aborted ? Outcome::Abort : keepAlive ? Outcome::KeepAlive : Outcome::Close;
}

}  // namespace relais::http
