#include "TestSupport.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "config/ConfigLoader.h"
#include "migrate/Migrator.h"
#include "audit/ChainedJournal.h"
#include "crypto/KeyStore.h"
#include "crypto/MasterKeyring.h"
#include "events/InProcessEventBus.h"
#include "storage/EncryptedFileStore.h"
#include "storage/LocalBlobStore.h"
#include "relais/Random.h"
#include "runtime/Runtime.h"

extern char** environ;

namespace fs = std::filesystem;

namespace relais::test {

namespace {
db::Dialect currentDialect = db::Dialect::SQLite;
}

std::string sourceDir() {
    return RELAIS_SOURCE_DIR;
}
std::string binaryDir() {
    return RELAIS_BINARY_DIR;
}
std::string fixturePluginsDir() {
    return binaryDir() + "/tests/fixture-plugins";
}

TempDir::TempDir() {
    const fs::path root = fs::path(binaryDir()) / "test-tmp";
    fs::create_directories(root);
    path_ = (root / ("t-" + toHex(randomBytes(6)))).string();
    fs::create_directories(path_);
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::replace);
}

TempDir::~TempDir() {
    std::error_code ec;
    if (!std::getenv("RELAIS_TEST_KEEP"))
        fs::remove_all(path_, ec);
}

db::Dialect dialect() {
    return currentDialect;
}
void setDialect(db::Dialect d) {
    currentDialect = d;
}
const char* dialectName() {
    return currentDialect == db::Dialect::SQLite ? "sqlite" : "mysql";
}

std::string requiredEnv(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v)
        CPPUNIT_FAIL(std::string(name) +
                     " is not set: run the suite through `make test`, which "
                     "starts the services it needs");
    return v;
}

namespace {
db::DatabaseOptions mariadbAdmin() {
    db::DatabaseOptions o;
    o.driver = "mysql";
    o.host = requiredEnv("TEST_MARIADB_HOST");
    o.port = std::stoi(requiredEnv("TEST_MARIADB_PORT"));
    o.user = requiredEnv("TEST_MARIADB_USER");
    o.password = requiredEnv("TEST_MARIADB_PASSWORD");
    o.name = "relais";
    o.poolSize = 2;
    return o;
}
}  // namespace

TestDatabase::TestDatabase() {
    if (currentDialect == db::Dialect::MySQL) {
        mysqlName_ = "t_" + toHex(randomBytes(6));
        auto admin = db::Database::open(mariadbAdmin());
        admin->acquire()->executeScript("CREATE DATABASE " + mysqlName_ +
                                        " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
}

TestDatabase::~TestDatabase() {
    if (mysqlName_.empty())
        return;
    try {
        auto admin = db::Database::open(mariadbAdmin());
        admin->acquire()->executeScript("DROP DATABASE IF EXISTS " + mysqlName_);
    } catch (...) {
        // The server of an outage test may be gone; the scratch server is discarded anyway.
    }
}

db::DatabaseOptions TestDatabase::options() const {
    if (currentDialect == db::Dialect::MySQL) {
        auto o = mariadbAdmin();
        o.name = mysqlName_;
        o.poolSize = 8;
        return o;
    }
    db::DatabaseOptions o;
    o.driver = "sqlite";
    o.sqlitePath = dir_.file("relais.sqlite3");
    o.poolSize = 8;
    return o;
}

std::map<std::string, std::string> TestDatabase::settings() const {
    const auto o = options();
    if (currentDialect == db::Dialect::MySQL)
        return {{"db.driver", "mysql"}, {"db.host", o.host}, {"db.port", std::to_string(o.port)},
                {"db.name", o.name},    {"db.user", o.user}, {"db.password", o.password}};
    return {{"db.driver", "sqlite"}, {"db.sqlite_path", o.sqlitePath}};
}

std::unique_ptr<db::Database> TestDatabase::open() const {
    return db::Database::open(options());
}

std::map<std::string, std::string> baseSettings(const TempDir& dataDir, const TestDatabase& db) {
    std::map<std::string, std::string> s = {
        {"http.port", "0"},
        {"data.dir", dataDir.path()},
        {"migrations.dir", sourceDir() + "/migrations"},
        {"tenancy.plans_file", sourceDir() + "/tenants/plans.json"},
        {"plugins.dir", dataDir.file("no-plugins")},
        {"jobs.poll_ms", "50"},
        {"mail.poll_ms", "100"},
        {"db.health_interval_ms", "200"},
        {"http.shutdown_grace_ms", "2000"},
    };
    for (const auto& [k, v] : db.settings())
        s[k] = v;
    return s;
}

std::map<std::string, std::string> productSettings(const TempDir& dataDir, const TestDatabase& db) {
    auto s = baseSettings(dataDir, db);
    s["plugins.dir"] = std::string(RELAIS_BINARY_DIR) + "/plugins";
    return s;
}

std::map<std::string, std::string> fixtureSettings(const TempDir& dataDir, const TestDatabase& db) {
    auto s = baseSettings(dataDir, db);
    s["plugins.dir"] = fixturePluginsDir();
    s["migrations.dir"] = sourceDir() + "/migrations," + sourceDir() + "/tests/fixtures/migrations";
    return s;
}

MigratedDatabase::MigratedDatabase() : db_(test_.open()) {
    Migrator(*db_, {sourceDir() + "/migrations"}, Poco::Logger::get("test")).migrate("kernel");
}

MigratedDatabase::~MigratedDatabase() {
    db_.reset();
}

StorageStack::StorageStack(std::uint32_t segmentBytes, std::int64_t gcGraceMs, std::int64_t reservationTtlMs) {
    keyring_ = std::make_unique<MasterKeyring>(MasterKeyring::load(dir_.file("master.key"), true));
    keys_ = std::make_unique<KeyStore>(*db_, *keyring_, Poco::Logger::get("test"));
    events_ = std::make_unique<InProcessEventBus>(Poco::Logger::get("test"));
    journal_ = std::make_unique<ChainedJournal>(*db_, *events_, keys_->platformKey("journal"), Poco::Logger::get("test"));
    blobs_ = std::make_unique<LocalBlobStore>(dir_.file("blobs"));
    FileStoreOptions o;
    o.segmentBytes = segmentBytes;
    o.gcGraceMs = gcGraceMs;
    o.reservationTtlMs = reservationTtlMs;
    files_ = std::make_unique<EncryptedFileStore>(*db_, *blobs_, *keys_, *journal_, Poco::Logger::get("test"), o);
}

StorageStack::~StorageStack() = default;

Journal& StorageStack::journal() { return *journal_; }

std::string StorageStack::store(const std::string& tenant, const std::string& content) {
    const std::string id = files_->createFile(tenant);
    auto w = files_->append(tenant, id, static_cast<std::int64_t>(content.size()));
    w->write(content.data(), content.size());
    w->commit();
    files_->seal(tenant, id);
    return id;
}

std::string StorageStack::read(const std::string& tenant, const std::string& fileId) {
    auto r = files_->open(tenant, fileId);
    std::string out(static_cast<std::size_t>(r->size()), '\0');
    std::size_t at = 0;
    while (at < out.size()) {
        const std::size_t n = r->read(static_cast<std::int64_t>(at), out.data() + at, out.size() - at);
        if (n == 0) break;
        at += n;
    }
    out.resize(at);
    return out;
}

TestServer::TestServer(std::map<std::string, std::string> settings,
                       const std::function<void(Runtime&)>& beforeStart) {
    ConfigLoader loader;
    for (const auto& [k, v] : settings)
        loader.setOverride(k, v, "test setting " + k);
    runtime_ = Runtime::configure(loader, binaryDir() + "/bin", false);
    runtime_->open();
    if (beforeStart)
        beforeStart(*runtime_);
    runtime_->start();
}

TestServer::~TestServer() {
    if (runtime_)
        runtime_->stop();
}

std::uint16_t TestServer::port() const {
    return runtime_->httpPort();
}

HttpResult http(std::uint16_t port, const std::string& method, const std::string& path,
                const std::string& body, const std::string& contentType,
                const std::map<std::string, std::string>& headers) {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(30, 0));
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setHost("localhost");
    for (const auto& [k, v] : headers)
        request.set(k, v);
    if (!contentType.empty())
        request.setContentType(contentType);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
        request.setContentLength(static_cast<std::streamsize>(body.size()));
    session.sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    HttpResult r;
    r.status = response.getStatus();
    for (const auto& [k, v] : response) {
        r.headers[Poco::toLower(k)] = v;
        if (Poco::icompare(k, "Set-Cookie") == 0) r.setCookies.push_back(v);
    }
    std::ostringstream out;
    Poco::StreamCopier::copyStream(in, out);
    r.body = out.str();
    return r;
}

std::string rawExchange(std::uint16_t port, const std::string& bytes, int timeoutMs,
                        bool untilClose) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(5, 0));
    socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeoutMs) * 1000));
    std::size_t sent = 0;
    try {
        while (sent < bytes.size()) {
            int n = socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
            if (n <= 0)
                break;
            sent += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception&) {
        // The server may close while we are still sending (an oversize head): read its answer.
    }
    std::string out;
    char buf[8192];
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    // One whole response with a Content-Length is enough: no need to wait for a keep-alive
    // connection to time out.
    auto complete = [&] {
        auto end = out.find("\r\n\r\n");
        if (end == std::string::npos)
            return false;
        std::string head = Poco::toLower(out.substr(0, end));
        auto cl = head.find("\r\ncontent-length:");
        if (cl == std::string::npos)
            return false;
        std::size_t length = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
        return !untilClose && out.size() >= end + 4 + length && head.compare(9, 3, "100") != 0;
    };
    try {
        while (std::chrono::steady_clock::now() < deadline && !complete()) {
            int n = socket.receiveBytes(buf, sizeof buf);
            if (n <= 0)
                break;
            out.append(buf, static_cast<std::size_t>(n));
        }
    } catch (const Poco::Exception&) {
        // Timeout or reset: return what arrived.
    }
    return out;
}

int statusOf(const std::string& raw) {
    if (raw.compare(0, 5, "HTTP/") != 0)
        return 0;
    auto sp = raw.find(' ');
    return sp == std::string::npos ? 0 : std::atoi(raw.c_str() + sp + 1);
}

std::string bodyOf(const std::string& raw) {
    auto end = raw.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : raw.substr(end + 4);
}

void waitUntil(const std::function<bool()>& condition, int timeoutMs, const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (!condition()) {
        if (std::chrono::steady_clock::now() > deadline)
            CPPUNIT_FAIL("timed out after " + std::to_string(timeoutMs) + " ms waiting for " +
                         what);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void flipByte(const std::string& path, std::int64_t offset) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(offset));
    const int original = f.get();
    CPPUNIT_ASSERT_MESSAGE("cannot read byte " + std::to_string(offset) + " of " + path, original != EOF);
    f.seekp(static_cast<std::streamoff>(offset));
    f.put(static_cast<char>(~original));
    CPPUNIT_ASSERT_MESSAGE("cannot write " + path, f.good());
}

void writeFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
}

RelaisdProcess::RelaisdProcess(const std::vector<std::string>& args, const std::string& workDir,
                               const std::map<std::string, std::string>& env) {
    outFile_ = workDir + "/relaisd-" + toHex(randomBytes(4)) + ".out";
    const std::string exe = binaryDir() + "/bin/relaisd";
    pid_ = ::fork();
    if (pid_ == 0) {
        int fd = ::open(outFile_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        if (::chdir(workDir.c_str()) != 0)
            ::_exit(126);
        for (const auto& [k, v] : env)
            ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> argv;
        argv.push_back(const_cast<char*>(exe.c_str()));
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(exe.c_str(), argv.data());
        ::_exit(127);
    }
    CPPUNIT_ASSERT_MESSAGE("fork failed", pid_ > 0);
}

RelaisdProcess::~RelaisdProcess() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        int status;
        ::waitpid(pid_, &status, 0);
    }
}

bool RelaisdProcess::running() {
    if (exitCode_ >= 0)
        return false;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
        exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
    }
    return true;
}

std::uint16_t RelaisdProcess::waitListening(int timeoutMs) {
    // The log line, or the banner on standard output when the log goes to a file.
    static const std::regex listening("(listening on|Open) +https?://[^ /]+:([0-9]+)");
    std::uint16_t port = 0;
    waitUntil(
        [&] {
            std::smatch m;
            const std::string out = output();
            if (std::regex_search(out, m, listening)) {
                port = static_cast<std::uint16_t>(std::stoi(m[2]));
                return true;
            }
            if (!running())
                CPPUNIT_FAIL("relaisd exited with " + std::to_string(exitCode_) +
                             " before listening:\n" + out);
            return false;
        },
        timeoutMs, "relaisd to listen");
    return port;
}

int RelaisdProcess::wait(int timeoutMs) {
    waitUntil([&] { return !running(); }, timeoutMs, "relaisd to exit");
    return exitCode_;
}

void RelaisdProcess::signal(int sig) {
    ::kill(pid_, sig);
}

std::string RelaisdProcess::output() const {
    return readFile(outFile_);
}

int runCommand(const std::string& command, std::string* output) {
    std::string cmd = command + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p)
        return -1;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        if (output)
            output->append(buf, n);
    int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Certificate makeCertificate(const TempDir& dir) {
    Certificate c{dir.file("cert.pem"), dir.file("key.pem")};
    std::string out;
    int rc = runCommand(
        "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
        " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
            c.keyFile + " -out " + c.certFile,
        &out);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(out, 0, rc);
    return c;
}

SmtpServer::SmtpServer(int port, std::string maildir, const std::vector<std::string>& extraArgs) {
    const std::string ready = maildir + ".ready-" + toHex(randomBytes(4));
    std::vector<std::string> args = {
        "/usr/bin/python3", sourceDir() + "/tests/support/smtp_server.py",
        "--port",           std::to_string(port),
        "--maildir",        maildir,
        "--ready-file",     ready};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    pid_ = ::fork();
    if (pid_ == 0) {
        int devnull = ::open("/dev/null", O_WRONLY);
        ::dup2(devnull, 1);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    waitUntil([&] { return fs::exists(ready); }, 15000, "the SMTP server to start");
}

SmtpServer::~SmtpServer() {
    stop();
}

void SmtpServer::stop() {
    if (pid_ <= 0)
        return;
    ::kill(pid_, SIGTERM);
    int status;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string decodeQuotedPrintable(const std::string& in) {
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] != '=') {
            out += in[i];
        } else if (in.compare(i + 1, 2, "\r\n") == 0) {
            i += 2;  // soft line break
        } else if (i + 1 < in.size() && in[i + 1] == '\n') {
            i += 1;
        } else if (i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
            out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

std::vector<std::string> maildirMessages(const std::string& maildir) {
    std::vector<std::string> out;
    for (const char* sub : {"new", "cur"}) {
        std::error_code ec;
        fs::path dir = fs::path(maildir) / sub;
        if (!fs::is_directory(dir, ec))
            continue;
        for (const auto& e : fs::directory_iterator(dir, ec))
            out.push_back(readFile(e.path().string()));
    }
    return out;
}

int freePort() {
    Poco::Net::ServerSocket s(Poco::Net::SocketAddress("127.0.0.1", 0));
    return s.address().port();
}

}  // namespace relais::test
