#pragma once

#include <memory>
#include <string>

#include "relais/http/Route.h"

namespace Poco {
class Logger;
}

namespace relais {

class Config;
class EventBus;
class FileStore;
class JobScheduler;
class Journal;
class Mailer;
class TenantData;
namespace db {
class Database;
}

/// What the kernel offers to a plugin in Plugin::registerWith, and to its own subsystems.
/// A plugin's view tags its routes with its module name (so that they answer 404
/// `module_disabled` where the tenant has not enabled it) and its jobs with its name.
/// Registration happens on one thread before the server starts; the services it returns
/// are thread-safe and live until the process ends.
class Kernel {
public:
    virtual ~Kernel() = default;
    virtual const Config& config() const = 0;
    virtual db::Database& database() = 0;
    virtual http::RouteRegistry& routes() = 0;
    /// Adds a middleware at `order` (see http::order).
    virtual void addMiddleware(int order, const std::string& name, http::Middleware middleware) = 0;
    virtual JobScheduler& jobs() = 0;
    virtual Mailer& mail() = 0;
    virtual Journal& journal() = 0;
    virtual EventBus& events() = 0;
    /// Encrypted file storage, with quotas.
    virtual FileStore& files() = 0;
    /// The caller's logger: "relais.<module>" for a plugin.
    virtual Poco::Logger& logger() = 0;
    /// Adds what the module keeps per tenant to the tenant export and usage figures.
    virtual void addTenantData(std::shared_ptr<TenantData> data) = 0;
};

}  // namespace relais
