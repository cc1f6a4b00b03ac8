#include "plugins/PluginKernel.h"

#include <Poco/Logger.h>

#include <stdexcept>

namespace relais {

PluginKernel::PluginKernel(Kernel& kernel, JobScheduler& jobs, EventBus& events, std::string module)
    : kernel_(kernel), module_(module), routes_(module), jobs_(jobs, module), events_(events) {}

void PluginKernel::addMiddleware(int order, const std::string& name, http::Middleware middleware) {
    middleware_.push_back({order, module_ + "." + name, std::move(middleware)});
}

Poco::Logger& PluginKernel::logger() {
    return Poco::Logger::get("relais." + module_);
}

void PluginKernel::Routes::add(http::Route route) {
    route.module = module_;
    pending.push_back(std::move(route));
}

void PluginKernel::Jobs::checkName(const std::string& name) const {
    if (name.rfind(module_ + ".", 0) != 0)
        throw std::invalid_argument("a job of plugin " + module_ + " is named '" + module_ +
                                    ".<job>', not '" + name + "'");
}

void PluginKernel::Jobs::addPeriodic(const std::string& name, std::int64_t intervalMs, JobFn fn) {
    checkName(name);
    periodic_.push_back({name, intervalMs, std::move(fn)});
}

void PluginKernel::Jobs::defineTask(const std::string& kind, JobFn fn, int maxAttempts) {
    checkName(kind);
    tasks_.push_back({kind, std::move(fn), maxAttempts});
}

void PluginKernel::Jobs::commit() {
    for (auto& p : periodic_)
        real_.addPeriodic(p.name, p.intervalMs, std::move(p.fn));
    for (auto& t : tasks_)
        real_.defineTask(t.kind, std::move(t.fn), t.maxAttempts);
}

void PluginKernel::commit() {
    for (auto& r : routes_.pending)
        kernel_.routes().add(std::move(r));
    for (auto& m : middleware_)
        kernel_.addMiddleware(m.order, m.name, std::move(m.fn));
    jobs_.commit();
    for (auto& d : tenantData_)
        kernel_.addTenantData(std::move(d));
}

void PluginKernel::abandon() {
    for (auto id : events_.ids)
        events_.unsubscribe(id);
}

}  // namespace relais
