#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "relais/Journal.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/UserStore.h"

namespace relais {

class PlanCatalog;
struct Plan;

/// The JSON form of tenancy objects, the same in API answers and in exports. Never carries a
/// secret (password hashes, second-factor secrets).
namespace repr {
Poco::JSON::Object user(const User& u);
Poco::JSON::Object profile(const Profile& p);
Poco::JSON::Object reseller(const Reseller& r);
/// `hostnames` includes the implicit <slug>.<domain> first.
Poco::JSON::Object tenant(const Tenant& t, const std::string& platformDomain);
Poco::JSON::Object plan(const Plan& p, int vatPercent);
/// {id, at, actor: {type, id, email}, action, object: {type, id}, ip, details}
Poco::JSON::Object journalEntry(const StoredJournalEntry& e);
/// RFC 3339, or null for 0.
Poco::Dynamic::Var time(std::int64_t ms);
}  // namespace repr

}  // namespace relais
