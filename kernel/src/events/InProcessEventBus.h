#pragma once

#include <map>
#include <memory>
#include <shared_mutex>

#include "relais/Events.h"

namespace Poco {
class Logger;
}

namespace relais {

/// The EventBus of one process. Publishing takes a shared lock, so handlers run concurrently
/// for concurrent publishers; unsubscribing takes the exclusive lock, so it waits for running
/// handlers to finish.
class InProcessEventBus final : public EventBus {
public:
    explicit InProcessEventBus(Poco::Logger& log) : log_(log) {}
    std::uint64_t subscribe(const std::string& topicPrefix, Handler handler) override;
    void unsubscribe(std::uint64_t id) override;
    void publish(const Event& event) override;

private:
    struct Subscription {
        std::string prefix;
        Handler handler;
    };
    Poco::Logger& log_;
    std::shared_mutex mutex_;
    std::map<std::uint64_t, Subscription> subscriptions_;
    std::uint64_t next_ = 1;
};

}  // namespace relais
