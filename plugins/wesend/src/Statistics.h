#pragma once

#include "Services.h"

namespace relais::http {
class Request;
class Response;
}  // namespace relais::http

namespace relais::plugins::wesend {

/// GET /api/v1/admin/stats (tenant admins): counts and volumes per day, ISO week or month,
/// by file type, and the top senders, from the daily aggregates that Tracking maintains as
/// events happen, so that its cost depends on the number of days, never on the events.
/// Days are UTC. `from` and `to` are RFC 3339 times or dates (YYYY-MM-DD), both included;
/// the default is the last 30 days; at most 3660 days.
class Statistics {
public:
    explicit Statistics(Services& s) : s_(s) {}
    void handle(http::Request& req, http::Response& res);

private:
    Services& s_;
};

}  // namespace relais::plugins::wesend
