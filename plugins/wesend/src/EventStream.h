#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <string>
#include <mutex>

#include "Services.h"

namespace relais::http {
class Request;
class Response;
}  // namespace relais::http

namespace relais::plugins::wesend {

/// GET /api/v1/events/stream: the caller's tracking events as Server-Sent Events. Each event's
/// SSE id is its row id, so a client reconnecting with Last-Event-ID gets what it missed. The
/// stream reads the events table: events recorded on other nodes arrive within
/// wesend.stream_poll_ms, and those of this node at once (the "wesend.event" bus topic wakes
/// it). Each open stream holds one HTTP thread (http.threads).
class EventStream {
public:
    explicit EventStream(Services& s) : s_(s) {}
    void handle(http::Request& req, http::Response& res);
    /// A new event on this node for `ownerUserId` of `tenantId`: wakes that owner's streams only.
    void wake(const std::string& tenantId, const std::string& ownerUserId);
    /// The server is stopping: streams end.
    void stop();

private:
    Services& s_;
    std::mutex mutex_;
    std::condition_variable changed_;
    /// Events seen per "<tenant> <owner>": a stream waits for its own to change.
    std::map<std::string, std::uint64_t> generations_;
    bool stopping_ = false;
};

}  // namespace relais::plugins::wesend
