#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace relais {

/// One offer of the catalogue. Amounts are euro cents, excluding VAT (HT).
struct Plan {
    std::string id;
    std::string name;
    int licences = 0;
    std::int64_t storageBytes = 0;
    std::vector<std::string> modules;
    std::int64_t monthlyCents = 0;
    std::int64_t annualCents = 0;
    std::int64_t extraLicenceCents = 0;  ///< per licence and month
    std::int64_t extraGbCents = 0;       ///< per GB and month
    bool allows(const std::string& module) const;
};

/// The plan catalogue, read from a JSON file of tenants/ (tenancy.plans_file) at start-up.
/// Immutable afterwards, so thread-safe.
class PlanCatalog {
public:
    /// Throws std::runtime_error naming the file and what is wrong.
    static PlanCatalog load(const std::string& path);
    /// nullptr for an unknown id.
    const Plan* find(const std::string& id) const;
    const std::vector<Plan>& plans() const { return plans_; }
    int vatPercent() const { return vatPercent_; }
    /// Every module some plan offers, sorted.
    const std::vector<std::string>& modules() const { return modules_; }
    bool offers(const std::string& module) const;

private:
    std::vector<Plan> plans_;
    std::vector<std::string> modules_;
    int vatPercent_ = 20;
};

}  // namespace relais
