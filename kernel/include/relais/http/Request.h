#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "relais/Identity.h"

namespace Poco::Net {
class HTTPServerRequest;
}

namespace relais::http {

struct Route;
class BodySource;

/// One HTTP request, as handlers and middleware see it. Used by one thread. Created by the
/// kernel's HTTP core; the body is read through read(), which enforces the route's size limit.
class Request {
public:
    /// Kernel use only: wraps a parsed request whose path was already validated, and the
    /// kernel's decoder of its body.
    Request(Poco::Net::HTTPServerRequest& request, BodySource& body, std::string requestId,
            std::string path, std::string rawQuery, std::string host, bool secure);
    Request(const Request&) = delete;
    Request& operator=(const Request&) = delete;

    /// The method the request is handled as: a POST may carry X-HTTP-Method-Override (tus
    /// clients behind proxies that only pass GET and POST), which the kernel honours.
    const std::string& method() const { return method_; }
    /// The percent-decoded path, without the query string. Never contains NUL.
    const std::string& path() const { return path_; }
    /// The raw query string. It may carry secrets: never log it.
    const std::string& rawQuery() const { return rawQuery_; }
    /// A decoded query parameter, or `def` when absent.
    std::string query(const std::string& name, const std::string& def = {}) const;
    bool hasQuery(const std::string& name) const;

    /// The first value of a header, or "" when absent. Names are case-insensitive.
    const std::string& header(const std::string& name) const;
    bool hasHeader(const std::string& name) const;
    /// A cookie's value, or "" when the request has no cookie of that name.
    std::string cookie(const std::string& name) const;

    /// A path parameter of the matched route (`{id}`). Throws std::logic_error for a name the
    /// route does not have: that is a programming error, not a client error.
    const std::string& param(const std::string& name) const;

    const std::string& requestId() const { return requestId_; }
    /// The client address: the peer, or the forwarded address when the peer is a trusted proxy.
    const std::string& clientIp() const { return clientIp_; }
    void setClientIp(std::string ip) { clientIp_ = std::move(ip); }
    /// The Host header, lower-case, without the port.
    const std::string& host() const { return host_; }
    bool secure() const { return secure_; }

    /// The body's declared length, or -1 for a chunked body.
    std::int64_t contentLength() const { return contentLength_; }
    /// The media type of the body, lower-case, without parameters ("application/json").
    const std::string& mediaType() const { return mediaType_; }

    /// Reads up to `size` body bytes into `buffer`; returns 0 at the end of the body. Throws
    /// Problem 413 `body_too_large` once the body passes the route's limit, and Problem 400
    /// `incomplete_body` if the client stops before the declared length.
    std::size_t read(char* buffer, std::size_t size);
    /// Reads the whole body, which must hold at most `limit` bytes (Problem 413 otherwise).
    std::string readAll(std::size_t limit);
    /// Whether every body byte was consumed (the connection can then be kept alive).
    bool bodyConsumed() const;
    /// Body bytes read so far.
    std::int64_t bodyBytesRead() const { return bodyRead_; }

    /// The tenant of the Host, or nullptr on the platform host (and for `Anywhere` routes on
    /// an unknown host).
    const TenantContext* tenant() const { return tenant_.get(); }
    /// The authenticated user, or nullptr.
    const Principal* principal() const { return principal_.get(); }
    /// Whether the request came to the platform host.
    bool onPlatformHost() const { return platformHost_; }
    /// Where links to the request's tenant point: scheme, tenant host and port
    /// ("https://acme.relais.example"), from http.public_url or else the request's own scheme
    /// and port. Empty without a tenant. Links in mails are built on it. Worked out on the
    /// first call only: most requests never need it.
    const std::string& linkBase() const {
        if (linkBase_.empty() && linkBaseOf_) linkBase_ = linkBaseOf_(*this);
        return linkBase_;
    }

    /// Kernel use only (the tenancy and authentication middleware).
    void setTenant(std::shared_ptr<const TenantContext> tenant) { tenant_ = std::move(tenant); }
    void setPlatformHost(bool platform) { platformHost_ = platform; }
    void setPrincipal(std::shared_ptr<const Principal> principal) { principal_ = std::move(principal); }
    void setHost(std::string host) { host_ = std::move(host); }
    void setMethod(std::string method) { method_ = std::move(method); }
    void setLinkBaseSource(std::function<std::string(const Request&)> source) { linkBaseOf_ = std::move(source); }

    /// The matched route, or nullptr when none matched (middleware may look at it).
    const Route* route() const { return route_; }

    /// Kernel use only.
    void bindRoute(const Route* route, std::map<std::string, std::string> params,
                   std::int64_t bodyLimit);
    Poco::Net::HTTPServerRequest& poco() { return request_; }

private:
    Poco::Net::HTTPServerRequest& request_;
    BodySource& body_;
    std::string method_;
    std::string requestId_;
    std::string path_;
    std::string rawQuery_;
    std::string host_;
    std::string clientIp_;
    std::string mediaType_;
    bool secure_;
    std::int64_t contentLength_ = 0;
    std::int64_t bodyRead_ = 0;
    std::int64_t bodyLimit_ = 0;
    const Route* route_ = nullptr;
    std::shared_ptr<const TenantContext> tenant_;
    std::shared_ptr<const Principal> principal_;
    bool platformHost_ = false;
    mutable std::string linkBase_;
    std::function<std::string(const Request&)> linkBaseOf_;
    std::map<std::string, std::string> params_;
};

}  // namespace relais::http
