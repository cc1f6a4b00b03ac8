#include "tenancy/Audit.h"

#include <Poco/JSON/Parser.h>

#include "relais/http/Json.h"
#include "relais/http/Request.h"

namespace relais {

Actor Actor::of(const http::Request& request) {
    Actor a;
    if (const Principal* p = request.principal()) {
        a.type = p->role;
        a.id = p->userId;
        a.email = p->email;
    } else {
        a.type = "anonymous";
    }
    a.ip = request.clientIp();
    a.requestId = request.requestId();
    return a;
}

std::int64_t journalAs(Journal& journal, db::Connection& tx, const std::string& tenantId, const Actor& actor,
               const std::string& action, const std::string& objectType, const std::string& objectId,
               const std::string& details) {
    std::string withRequest = details;
    if (!actor.requestId.empty()) {
        Poco::JSON::Object::Ptr parsed =
            Poco::JSON::Parser().parse(details.empty() ? "{}" : details).extract<Poco::JSON::Object::Ptr>();
        parsed->set("request_id", actor.requestId);
        withRequest = http::toJson(*parsed);
    }
    return journal.append(tx, JournalEntry{tenantId, {actor.type, actor.id, actor.email}, action, objectType, objectId,
                                    actor.ip, withRequest});
}

JournalEntry auditEntryFor(const std::string& tenantId, const http::Request& request, const std::string& action,
                           const std::string& objectType, const std::string& objectId, Poco::JSON::Object details,
                           const std::string& actorEmail) {
    JournalEntry e;
    e.tenantId = tenantId;
    if (const Principal* p = request.principal()) {
        e.actor = {p->role, p->userId, p->email};
    } else {
        e.actor = {"anonymous", "", actorEmail};
    }
    e.action = action;
    e.objectType = objectType;
    e.objectId = objectId;
    e.ip = request.clientIp();
    details.set("request_id", request.requestId());
    e.details = http::toJson(details);
    return e;
}

JournalEntry auditEntry(const http::Request& request, const std::string& action, const std::string& objectType,
                        const std::string& objectId, Poco::JSON::Object details, const std::string& actorEmail) {
    const std::string tenantId = request.tenant() ? request.tenant()->id : std::string();
    return auditEntryFor(tenantId, request, action, objectType, objectId, std::move(details), actorEmail);
}

}  // namespace relais
