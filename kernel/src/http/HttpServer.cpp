#include "http/HttpServer.h"

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timestamp.h>

#include <poll.h>

#include <cerrno>
#include <chrono>

#include "http/Dispatcher.h"
#include "http/ProblemWriter.h"
#include "http/ServerRequest.h"
#include "relais/Problem.h"
#include "relais/Random.h"

namespace relais::http {

namespace {
void shutdownQuietly(Poco::Net::StreamSocket& socket);

using Poco::Net::HTTPServerParams;

// Answers a request that never reached the dispatcher (its head was unreadable), then the
// connection closes.
void answerUnreadable(Poco::Net::HTTPServerSession& session, const Problem& problem) {
    try {
        Poco::Net::HTTPServerResponseImpl response(session);
        const std::string id = toHex(randomBytes(16));
        const std::string body = problemJson(problem, id);
        response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
        response.setStatus(std::to_string(problem.status()));
        response.setReason(statusTitle(problem.status()));
        response.setContentType("application/problem+json; charset=utf-8");
        response.setContentLength(static_cast<std::streamsize>(body.size()));
        response.set("X-Request-Id", id);
        response.setKeepAlive(false);
        response.send() << body;
        session.setKeepAlive(false);
    } catch (const Poco::Exception&) {
        // The client is gone; nothing to tell it.
    }
}

Problem problemForMalformedHead(const Poco::Net::MessageException& e) {
    const std::string& m = e.message();
    if (m.find("Too many header fields") != std::string::npos ||
        m.find("value too long") != std::string::npos)
        return Problem(431, "header_too_large",
                       "The request's header fields are too many or too long.");
    if (m.find("URI invalid or too long") != std::string::npos)
        return Problem(414, "uri_too_long", "The request target is too long or malformed.");
    return Problem(400, "malformed_request", "The request is not valid HTTP/1.1.");
}

class Connection final : public Poco::Net::TCPServerConnection {
public:
    Connection(const Poco::Net::StreamSocket& socket, HttpServer& server,
               HTTPServerParams::Ptr params)
        : TCPServerConnection(socket), server_(server), params_(std::move(params)) {}

    void run() override {
        state_ = server_.enter(socket());
        try {
            serve();
        } catch (const Poco::Exception& e) {
            server_.log().debug("connection ended: %s", e.displayText());
        } catch (const std::exception& e) {
            server_.log().error("connection ended: %s", std::string(e.what()));
        }
        server_.leave(state_);
    }

private:
    // Waits for the next request on a kept-alive connection. One poll(2) on a plain socket;
    // POCO's poll would create an epoll instance per call.
    bool waitForNextRequest(ServerSession& session, int timeoutMs) {
        if (session.pending() > 0) return true;
        if (server_.options().tls) {
            return socket().poll(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(timeoutMs) * 1000),
                                 Poco::Net::Socket::SELECT_READ);
        }
        pollfd pfd{socket().impl()->sockfd(), POLLIN, 0};
        for (;;) {
            int n = ::poll(&pfd, 1, timeoutMs);
            if (n >= 0) return n > 0;
            if (errno != EINTR) return false;
        }
    }

    void serve() {
        ServerSession session(socket(), params_);
        const Poco::Net::SocketAddress client = socket().peerAddress();
        const Poco::Net::SocketAddress local = socket().address();
        const HttpServerOptions& options = server_.options();
        const bool secure = options.tls;
        for (int served = 0; !server_.stopping(); ++served) {
            // The head deadline starts at once for the first request; later ones idle in
            // keep-alive first and start their deadline when bytes arrive.
            if (served > 0) {
                server_.setPhase(*state_, HttpServer::Phase::Idle);
                if (!waitForNextRequest(session, options.keepAliveTimeoutMs)) break;
            }
            server_.setPhase(*state_, HttpServer::Phase::Head);
            try {
                Poco::Net::HTTPServerResponseImpl response(session);
                ServerRequest request(response, session, params_, client, local);
                server_.setPhase(*state_, HttpServer::Phase::Busy);
                // The watchdog cut a head that was still coming: POCO took the cut for its end.
                if (state_->timedOut) {
                    answerUnreadable(session, timeoutProblem());
                    break;
                }
                const std::string& version = request.getVersion();
                if (version != Poco::Net::HTTPMessage::HTTP_1_1 && version != Poco::Net::HTTPMessage::HTTP_1_0) {
                    answerUnreadable(session, Problem(505, "http_version_not_supported",
                                                      "Only HTTP/1.1 and HTTP/1.0 are served."));
                    break;
                }
                const bool lastAllowed = options.keepAliveMaxRequests > 0 && served + 1 >= options.keepAliveMaxRequests;
                response.setDate(Poco::Timestamp());
                response.setVersion(version);
                response.setKeepAlive(options.keepAlive && request.getKeepAlive() && !lastAllowed &&
                                      !server_.stopping());
                bool reusable = false;
                try {
                    const auto outcome = server_.dispatcher().handle(
                        request, request, response, secure,
                        [&session](const char* data, std::size_t size) { session.writeAll(data, size); });
                    if (outcome == Dispatcher::Outcome::Abort) {
                        // Before the response's stream would write the last chunk on its way out.
                        shutdownQuietly(socket());
                        break;
                    }
                    reusable = outcome == Dispatcher::Outcome::KeepAlive;
                } catch (const std::exception& e) {
                    // The dispatcher answers every failure itself; this is the last guard.
                    server_.log().critical("request escaped the dispatcher: %s", std::string(e.what()));
                    if (!response.sent())
                        answerUnreadable(session, Problem(500, "internal_error", "An internal error occurred."));
                    break;
                }
                if (!reusable || !response.getKeepAlive()) break;
            } catch (const Poco::Net::NoMessageException&) {
                if (state_->timedOut) answerUnreadable(session, timeoutProblem());
                break;
            } catch (const Poco::Net::MessageException& e) {
                answerUnreadable(session, state_->timedOut ? timeoutProblem() : problemForMalformedHead(e));
                break;
            } catch (const Poco::TimeoutException&) {
                answerUnreadable(session, timeoutProblem());
                break;
            } catch (const Poco::SyntaxException&) {
                // POCO parses Content-Length while reading the head.
                answerUnreadable(session, Problem(400, "invalid_content_length",
                                                  "Content-Length must be one non-negative integer."));
                break;
            }
        }
    }

    static Problem timeoutProblem() {
        return Problem(408, "request_timeout", "The request head was not received in time.");
    }

    HttpServer& server_;
    HTTPServerParams::Ptr params_;
    std::shared_ptr<HttpServer::ConnectionState> state_;
};

class ConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    ConnectionFactory(HttpServer& server, HTTPServerParams::Ptr params)
        : server_(server), params_(std::move(params)) {}
    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override {
        return new Connection(socket, server_, params_);
    }

private:
    HttpServer& server_;
    HTTPServerParams::Ptr params_;
};

}  // namespace

HttpServer::HttpServer(HttpServerOptions options, Dispatcher& dispatcher, Poco::Logger& log)
    : options_(std::move(options)), dispatcher_(dispatcher), log_(log) {}

HttpServer::~HttpServer() {
    stop();
}

void HttpServer::start() {
    const std::string where = options_.address + ":" + std::to_string(options_.port);
    Poco::Net::ServerSocket socket;
    try {
        Poco::Net::SocketAddress address(options_.address,
                                         static_cast<Poco::UInt16>(options_.port));
        if (options_.tls) {
            Poco::Net::Context::Params p;
            p.privateKeyFile = options_.keyFile;
            p.certificateFile = options_.certFile;
            p.verificationMode = Poco::Net::Context::VERIFY_NONE;
            p.loadDefaultCAs = false;
            p.cipherList =
                "ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:!aNULL:!eNULL:!MD5:!SHA1:!RC4:!3DES";
            Poco::Net::Context::Ptr ctx =
                new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, p);
            ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
            ctx->enableExtendedCertificateVerification(false);
            socket = Poco::Net::SecureServerSocket(address, options_.queue, ctx);
        } else {
            socket = Poco::Net::ServerSocket(address, options_.queue);
        }
    } catch (const Poco::Exception& e) {
        throw std::runtime_error("cannot listen on " + where + ": " + e.displayText());
    }

    HTTPServerParams::Ptr params = new HTTPServerParams;
    params->setMaxThreads(options_.threads);
    params->setMaxQueued(options_.queue);
    params->setTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(options_.timeoutMs) * 1000));
    params->setKeepAlive(options_.keepAlive);
    params->setKeepAliveTimeout(
        Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(options_.keepAliveTimeoutMs) * 1000));
    params->setMaxKeepAliveRequests(options_.keepAliveMaxRequests);
    params->setServerName("");
    params->setSoftwareVersion("");

    pool_ = std::make_unique<Poco::ThreadPool>(2, options_.threads, 60);
    server_ = std::make_unique<Poco::Net::TCPServer>(new ConnectionFactory(*this, params), *pool_,
                                                     socket, params);
    server_->start();
    watchdog_ = std::thread([this] { watch(); });
}

std::uint16_t HttpServer::port() const {
    return server_ ? server_->port() : 0;
}

namespace {
std::int64_t steadyMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void shutdownQuietly(Poco::Net::StreamSocket& socket) {
    try {
        socket.shutdown();
    } catch (...) {
        // Already closed by the peer.
    }
}
}  // namespace

std::shared_ptr<HttpServer::ConnectionState> HttpServer::enter(const Poco::Net::StreamSocket& socket) {
    auto state = std::make_shared<ConnectionState>();
    state->socket = socket;
    state->deadlineMs = steadyMs() + options_.headerTimeoutMs;
    std::lock_guard<std::mutex> lock(mutex_);
    conns_[state.get()] = state;
    if (stopping_) shutdownQuietly(state->socket);
    return state;
}

void HttpServer::setPhase(ConnectionState& conn, Phase phase) {
    if (phase == Phase::Head && conn.phase.load() != Phase::Head)
        conn.deadlineMs = steadyMs() + options_.headerTimeoutMs;
    conn.phase = phase;
    if (phase == Phase::Idle && stopping_) shutdownQuietly(conn.socket);
}

void HttpServer::leave(const std::shared_ptr<ConnectionState>& conn) {
    std::lock_guard<std::mutex> lock(mutex_);
    conns_.erase(conn.get());
    drained_.notify_all();
}

void HttpServer::watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopped_) {
        stopped_cv_.wait_for(lock, std::chrono::milliseconds(200));
        const std::int64_t now = steadyMs();
        for (auto& [key, s] : conns_) {
            if (s->phase.load() == Phase::Head && !s->timedOut.load() && now > s->deadlineMs.load()) {
                s->timedOut = true;
                try {
                    s->socket.shutdownReceive();
                } catch (...) {
                    // Already closed by the peer.
                }
            }
        }
    }
}

void HttpServer::stop() {
    if (!server_) return;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (stopped_) return;
        stopping_ = true;
    }
    server_->stop();  // no new connections
    std::unique_lock<std::mutex> lock(mutex_);
    for (auto& [key, s] : conns_)
        if (s->phase.load() != Phase::Busy) shutdownQuietly(s->socket);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.shutdownGraceMs);
    drained_.wait_until(lock, deadline, [this] { return conns_.empty(); });
    if (!conns_.empty()) {
        log_.warning("cutting %z connection(s) still busy after the shutdown grace", conns_.size());
        for (auto& [key, s] : conns_) shutdownQuietly(s->socket);
    }
    stopped_ = true;
    stopped_cv_.notify_all();
    lock.unlock();
    if (watchdog_.joinable()) watchdog_.join();
    pool_->joinAll();
    server_.reset();
}

}  // namespace relais::http
