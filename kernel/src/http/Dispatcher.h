#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http/Router.h"
#include "relais/http/Route.h"

namespace Poco {
class Logger;
namespace Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Net
}  // namespace Poco

namespace relais::http {

class Request;
class BodySource;

/// Decides whether a module's routes answer for this request (the tenant has the module).
using ModuleGate = std::function<bool(const Request&, const std::string& module)>;

/// Runs one request through the pipeline: request id, target parsing, route match, the
/// middleware chain in order, the handler; then maps any failure to problem+json and writes
/// the access-log line. Immutable after freeze(); handle() is called from many threads.
class Dispatcher {
public:
    Dispatcher(Router& router, Poco::Logger& accessLog, Poco::Logger& errorLog,
               std::int64_t defaultBodyLimit, bool accessLogEnabled);

    void addMiddleware(int order, std::string name, Middleware middleware);
    void setModuleGate(ModuleGate gate);
    /// What a browser gets for a GET of a path no route serves (outside /api/): a page saying
    /// so, with status 404. Others still get the 404 problem.
    void setNotFoundPage(Handler page);
    void freeze();

    /// What becomes of the connection after a request.
    enum class Outcome {
        KeepAlive,  ///< ready for the next request
        Close,      ///< close it (an unread body, the client asked, a short Content-Length body)
        Abort,      ///< cut it at once, without ending a chunked body: the response failed after
                    ///< it was committed, and the client must see an incomplete transfer
    };
    /// Handles one request completely; never throws.
    /// `rawWriter`, when set, sends body bytes straight to the connection (see
    /// Response::setRawWriter).
    Outcome handle(Poco::Net::HTTPServerRequest& request, BodySource& body,
                   Poco::Net::HTTPServerResponse& response, bool secure,
                   std::function<void(const char*, std::size_t)> rawWriter = {});

    /// The path as the access log writes it: secret route parameters replaced by "***".
    static std::string loggablePath(const Request& request);

private:
    struct Entry {
        int order;
        std::string name;
        Middleware fn;
    };
    Router& router_;
    Poco::Logger& accessLog_;
    Poco::Logger& errorLog_;
    std::int64_t defaultBodyLimit_;
    bool accessLogEnabled_;
    std::vector<Entry> middleware_;
    ModuleGate gate_;
    Handler notFoundPage_;
};

}  // namespace relais::http
