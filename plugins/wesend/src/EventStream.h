#pragma once

#include <condition_variable>
#include <cstdint>
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
    /// A new event on this node.
    void wake();
    /// The server is stopping: streams end.
    void stop();

private:
    Services& s_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t generation_ = 0;
    bool stopping_ = false;
};

}  // namespace relais::plugins::wesend
