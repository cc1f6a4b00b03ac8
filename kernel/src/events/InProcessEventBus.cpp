#include "events/InProcessEventBus.h"

#include <Poco/Logger.h>

#include <mutex>

namespace relais {

std::uint64_t InProcessEventBus::subscribe(const std::string& topicPrefix, Handler handler) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    const std::uint64_t id = next_++;
    subscriptions_[id] = Subscription{topicPrefix, std::move(handler)};
    return id;
}

void InProcessEventBus::unsubscribe(std::uint64_t id) {
    std::unique_lock<std::shared_mutex> lock(mutex_);
    subscriptions_.erase(id);
}

void InProcessEventBus::publish(const Event& event) {
    std::shared_lock<std::shared_mutex> lock(mutex_);
    for (const auto& [id, s] : subscriptions_) {
        if (event.topic.compare(0, s.prefix.size(), s.prefix) != 0)
            continue;
        try {
            s.handler(event);
        } catch (const std::exception& e) {
            log_.error("event handler %Lu for %s failed: %s", static_cast<unsigned long long>(id),
                       event.topic, std::string(e.what()));
        } catch (...) {
            log_.error("event handler for %s failed", event.topic);
        }
    }
}

}  // namespace relais
