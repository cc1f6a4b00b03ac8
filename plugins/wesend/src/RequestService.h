#pragma once

#include <string>

#include "Services.h"

namespace relais::http {
class RouteRegistry;
class Request;
class Response;
}  // namespace relais::http

namespace relais::plugins::wesend {

/// Upload requests: an owner invites third parties to deposit files. Guests upload with tus
/// under the request's token, with the same guarantees as account uploads, then confirm a
/// deposit with their e-mail and a message; the owner is told by mail and on the event stream,
/// and lists and downloads deposits. Limits on files and bytes count deposits and the guests'
/// unfinished uploads alike, so they cannot be passed by uploading first.
class RequestService {
public:
    explicit RequestService(Services& s) : s_(s) {}
    void registerRoutes(http::RouteRegistry& routes);
    void onMailDelivered(const std::string& tenantId, const std::string& requestId,
                         const std::string& recipient);

private:
    void create(http::Request& req, http::Response& res);
    void list(http::Request& req, http::Response& res);
    void get(http::Request& req, http::Response& res);
    void close(http::Request& req, http::Response& res);
    void deposits(http::Request& req, http::Response& res);
    void receivedDeposits(http::Request& req, http::Response& res);
    void depositFile(http::Request& req, http::Response& res);
    void publicGet(http::Request& req, http::Response& res);
    void publicUnlock(http::Request& req, http::Response& res);
    void publicDeposit(http::Request& req, http::Response& res);
    /// The tus scope of a request's guests, after checking the link.
    UploadScope guestScope(http::Request& req);

    Services& s_;
};

}  // namespace relais::plugins::wesend
