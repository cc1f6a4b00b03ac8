#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "config/ConfigLoader.h"
#include "http/Dispatcher.h"
#include "relais/Config.h"
#include "relais/Kernel.h"

namespace Poco {
class Logger;
}

namespace relais {

class ChainedJournal;
class DatabaseJobScheduler;
class EncryptedFileStore;
class InProcessEventBus;
class KeyStore;
class LocalBlobStore;
class MasterKeyring;
class OutboxMailer;
class PluginHost;
class WebFrontEnd;
class PluginKernel;
class TenancySubsystem;
namespace http {
class HttpServer;
class Router;
}  // namespace http

/// A start-up failure, told in one line (no stack trace): unreachable database, bad master
/// key, changed migration, port in use. relaisd prints it and exits 1.
class StartupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The whole server, assembled: configuration, logging, data folder, master key, database and
/// migrations, plugins, HTTP, jobs, mail, journal, events, health. The order of the steps is
/// the contract; each one fails with a clear message.
///
///   auto rt = Runtime::configure(loader, binDir);   // ConfigError (exit 2)
///   rt->open();                                     // StartupError (exit 1)
///   rt->start();                                    // StartupError
///   ...                                             // serve
///   rt->stop();
class Runtime final : public Kernel {
public:
    /// Loads the plugins of plugins.dir (to learn their settings) and validates the layers.
    /// `binaryDir` is the folder of relaisd, used to find ../plugins by default.
    static std::unique_ptr<Runtime> configure(const ConfigLoader& loader,
                                              const std::string& binaryDir, bool setUpLogging);
    ~Runtime() override;

    /// Data folder, database, kernel and plugin migrations, master key, key store, blob store.
    void open();
    /// Registers the kernel's and the plugins' routes and jobs, then serves.
    void start();
    /// Stops serving, lets requests finish, stops jobs. Idempotent.
    void stop();

    // Kernel
    const Config& config() const override { return config_; }
    db::Database& database() override;
    http::RouteRegistry& routes() override;
    void addMiddleware(int order, const std::string& name, http::Middleware middleware) override;
    JobScheduler& jobs() override;
    Mailer& mail() override;
    Journal& journal() override;
    EventBus& events() override;
    FileStore& files() override;
    Poco::Logger& logger() override { return log_; }
    void addTenantData(std::shared_ptr<TenantData> data) override { tenantData_.push_back(std::move(data)); }

    std::uint16_t httpPort() const;
    std::string baseUrl() const;
    const PluginHost& plugins() const { return *plugins_; }
    DatabaseJobScheduler& scheduler() { return *scheduler_; }
    OutboxMailer& mailer() { return *mailer_; }
    EncryptedFileStore& fileStore() { return *files_; }
    KeyStore& keyStore() { return *keys_; }
    TenancySubsystem& tenancy() { return *tenancy_; }
    const http::Router& router() const { return *router_; }
    /// Decides which modules answer for a request; the tenancy subsystem sets it.
    void setModuleGate(http::ModuleGate gate);
    /// Warnings from configuration (keys of skipped plugins).
    const std::vector<std::string>& configWarnings() const { return configWarnings_; }
    bool databaseHealthy() const { return databaseOk_; }

private:
    Runtime(Config config, std::unique_ptr<PluginHost> plugins, std::vector<std::string> warnings);
    void registerKernelRoutes();
    void registerPlugins();
    void monitorHealth();

    Config config_;
    Poco::Logger& log_;
    std::unique_ptr<PluginHost> plugins_;
    std::vector<std::string> configWarnings_;
    std::string dataDir_;
    std::string webDir_;
    std::unique_ptr<MasterKeyring> keyring_;
    std::unique_ptr<KeyStore> keys_;
    std::unique_ptr<LocalBlobStore> blobs_;
    std::unique_ptr<EncryptedFileStore> files_;
    std::unique_ptr<db::Database> database_;
    std::unique_ptr<InProcessEventBus> events_;
    std::unique_ptr<DatabaseJobScheduler> scheduler_;
    std::unique_ptr<OutboxMailer> mailer_;
    std::unique_ptr<ChainedJournal> journal_;
    std::unique_ptr<TenancySubsystem> tenancy_;
    std::unique_ptr<WebFrontEnd> web_;
    std::unique_ptr<http::Router> router_;
    std::unique_ptr<http::Dispatcher> dispatcher_;
    std::unique_ptr<http::HttpServer> server_;
    // The views plugins registered through: they hold what the plugins keep references to.
    std::vector<std::unique_ptr<PluginKernel>> pluginViews_;
    /// Filled by plugins at registration, read by the tenancy subsystem (export, usage).
    std::vector<std::shared_ptr<TenantData>> tenantData_;

    std::atomic<bool> databaseOk_{true};
    std::atomic<bool> storageOk_{true};
    std::mutex healthMutex_;
    std::condition_variable healthWake_;
    bool stopping_ = false;
    bool started_ = false;
    std::thread health_;
};

}  // namespace relais
