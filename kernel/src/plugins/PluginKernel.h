#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "relais/Events.h"
#include "relais/Jobs.h"
#include "relais/Kernel.h"

namespace relais {

/// The Kernel a plugin sees during registerWith. It tags the plugin's routes with its module
/// name, requires its jobs to be named "<plugin>.<job>", and holds routes, middleware and jobs
/// back until commit(): a plugin whose registration throws leaves nothing behind.
class PluginKernel final : public Kernel {
public:
    PluginKernel(Kernel& kernel, JobScheduler& jobs, EventBus& events, std::string module);

    const Config& config() const override { return kernel_.config(); }
    db::Database& database() override { return kernel_.database(); }
    http::RouteRegistry& routes() override { return routes_; }
    void addMiddleware(int order, const std::string& name, http::Middleware middleware) override;
    JobScheduler& jobs() override { return jobs_; }
    Mailer& mail() override { return kernel_.mail(); }
    Journal& journal() override { return kernel_.journal(); }
    EventBus& events() override { return events_; }
    FileStore& files() override { return kernel_.files(); }
    Poco::Logger& logger() override;
    void addTenantData(std::shared_ptr<TenantData> data) override { tenantData_.push_back(std::move(data)); }

    /// Applies what was registered to the kernel.
    void commit();
    /// Undoes what cannot be held back (event subscriptions).
    void abandon();

private:
    std::vector<std::shared_ptr<TenantData>> tenantData_;
    class Routes final : public http::RouteRegistry {
    public:
        explicit Routes(std::string module) : module_(std::move(module)) {}
        void add(http::Route route) override;
        std::string module_;
        std::vector<http::Route> pending;
    };
    class Jobs final : public JobScheduler {
    public:
        Jobs(JobScheduler& real, std::string module) : real_(real), module_(std::move(module)) {}
        void addPeriodic(const std::string& name, std::int64_t intervalMs, JobFn fn) override;
        void defineTask(const std::string& kind, JobFn fn, int maxAttempts) override;
        std::int64_t enqueue(db::Connection& tx, const std::string& kind,
                             const std::string& payload, std::int64_t runAtMs) override {
            return real_.enqueue(tx, kind, payload, runAtMs);
        }
        void trigger(const std::string& name) override { real_.trigger(name); }
        std::vector<JobStatus> status() override { return real_.status(); }
        void commit();

    private:
        void checkName(const std::string& name) const;
        JobScheduler& real_;
        std::string module_;
        struct Periodic {
            std::string name;
            std::int64_t intervalMs;
            JobFn fn;
        };
        struct Task {
            std::string kind;
            JobFn fn;
            int maxAttempts;
        };
        std::vector<Periodic> periodic_;
        std::vector<Task> tasks_;
    };
    class Events final : public EventBus {
    public:
        explicit Events(EventBus& real) : real_(real) {}
        std::uint64_t subscribe(const std::string& prefix, Handler handler) override {
            auto id = real_.subscribe(prefix, std::move(handler));
            ids.push_back(id);
            return id;
        }
        void unsubscribe(std::uint64_t id) override { real_.unsubscribe(id); }
        void publish(const Event& event) override { real_.publish(event); }
        std::vector<std::uint64_t> ids;

    private:
        EventBus& real_;
    };
    struct PendingMiddleware {
        int order;
        std::string name;
        http::Middleware fn;
    };

    Kernel& kernel_;
    std::string module_;
    Routes routes_;
    Jobs jobs_;
    Events events_;
    std::vector<PendingMiddleware> middleware_;
};

}  // namespace relais
