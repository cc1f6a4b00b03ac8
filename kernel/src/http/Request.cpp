#include "relais/http/Request.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <stdexcept>

#include "http/ServerRequest.h"
#include "relais/Problem.h"

namespace relais::http {

namespace {
const std::string kEmpty;

std::string lowerMediaType(const std::string& contentType) {
    std::string t = contentType.substr(0, contentType.find(';'));
    Poco::trimInPlace(t);
    Poco::toLowerInPlace(t);
    return t;
}
}  // namespace

Request::Request(Poco::Net::HTTPServerRequest& request, BodySource& body, std::string requestId,
                 std::string path, std::string rawQuery, std::string host, bool secure)
    : request_(request),
      body_(body),
      method_(request.getMethod()),
      requestId_(std::move(requestId)),
      path_(std::move(path)),
      rawQuery_(std::move(rawQuery)),
      host_(std::move(host)),
      clientIp_(request.clientAddress().host().toString()),
      mediaType_(lowerMediaType(request.getContentType())),
      secure_(secure),
      contentLength_(body.declaredLength()) {}

bool Request::bodyConsumed() const {
    return body_.finished();
}

std::string Request::query(const std::string& name, const std::string& def) const {
    if (rawQuery_.empty())
        return def;
    try {
        Poco::URI uri;
        uri.setRawQuery(rawQuery_);
        for (const auto& [k, v] : uri.getQueryParameters())
            if (k == name)
                return v;
    } catch (const Poco::Exception&) {
        throw Problem::badRequest("invalid_query", "The query string is not valid.");
    }
    return def;
}

bool Request::hasQuery(const std::string& name) const {
    const std::string marker = "\x01";
    return query(name, marker) != marker;
}

const std::string& Request::header(const std::string& name) const {
    return request_.get(name, kEmpty);
}

bool Request::hasHeader(const std::string& name) const {
    return request_.has(name);
}

std::string Request::cookie(const std::string& name) const {
    if (!request_.has("Cookie")) return {};
    Poco::Net::NameValueCollection cookies;
    request_.getCookies(cookies);
    return cookies.get(name, "");
}

const std::string& Request::param(const std::string& name) const {
    auto it = params_.find(name);
    if (it == params_.end())
        throw std::logic_error("the route has no parameter " + name);
    return it->second;
}

void Request::bindRoute(const Route* route, std::map<std::string, std::string> params,
                        std::int64_t bodyLimit) {
    route_ = route;
    params_ = std::move(params);
    bodyLimit_ = bodyLimit;
}

std::size_t Request::read(char* buffer, std::size_t size) {
    if (body_.finished() || size == 0)
        return 0;
    // Expect: 100-continue is answered when the handler asks for the body, not before: a
    // request refused from its head never makes the client send the body.
    if (bodyRead_ == 0 && request_.getExpectContinue() && !request_.response().sent())
        request_.response().sendContinue();
    const std::size_t got = body_.read(buffer, size);
    bodyRead_ += static_cast<std::int64_t>(got);
    if (bodyRead_ > bodyLimit_)
        throw Problem(413, "body_too_large",
                      "The body is larger than the " + std::to_string(bodyLimit_) +
                          " bytes this resource accepts.");
    return got;
}

std::string Request::readAll(std::size_t limit) {
    if (contentLength_ > static_cast<std::int64_t>(limit))
        throw Problem(413, "body_too_large",
                      "The body is larger than the " + std::to_string(limit) +
                          " bytes this resource accepts.");
    std::string out;
    char buf[16384];
    for (;;) {
        std::size_t n = read(buf, sizeof buf);
        if (n == 0)
            break;
        out.append(buf, n);
        if (out.size() > limit)
            throw Problem(413, "body_too_large",
                          "The body is larger than the " + std::to_string(limit) +
                              " bytes this resource accepts.");
    }
    return out;
}

}  // namespace relais::http
