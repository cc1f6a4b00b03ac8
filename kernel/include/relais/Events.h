#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace relais {

/// Something that happened, published in-process. `topic` is dotted ("journal.appended",
/// "wesend.download"); `json` is an object serialised by the publisher.
struct Event {
    std::string topic;
    std::string tenantId;  ///< empty for the platform
    std::string json;
    std::int64_t atMs = 0;
};

/// In-process publish/subscribe. Thread-safe. Handlers run synchronously on the publisher's
/// thread, so they must be quick (hand long work to a job). A handler that throws is logged and
/// the others still run; publish() itself never throws because of a handler.
class EventBus {
public:
    using Handler = std::function<void(const Event&)>;
    virtual ~EventBus() = default;

    /// Subscribes to every topic that starts with `topicPrefix` ("" for all). Returns an id for
    /// unsubscribe().
    virtual std::uint64_t subscribe(const std::string& topicPrefix, Handler handler) = 0;
    /// After it returns, the handler is not running and will not be called again.
    virtual void unsubscribe(std::uint64_t id) = 0;
    virtual void publish(const Event& event) = 0;
};

}  // namespace relais
