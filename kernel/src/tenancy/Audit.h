#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "relais/Journal.h"

namespace relais {

namespace db {
class Connection;
}
namespace http {
class Request;
}

/// Who acts, for the journal: the caller of a request, or, with no request (command line,
/// jobs), the system.
struct Actor {
    std::string type = "system";
    std::string id;
    std::string email;
    std::string ip;
    /// The request's id, written into the entry's details.
    std::string requestId;

    /// The principal of `request` (or an anonymous caller), its address and request id.
    static Actor of(const http::Request& request);
};

/// Appends an entry for what `actor` did to the chain of `tenantId` ("" for the platform),
/// inside `tx`. `details` is a JSON object; the actor's request id is added to it. Returns the
/// entry's id.
std::int64_t journalAs(Journal& journal, db::Connection& tx, const std::string& tenantId, const Actor& actor,
               const std::string& action, const std::string& objectType, const std::string& objectId,
               const std::string& details = "{}");

/// A journal entry for what the caller of `request` did: the actor from the principal (or
/// `actorEmail` for an anonymous caller such as a failed login), the client address, the
/// request id in the details, and the chain of `tenantId` (default: the host's tenant, or the
/// platform).
JournalEntry auditEntry(const http::Request& request, const std::string& action, const std::string& objectType,
                        const std::string& objectId, Poco::JSON::Object details = Poco::JSON::Object(),
                        const std::string& actorEmail = {});
/// The same, in another chain.
JournalEntry auditEntryFor(const std::string& tenantId, const http::Request& request, const std::string& action,
                           const std::string& objectType, const std::string& objectId,
                           Poco::JSON::Object details = Poco::JSON::Object(), const std::string& actorEmail = {});

}  // namespace relais
