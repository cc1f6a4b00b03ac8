#pragma once

#include <string>

#include "Services.h"

namespace relais::http {
class RouteRegistry;
class Request;
class Response;
}  // namespace relais::http

namespace relais::plugins::wesend {

/// Transfers: a sender attaches finished uploads, names recipients, and each recipient gets a
/// mail with a link of their own; the public side serves the files, one by one with Range or
/// all as one ZIP, under the link's expiry, password and download limit.
///
/// The download limit (max_downloads = N): each file may be downloaded N times; the ZIP counts
/// as one download of every file. A download is counted when a GET asks for a file from its
/// first byte (no Range, or a Range starting at 0). A Range starting later continues a
/// download and is not counted if the same link counted a download of that file (or the ZIP)
/// within wesend.resume_window_hours; otherwise it is counted like a new one. The count is one
/// conditional UPDATE, so concurrent downloads never pass N. A HEAD is never counted. Once
/// every file has reached N, the link answers 410 `link_expired`.
class TransferService {
public:
    explicit TransferService(Services& s) : s_(s) {}
    void registerRoutes(http::RouteRegistry& routes);

    /// "mail.delivered" for one of our mails: a tracking event.
    void onMailDelivered(const std::string& tenantId, const std::string& transferId,
                         const std::string& recipient);

private:
    void create(http::Request& req, http::Response& res);
    void list(http::Request& req, http::Response& res);
    void get(http::Request& req, http::Response& res);
    void revoke(http::Request& req, http::Response& res);
    void publicGet(http::Request& req, http::Response& res);
    void publicUnlock(http::Request& req, http::Response& res);
    void publicFile(http::Request& req, http::Response& res);
    void publicZip(http::Request& req, http::Response& res);
    void receivedList(http::Request& req, http::Response& res);
    void receivedFile(http::Request& req, http::Response& res);
    void receivedZip(http::Request& req, http::Response& res);

    Services& s_;
};

}  // namespace relais::plugins::wesend
