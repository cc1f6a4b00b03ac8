#pragma once

#include <exception>
#include <string>

namespace Poco {
class Logger;
}

namespace relais {
class Problem;
}

namespace relais::http {

class Response;

/// The problem+json document of a problem.
std::string problemJson(const Problem& problem, const std::string& requestId);

/// Sends a problem as the response (which must not be committed yet).
void sendProblem(Response& response, const Problem& problem, const std::string& requestId);

/// The one place where failures become HTTP statuses: a Problem stays itself; database
/// failures become 503/409/500; anything unexpected becomes 500 `internal_error`, logged
/// with the request id and never shown to the client.
Problem problemFor(std::exception_ptr error, const std::string& requestId, Poco::Logger& log);

}  // namespace relais::http
