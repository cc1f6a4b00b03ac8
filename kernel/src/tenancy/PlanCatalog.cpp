#include "tenancy/PlanCatalog.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace relais {

bool Plan::allows(const std::string& module) const {
    return std::find(modules.begin(), modules.end(), module) != modules.end();
}

PlanCatalog PlanCatalog::load(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error(path + ": cannot read the plan catalogue");
    std::stringstream text;
    text << in.rdbuf();
    PlanCatalog c;
    try {
        auto root = Poco::JSON::Parser().parse(text.str()).extract<Poco::JSON::Object::Ptr>();
        c.vatPercent_ = root->optValue<int>("vat_percent", 20);
        auto plans = root->getArray("plans");
        if (!plans || plans->size() == 0) throw std::runtime_error("no plans");
        std::set<std::string> ids;
        for (std::size_t i = 0; i < plans->size(); ++i) {
            auto p = plans->getObject(static_cast<unsigned>(i));
            Plan plan;
            plan.id = p->getValue<std::string>("id");
            plan.name = p->getValue<std::string>("name");
            plan.licences = p->getValue<int>("licences");
            plan.storageBytes = p->getValue<std::int64_t>("storage_bytes");
            auto modules = p->getArray("modules");
            for (std::size_t m = 0; modules && m < modules->size(); ++m)
                plan.modules.push_back(modules->getElement<std::string>(static_cast<unsigned>(m)));
            auto prices = p->getObject("prices");
            plan.monthlyCents = prices->getValue<std::int64_t>("monthly_cents");
            plan.annualCents = prices->getValue<std::int64_t>("annual_cents");
            plan.extraLicenceCents = prices->getValue<std::int64_t>("extra_licence_cents");
            plan.extraGbCents = prices->getValue<std::int64_t>("extra_gb_cents");
            if (plan.id.empty() || !ids.insert(plan.id).second)
                throw std::runtime_error("plan ids must be unique and not empty (" + plan.id + ")");
            if (plan.licences < 1 || plan.storageBytes < 0)
                throw std::runtime_error("plan " + plan.id + ": licences >= 1 and storage_bytes >= 0");
            c.plans_.push_back(std::move(plan));
        }
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    } catch (const Poco::Exception& e) {
        throw std::runtime_error(path + ": " + e.displayText());
    }
    for (const auto& p : c.plans_)
        for (const auto& m : p.modules)
            if (std::find(c.modules_.begin(), c.modules_.end(), m) == c.modules_.end()) c.modules_.push_back(m);
    std::sort(c.modules_.begin(), c.modules_.end());
    return c;
}

bool PlanCatalog::offers(const std::string& module) const {
    return std::binary_search(modules_.begin(), modules_.end(), module);
}

const Plan* PlanCatalog::find(const std::string& id) const {
    for (const auto& p : plans_)
        if (p.id == id) return &p;
    return nullptr;
}

}  // namespace relais
