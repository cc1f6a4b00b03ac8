#include "runtime/Runtime.h"

#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "audit/ChainedJournal.h"
#include "config/KernelSettings.h"
#include "crypto/KeyStore.h"
#include "crypto/MasterKeyring.h"
#include "events/InProcessEventBus.h"
#include "http/HttpServer.h"
#include "http/Router.h"
#include "jobs/DatabaseJobScheduler.h"
#include "log/Logging.h"
#include "mail/OutboxMailer.h"
#include "migrate/Migrator.h"
#include "plugins/PluginHost.h"
#include "plugins/PluginKernel.h"
#include "relais/Database.h"
#include "relais/Plugin.h"
#include "relais/Time.h"
#include "relais/Version.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"
#include "storage/EncryptedFileStore.h"
#include "storage/LocalBlobStore.h"
#include "tenancy/TenancySubsystem.h"
#include "web/WebFrontEnd.h"

namespace fs = std::filesystem;

namespace relais {

namespace {

struct SslInit {
    SslInit() { Poco::Net::initializeSSL(); }
};

// http.public_url is a scheme, a host and maybe a port: links append their own paths to it.
void checkPublicUrl(const Config& config) {
    const std::string& url = config.getString("http.public_url");
    if (url.empty()) return;
    bool ok = false;
    try {
        Poco::URI uri(url);
        ok = (uri.getScheme() == "https" || uri.getScheme() == "http") && !uri.getHost().empty() &&
             (uri.getPath().empty() || uri.getPath() == "/") && uri.getQuery().empty() &&
             uri.getFragment().empty() && uri.getUserInfo().empty();
    } catch (const Poco::Exception&) {
    }
    if (!ok)
        throw ConfigError(config.sourceOf("http.public_url") +
                          ": http.public_url: expected a scheme, a host and an optional port "
                          "(https://relais.example.fr), got \"" + url + "\"");
}

std::string absolute(const std::string& path) {
    std::error_code ec;
    auto p = fs::absolute(path, ec);
    return ec ? path : p.lexically_normal().string();
}

}  // namespace

std::unique_ptr<Runtime> Runtime::configure(const ConfigLoader& loader,
                                            const std::string& binaryDir, bool setUpLogging) {
    static SslInit ssl;
    ConfigSchema schema;
    declareKernelSettings(schema);
    // First pass: the kernel's keys only, so that logging is set up before plugins load.
    Config early = loader.validate(schema, {}, nullptr, true);
    if (setUpLogging)
        configureLogging(early);

    std::string pluginsDir = early.getString("plugins.dir");
    if (pluginsDir.empty())
        pluginsDir = (fs::path(binaryDir) / ".." / "plugins").lexically_normal().string();
    auto host = std::make_unique<PluginHost>(Poco::Logger::get("relais.plugins"));
    host->loadAll(pluginsDir);
    for (const auto& p : std::vector<LoadedPlugin>(host->loaded())) {
        try {
            p.plugin->declareSettings(schema);
        } catch (const std::exception& e) {
            host->skip(p.name, std::string("its settings are invalid: ") + e.what());
        }
    }
    std::vector<std::string> warnings;
    // The shipped configuration documents the product modules' keys: a node built or deployed
    // without one of them warns about its keys instead of refusing to start.
    std::set<std::string> tolerated = host->skippedNames();
    tolerated.insert(kProductModules.begin(), kProductModules.end());
    Config config = loader.validate(schema, tolerated, &warnings);
    checkPublicUrl(config);
    for (const auto& w : warnings)
        Poco::Logger::get("relais.config").warning(w);
    std::string webDir = config.getString("web.dir");
    if (webDir.empty()) webDir = (fs::path(binaryDir) / ".." / "web").lexically_normal().string();
    std::unique_ptr<Runtime> runtime(new Runtime(std::move(config), std::move(host), std::move(warnings)));
    runtime->webDir_ = std::move(webDir);
    return runtime;
}

Runtime::Runtime(Config config, std::unique_ptr<PluginHost> plugins,
                 std::vector<std::string> warnings)
    : config_(std::move(config)),
      log_(Poco::Logger::get("relais")),
      plugins_(std::move(plugins)),
      configWarnings_(std::move(warnings)) {
    router_ = std::make_unique<http::Router>();
    dispatcher_ = std::make_unique<http::Dispatcher>(
        *router_, Poco::Logger::get("relais.access"), Poco::Logger::get("relais.http"),
        config_.getInt("http.max_body_bytes"), config_.getBool("log.access"));
}

Runtime::~Runtime() {
    try {
        stop();
    } catch (...) {
        // Destructors do not throw; stop() already logged what failed.
    }
}

void Runtime::open() {
    dataDir_ = absolute(config_.getString("data.dir"));
    std::error_code ec;
    if (!fs::exists(dataDir_, ec)) {
        fs::create_directories(dataDir_, ec);
        if (ec)
            throw StartupError("cannot create the data folder " + dataDir_ + ": " + ec.message());
        ::chmod(dataDir_.c_str(), 0700);
    }

    db::DatabaseOptions o;
    o.driver = config_.getString("db.driver");
    o.sqlitePath = config_.getString("db.sqlite_path");
    if (o.sqlitePath.empty())
        o.sqlitePath = (fs::path(dataDir_) / "relais.sqlite3").string();
    o.host = config_.getString("db.host");
    o.port = static_cast<int>(config_.getInt("db.port"));
    o.name = config_.getString("db.name");
    o.user = config_.getString("db.user");
    o.password = config_.getString("db.password");
    o.poolSize = static_cast<int>(config_.getInt("db.pool_size"));
    o.acquireTimeoutMs = static_cast<int>(config_.getInt("db.acquire_timeout_ms"));
    o.connectTimeoutMs = static_cast<int>(config_.getInt("db.connect_timeout_ms"));
    o.readTimeoutMs = static_cast<int>(config_.getInt("db.read_timeout_ms"));
    o.maxRetries = static_cast<int>(config_.getInt("db.max_retries"));
    o.busyTimeoutMs = static_cast<int>(config_.getInt("db.busy_timeout_ms"));
    try {
        database_ = db::Database::open(o);
    } catch (const db::Error& e) {
        throw StartupError(e.what());
    }
    log_.information("database %s", database_->describe());

    std::vector<std::string> roots;
    for (const auto& r : config_.getList("migrations.dir"))
        roots.push_back(absolute(r));
    Migrator migrator(*database_, roots, Poco::Logger::get("relais.migrate"));
    try {
        if (migrator.discover("kernel").empty())
            throw MigrationError("no kernel migrations under " +
                                 config_.getString("migrations.dir") +
                                 " (run relaisd from the repository, or set migrations.dir)");
        migrator.migrate("kernel");
        for (const auto& p : plugins_->loaded())
            migrator.migrate(p.name);
    } catch (const MigrationError& e) {
        throw StartupError(e.what());
    } catch (const db::Error& e) {
        throw StartupError(std::string("migrations failed: ") + e.what());
    }

    const std::string keyFile = config_.getString("crypto.master_key_file");
    try {
        const bool useDefault = keyFile.empty();
        const std::string path = useDefault ? (fs::path(dataDir_) / "master.key").string() : keyFile;
        keyring_ = std::make_unique<MasterKeyring>(MasterKeyring::load(path, useDefault));
        keys_ = std::make_unique<KeyStore>(*database_, *keyring_, Poco::Logger::get("relais.keys"));
        if (keyring_->created()) {
            if (keys_->holdsWrappedKeys() ||
                database_->query("SELECT COUNT(*) AS n FROM journal")[0].getInt("n") > 0) {
                ::unlink(path.c_str());
                throw MasterKeyError("the master key " + path +
                                     " is missing but the database holds keys sealed with it; restore the key file");
            }
            log_.notice("generated a new master key in %s (mode 0600); back it up", path);
        }
    } catch (const MasterKeyError& e) {
        throw StartupError(e.what());
    }

    events_ = std::make_unique<InProcessEventBus>(Poco::Logger::get("relais.events"));
    JobSchedulerOptions jo;
    jo.pollMs = config_.getInt("jobs.poll_ms");
    jo.leaseMs = config_.getInt("jobs.lease_ms");
    jo.threads = static_cast<int>(config_.getInt("jobs.threads"));
    jo.nodeId = config_.getString("jobs.node_id");
    scheduler_ =
        std::make_unique<DatabaseJobScheduler>(*database_, Poco::Logger::get("relais.jobs"), jo);

    SmtpOptions so;
    so.host = config_.getString("smtp.host");
    so.port = static_cast<int>(config_.getInt("smtp.port"));
    so.from = config_.getString("smtp.from");
    so.starttls = config_.getBool("smtp.starttls");
    so.tlsVerify = config_.getBool("smtp.tls_verify");
    so.caFile = config_.getString("smtp.ca_file");
    so.user = config_.getString("smtp.user");
    so.password = config_.getString("smtp.password");
    so.timeoutMs = static_cast<int>(config_.getInt("smtp.timeout_ms"));
    OutboxOptions oo;
    oo.batchSize = static_cast<int>(config_.getInt("mail.batch_size"));
    oo.retryBaseMs = config_.getInt("mail.retry_base_ms");
    oo.retryMaxMs = config_.getInt("mail.retry_max_ms");
    oo.maxAttempts = static_cast<int>(config_.getInt("mail.max_attempts"));
    mailer_ = std::make_unique<OutboxMailer>(*database_, Poco::Logger::get("relais.mail"), so, oo);
    mailer_->setEvents(events_.get());
    journal_ = std::make_unique<ChainedJournal>(*database_, *events_, keys_->platformKey("journal"),
                                                Poco::Logger::get("relais.journal"));

    std::string blobDir = config_.getString("storage.dir");
    if (blobDir.empty()) blobDir = (fs::path(dataDir_) / "blobs").string();
    blobs_ = std::make_unique<LocalBlobStore>(absolute(blobDir));
    FileStoreOptions fo;
    fo.segmentBytes = static_cast<std::uint32_t>(config_.getInt("storage.segment_bytes"));
    fo.gcGraceMs = config_.getInt("storage.gc_grace_ms");
    fo.reservationTtlMs = config_.getInt("storage.reservation_ttl_ms");
    files_ = std::make_unique<EncryptedFileStore>(*database_, *blobs_, *keys_, *journal_,
                                                  Poco::Logger::get("relais.storage"), fo);

    std::map<std::string, std::string> modules;
    for (const auto& p : plugins_->loaded()) modules[p.name] = p.version;
    try {
        tenancy_ = std::make_unique<TenancySubsystem>(config_, *database_, *journal_, *mailer_, *files_, *keys_,
                                                      std::move(modules), tenantData_);
    } catch (const ConfigError&) {
        throw;
    } catch (const std::runtime_error& e) {
        throw StartupError(e.what());
    }
}

void Runtime::registerKernelRoutes() {
    router_->add({"GET", "/livez",
                  [](http::Request&, http::Response& res) {
                      res.setHeader("Cache-Control", "no-store");
                      res.send(200, "application/json; charset=utf-8", "{\"status\":\"ok\"}");
                  },
                  http::Scope::Anywhere});
    router_->add({"GET", "/healthz",
                  [this](http::Request&, http::Response& res) {
                      const bool dbOk = databaseOk_, storageOk = storageOk_;
                      Poco::JSON::Object body;
                      body.set("status", dbOk && storageOk ? "ok" : "unavailable");
                      body.set("version", kVersion);
                      body.set("database", dbOk ? "ok" : "unavailable");
                      body.set("storage", storageOk ? "ok" : "unavailable");
                      res.setHeader("Cache-Control", "no-store");
                      if (!dbOk || !storageOk)
                          res.setHeader("Retry-After", "5");
                      http::sendJson(res, dbOk && storageOk ? 200 : 503, body);
                  },
                  http::Scope::Anywhere});
}

void Runtime::registerPlugins() {
    std::vector<std::string> names;
    for (const auto& p : plugins_->loaded())
        names.push_back(p.name);
    for (const auto& name : names) {
        Plugin* plugin = nullptr;
        for (const auto& p : plugins_->loaded())
            if (p.name == name)
                plugin = p.plugin;
        if (!plugin)
            continue;  // skipped with a plugin it depends on
        auto view = std::make_unique<PluginKernel>(*this, *scheduler_, *events_, name);
        try {
            plugin->registerWith(*view);
        } catch (const std::exception& e) {
            view->abandon();
            plugins_->skip(name, std::string("registration failed: ") + e.what());
            pluginViews_.push_back(std::move(view));
            continue;
        }
        try {
            view->commit();
        } catch (const std::exception& e) {
            throw StartupError("plugin " + name + " cannot be registered: " + e.what());
        }
        pluginViews_.push_back(std::move(view));
    }
}

void Runtime::start() {
    if (!database_)
        throw std::logic_error("Runtime::open() comes before start()");
    registerKernelRoutes();
    mailer_->registerJob(*scheduler_, config_.getInt("mail.poll_ms"));
    scheduler_->addPeriodic("kernel.cleanup", 3600LL * 1000, [this](JobContext&) {
        const std::int64_t now = nowMs();
        database_->execute(
            "DELETE FROM job_queue WHERE state IN ('done', 'failed') AND finished_at < ?",
            {now - 30LL * 24 * 3600 * 1000});
        // Sent mails carry links; they are kept a week for support, then deleted.
        database_->execute("DELETE FROM mail_outbox WHERE state = 'sent' AND sent_at < ?",
                           {now - 7LL * 24 * 3600 * 1000});
    });
    scheduler_->addPeriodic("storage.gc", config_.getInt("storage.gc_interval_ms"),
                            [this](JobContext&) { files_->collectGarbage(); });
    tenancy_->registerWith(*router_, *dispatcher_, *scheduler_);
    web_ = std::make_unique<WebFrontEnd>(webDir_, Poco::Logger::get("relais.web"));
    web_->registerWith(*router_);
    dispatcher_->setNotFoundPage(web_->notFoundPage());
    registerPlugins();
    dispatcher_->freeze();
    for (const auto& line : router_->describe())
        Poco::Logger::get("relais.http").debug("route %s", line);

    http::HttpServerOptions ho;
    ho.address = config_.getString("http.address");
    ho.port = static_cast<int>(config_.getInt("http.port"));
    ho.threads = static_cast<int>(config_.getInt("http.threads"));
    ho.queue = static_cast<int>(config_.getInt("http.queue"));
    ho.timeoutMs = static_cast<int>(config_.getInt("http.timeout_ms"));
    ho.headerTimeoutMs = static_cast<int>(config_.getInt("http.header_timeout_ms"));
    ho.keepAlive = config_.getBool("http.keepalive");
    ho.keepAliveTimeoutMs = static_cast<int>(config_.getInt("http.keepalive_timeout_ms"));
    ho.keepAliveMaxRequests = static_cast<int>(config_.getInt("http.keepalive_max_requests"));
    ho.shutdownGraceMs = static_cast<int>(config_.getInt("http.shutdown_grace_ms"));
    ho.tls = config_.getBool("tls.enabled");
    ho.certFile = config_.getString("tls.cert");
    ho.keyFile = config_.getString("tls.key");
    if (ho.tls && (ho.certFile.empty() || ho.keyFile.empty()))
        throw StartupError("tls.enabled is true but tls.cert or tls.key is empty");
    server_ =
        std::make_unique<http::HttpServer>(ho, *dispatcher_, Poco::Logger::get("relais.http"));
    try {
        server_->start();
    } catch (const std::exception& e) {
        throw StartupError(e.what());
    }
    tenancy_->setListeningPort(server_->port(), ho.tls);
    scheduler_->start();
    databaseOk_ = database_->ping();
    health_ = std::thread([this] { monitorHealth(); });
    started_ = true;
    log_.information("relaisd %s listening on %s", std::string(kVersion), baseUrl());
}

void Runtime::monitorHealth() {
    const auto interval = std::chrono::milliseconds(config_.getInt("db.health_interval_ms"));
    std::unique_lock<std::mutex> lock(healthMutex_);
    while (!stopping_) {
        lock.unlock();
        const bool dbOk = database_->ping();
        const bool storageOk = blobs_->healthy();
        if (dbOk != databaseOk_.exchange(dbOk)) {
            if (dbOk)
                log_.notice("the database %s is reachable again", database_->describe());
            else
                log_.error("the database %s is unreachable", database_->describe());
        }
        if (storageOk != storageOk_.exchange(storageOk)) {
            if (storageOk)
                log_.notice("the blob folder %s is writable again", blobs_->root());
            else
                log_.error("the blob folder %s is not writable", blobs_->root());
        }
        lock.lock();
        healthWake_.wait_for(lock, interval, [this] { return stopping_; });
    }
}

void Runtime::stop() {
    {
        std::lock_guard<std::mutex> lock(healthMutex_);
        if (stopping_)
            return;
        stopping_ = true;
    }
    healthWake_.notify_all();
    if (server_)
        server_->stop();
    for (const auto& p : plugins_->loaded()) {
        try {
            p.plugin->stop();
        } catch (...) {
            log_.error("plugin %s failed to stop", p.name);
        }
    }
    if (scheduler_)
        scheduler_->stop();
    if (health_.joinable())
        health_.join();
    if (started_)
        log_.information("relaisd stopped");
}

std::uint16_t Runtime::httpPort() const {
    return server_ ? server_->port() : 0;
}

std::string Runtime::baseUrl() const {
    return std::string(config_.getBool("tls.enabled") ? "https" : "http") + "://" +
           config_.getString("http.address") + ":" + std::to_string(httpPort());
}

db::Database& Runtime::database() {
    return *database_;
}
http::RouteRegistry& Runtime::routes() {
    return *router_;
}
void Runtime::addMiddleware(int order, const std::string& name, http::Middleware middleware) {
    dispatcher_->addMiddleware(order, name, std::move(middleware));
}
JobScheduler& Runtime::jobs() {
    return *scheduler_;
}
Mailer& Runtime::mail() {
    return *mailer_;
}
Journal& Runtime::journal() {
    return *journal_;
}
EventBus& Runtime::events() {
    return *events_;
}
FileStore& Runtime::files() {
    return *files_;
}
void Runtime::setModuleGate(http::ModuleGate gate) {
    dispatcher_->setModuleGate(std::move(gate));
}

}  // namespace relais
