#include "relais/http/Json.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "http/RequestTarget.h"
#include "relais/Problem.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::http {

Poco::JSON::Object::Ptr readJsonObject(Request& request, std::size_t limit) {
    if (request.mediaType() != "application/json")
        throw Problem::unsupportedMediaType("application/json");
    const std::string body = request.readAll(limit);
    if (!isValidUtf8(body))
        throw Problem::badRequest("invalid_json", "The body is not UTF-8.");
    try {
        Poco::JSON::Parser parser;
        Poco::Dynamic::Var v = parser.parse(body);
        if (v.type() != typeid(Poco::JSON::Object::Ptr))
            throw Problem::badRequest("invalid_json", "The body must be a JSON object.");
        return v.extract<Poco::JSON::Object::Ptr>();
    } catch (const Problem&) {
        throw;
    } catch (const Poco::Exception&) {
        throw Problem::badRequest("invalid_json", "The body is not valid JSON.");
    } catch (const std::exception&) {
        throw Problem::badRequest("invalid_json", "The body is not valid JSON.");
    }
}

std::string toJson(const Poco::Dynamic::Var& value) {
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

void sendJson(Response& response, int status, const Poco::Dynamic::Var& value) {
    response.send(status, "application/json; charset=utf-8", toJson(value));
}

}  // namespace relais::http
