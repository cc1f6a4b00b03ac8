#include "http/ProblemWriter.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>

#include "relais/Database.h"
#include "relais/FileStore.h"
#include "relais/Problem.h"
#include "relais/http/Json.h"
#include "relais/http/Response.h"

namespace relais::http {

std::string problemJson(const Problem& p, const std::string& requestId) {
    Poco::JSON::Object body;
    body.set("type", "urn:relais:problem:" + p.code());
    body.set("title", statusTitle(p.status()));
    body.set("status", p.status());
    body.set("detail", p.detail());
    body.set("code", p.code());
    for (const auto& [name, value] : p.extensions())
        if (!body.has(name)) body.set(name, value);
    if (!requestId.empty())
        body.set("request_id", requestId);
    if (!p.errors().empty()) {
        Poco::JSON::Array errors;
        for (const auto& e : p.errors()) {
            Poco::JSON::Object item;
            item.set("field", e.field);
            item.set("message", e.message);
            errors.add(item);
        }
        body.set("errors", errors);
    }
    return toJson(body);
}

void sendProblem(Response& response, const Problem& problem, const std::string& requestId) {
    for (const auto& [name, value] : problem.headers())
        response.setHeader(name, value);
    response.setHeader("Cache-Control", "no-store");
    response.send(problem.status(), "application/problem+json; charset=utf-8",
                  problemJson(problem, requestId));
}

Problem problemFor(std::exception_ptr error, const std::string& requestId, Poco::Logger& log) {
    try {
        std::rethrow_exception(error);
    } catch (const Problem& p) {
        return p;
    } catch (const db::Error& e) {
        switch (e.kind()) {
            case db::Error::Kind::Unavailable:
                log.error("request %s: database unavailable: %s", requestId, std::string(e.what()));
                return Problem(503, "database_unavailable",
                               "The database is unavailable; try again shortly.")
                    .withHeader("Retry-After", "5");
            case db::Error::Kind::Transient:
                log.warning("request %s: database busy after retries: %s", requestId,
                            std::string(e.what()));
                return Problem(503, "database_busy", "The database is busy; try again shortly.")
                    .withHeader("Retry-After", "1");
            case db::Error::Kind::Constraint:
                log.warning("request %s: constraint: %s", requestId, std::string(e.what()));
                return Problem(409, "conflict", "The request conflicts with the current state.");
            case db::Error::Kind::Other:
                break;
        }
        log.error("request %s: database error: %s", requestId, std::string(e.what()));
    } catch (const StorageError& e) {
        switch (e.kind()) {
            case StorageError::Kind::NotFound: return Problem::notFound("The file does not exist.");
            case StorageError::Kind::Full:
                log.error("request %s: storage full: %s", requestId, std::string(e.what()));
                return Problem(507, "insufficient_storage", "The storage is full; nothing of this upload was kept.");
            case StorageError::Kind::Unavailable:
                log.error("request %s: storage unavailable: %s", requestId, std::string(e.what()));
                return Problem(503, "storage_unavailable", "The storage cannot be written now; try again later.")
                    .withHeader("Retry-After", "30");
            case StorageError::Kind::Integrity:
                log.critical("request %s: %s", requestId, std::string(e.what()));
                return Problem(500, "storage_integrity",
                               "The stored file failed its integrity check and is not served; quote request id " +
                                   requestId + " to support.");
        }
    } catch (const Poco::TimeoutException&) {
        return Problem(408, "request_timeout", "The client was too slow to send the request.");
    } catch (const Poco::Net::MessageException&) {
        return Problem(400, "malformed_body", "The request body is not valid HTTP framing.");
    } catch (const Poco::Exception& e) {
        log.error("request %s: %s", requestId, e.displayText());
    } catch (const std::exception& e) {
        log.error("request %s: %s", requestId, std::string(e.what()));
    } catch (...) {
        log.error("request %s: unknown exception", requestId);
    }
    return Problem(500, "internal_error",
                   "An internal error occurred; quote request id " + requestId + " to support.");
}

}  // namespace relais::http
