#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <Poco/Net/StreamSocket.h>

namespace Poco {
class Logger;
class ThreadPool;
namespace Net {
class TCPServer;
}
}  // namespace Poco

namespace relais::http {

class Dispatcher;

struct HttpServerOptions {
    std::string address = "127.0.0.1";
    int port = 8080;
    int threads = 32;
    int queue = 64;
    int timeoutMs = 60000;
    int headerTimeoutMs = 10000;
    bool keepAlive = true;
    int keepAliveTimeoutMs = 15000;
    int keepAliveMaxRequests = 1000;
    int shutdownGraceMs = 10000;
    bool tls = false;
    std::string certFile;
    std::string keyFile;
};

/// The HTTP(S) listener: POCO's TCPServer with a connection class of our own, so that
/// malformed requests, oversize heads and slow clients get a problem+json answer (POCO's own
/// connection answers them with an empty 400), and so that stopping is graceful. A watchdog
/// closes connections that take longer than http.header_timeout_ms to send a request head.
class HttpServer {
public:
    HttpServer(HttpServerOptions options, Dispatcher& dispatcher, Poco::Logger& log);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    /// Binds and starts accepting. Throws std::runtime_error naming the address and the reason
    /// (port in use, unreadable certificate...).
    void start();
    /// The bound port (useful with port 0).
    std::uint16_t port() const;
    /// Stops accepting, lets requests in flight finish for up to http.shutdown_grace_ms,
    /// closes idle connections, then cuts what is left. Idempotent.
    void stop();

    // Called by connections. Each one registers its state once; phase changes are lock-free.
    enum class Phase { Idle, Head, Busy };
    struct ConnectionState {
        Poco::Net::StreamSocket socket;
        std::atomic<Phase> phase{Phase::Head};
        std::atomic<std::int64_t> deadlineMs{0};  // steady clock
        std::atomic<bool> timedOut{false};
    };
    std::shared_ptr<ConnectionState> enter(const Poco::Net::StreamSocket& socket);
    void setPhase(ConnectionState& conn, Phase phase);
    void leave(const std::shared_ptr<ConnectionState>& conn);
    bool stopping() const { return stopping_; }
    Dispatcher& dispatcher() { return dispatcher_; }
    const HttpServerOptions& options() const { return options_; }
    Poco::Logger& log() { return log_; }

private:
    void watch();

    HttpServerOptions options_;
    Dispatcher& dispatcher_;
    Poco::Logger& log_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
    std::atomic<bool> stopping_{false};
    bool stopped_ = false;
    std::mutex mutex_;
    std::condition_variable drained_;  // a connection left (stop() waits for none)
    std::condition_variable stopped_cv_;
    std::map<ConnectionState*, std::shared_ptr<ConnectionState>> conns_;
    std::thread watchdog_;
};

}  // namespace relais::http
