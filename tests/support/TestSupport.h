#pragma once

// Helpers shared by the test suites: scratch folders, the database a suite runs against,
// an in-process server, a relaisd child process, HTTP calls and raw sockets.

#include <cppunit/extensions/HelperMacros.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "relais/Database.h"

namespace relais {
class ChainedJournal;
class EncryptedFileStore;
class InProcessEventBus;
class Journal;
class KeyStore;
class LocalBlobStore;
class MasterKeyring;
class Runtime;
}

namespace relais::test {

std::string sourceDir();
std::string binaryDir();
/// The folder of the fixture plugins built with the tests.
std::string fixturePluginsDir();

/// A fresh folder under build/test-tmp, removed at destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

/// Which database the suite runs against: `--db sqlite` (default) or `--db mysql`.
db::Dialect dialect();
void setDialect(db::Dialect d);
const char* dialectName();

/// An environment variable that make test sets; fails the test when it is missing, so that a
/// suite that needs a service can never pass without it.
std::string requiredEnv(const char* name);

/// A database of its own for one test: a SQLite file in a scratch folder, or a new MariaDB
/// database (dropped at destruction) on the server make test started.
class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;
    /// The db.* keys that point relaisd at it (and data.dir for SQLite).
    std::map<std::string, std::string> settings() const;
    db::DatabaseOptions options() const;
    /// A pool opened on it.
    std::unique_ptr<db::Database> open() const;

private:
    TempDir dir_;
    std::string mysqlName_;
};

/// A suite whose tests each get a scratch folder (`dir_`, for the suite) and a fresh database
/// on the driver of --db (`db_`).
class DatabaseFixture : public CppUnit::TestFixture {
public:
    void setUp() override { db_ = std::make_unique<TestDatabase>(); }
    void tearDown() override { db_.reset(); }

protected:
    TempDir dir_;
    std::unique_ptr<TestDatabase> db_;
};

/// A TestDatabase with the kernel's migrations applied, and a pool on it.
class MigratedDatabase {
public:
    MigratedDatabase();
    ~MigratedDatabase();
    db::Database& operator*() { return *db_; }
    db::Database* operator->() { return db_.get(); }
    const TestDatabase& test() const { return test_; }

private:
    TestDatabase test_;
    std::unique_ptr<db::Database> db_;
};

/// The storage stack over a MigratedDatabase, as relaisd assembles it: master keyring in a
/// scratch folder, key store, event bus, journal, local blob store, encrypted file store.
class StorageStack {
public:
    explicit StorageStack(std::uint32_t segmentBytes = 4096, std::int64_t gcGraceMs = 3600000,
                          std::int64_t reservationTtlMs = 60000);
    ~StorageStack();
    MigratedDatabase& database() { return db_; }
    MasterKeyring& keyring() { return *keyring_; }
    KeyStore& keys() { return *keys_; }
    Journal& journal();
    LocalBlobStore& blobs() { return *blobs_; }
    EncryptedFileStore& files() { return *files_; }
    const TempDir& dir() const { return dir_; }

    /// Stores `content` as a new sealed file of `tenant`; returns its id.
    std::string store(const std::string& tenant, const std::string& content);
    /// Reads a whole file back.
    std::string read(const std::string& tenant, const std::string& fileId);

private:
    TempDir dir_;
    MigratedDatabase db_;
    std::unique_ptr<MasterKeyring> keyring_;
    std::unique_ptr<KeyStore> keys_;
    std::unique_ptr<InProcessEventBus> events_;
    std::unique_ptr<ChainedJournal> journal_;
    std::unique_ptr<LocalBlobStore> blobs_;
    std::unique_ptr<EncryptedFileStore> files_;
};

/// Settings every in-process server of the tests starts from: port 0, a scratch data folder,
/// the repository's migrations, fast job ticks, no plugins.
std::map<std::string, std::string> baseSettings(const TempDir& dataDir, const TestDatabase& db);
/// The same, with the fixture plugins of tests/fixtures/plugins and their migrations.
std::map<std::string, std::string> fixtureSettings(const TempDir& dataDir, const TestDatabase& db);
/// baseSettings with the product's plugins (wesend...) of this build.
std::map<std::string, std::string> productSettings(const TempDir& dataDir, const TestDatabase& db);

/// relaisd in-process: configure, open, start; stopped at destruction.
class TestServer {
public:
    explicit TestServer(std::map<std::string, std::string> settings,
                        const std::function<void(Runtime&)>& beforeStart = {});
    ~TestServer();
    Runtime& runtime() { return *runtime_; }
    std::uint16_t port() const;

private:
    std::unique_ptr<Runtime> runtime_;
};

struct HttpResult {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< lower-case names; the last of repeated ones
    std::vector<std::string> setCookies;         ///< every Set-Cookie line
    std::string body;
    std::string header(const std::string& lowerName) const {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
    /// The Set-Cookie line of the cookie `name`, or "".
    std::string setCookie(const std::string& name) const {
        for (const auto& c : setCookies)
            if (c.rfind(name + "=", 0) == 0) return c;
        return {};
    }
};

/// One HTTP/1.1 request with POCO's client.
HttpResult http(std::uint16_t port, const std::string& method, const std::string& path,
                const std::string& body = {}, const std::string& contentType = {},
                const std::map<std::string, std::string>& headers = {});

/// Writes raw bytes to 127.0.0.1:port and returns what comes back until the server closes, one
/// whole response with a Content-Length has arrived, or `timeoutMs` passes. For malformed
/// requests that no client library would send.
std::string rawExchange(std::uint16_t port, const std::string& bytes, int timeoutMs = 5000,
                        bool untilClose = false);

/// The status code of a raw HTTP response ("HTTP/1.1 404 ..."), or 0.
int statusOf(const std::string& rawResponse);
/// The body of a raw response (after the blank line).
std::string bodyOf(const std::string& rawResponse);

/// Polls `condition` every 20 ms; fails the test with `what` after `timeoutMs`.
void waitUntil(const std::function<bool()>& condition, int timeoutMs, const std::string& what);

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& content);
/// Inverts every bit of the byte at `offset` of a file: a corruption that always changes it
/// (writing a fixed value would leave it as it was once in 256 runs).
void flipByte(const std::string& path, std::int64_t offset);

/// A relaisd child process with its standard output and error captured to files.
class RelaisdProcess {
public:
    /// Starts build/<config>/bin/relaisd with `args` in `workDir`, with the current environment
    /// plus `env`.
    RelaisdProcess(const std::vector<std::string>& args, const std::string& workDir,
                   const std::map<std::string, std::string>& env = {});
    ~RelaisdProcess();
    /// Waits for "listening on ...:PORT" in the log and returns the port; fails the test if the
    /// process exits first or `timeoutMs` passes.
    std::uint16_t waitListening(int timeoutMs = 30000);
    /// Waits for the exit and returns the exit code (128+signal when killed).
    int wait(int timeoutMs = 30000);
    void signal(int sig);
    bool running();
    std::string output() const;  ///< standard output and standard error so far
    int pid() const { return pid_; }

private:
    int pid_ = -1;
    int exitCode_ = -1;
    std::string outFile_;
};

/// Runs a command line through /bin/sh; returns its exit code; output appended to `output`.
int runCommand(const std::string& command, std::string* output = nullptr);

/// A free TCP port on 127.0.0.1.
int freePort();

/// A self-signed certificate for localhost and 127.0.0.1, made with the openssl tool.
struct Certificate {
    std::string certFile;
    std::string keyFile;
};
Certificate makeCertificate(const TempDir& dir);

/// A private SMTP server (tests/support/smtp_server.py, aiosmtpd) writing to a Maildir.
class SmtpServer {
public:
    SmtpServer(int port, std::string maildir, const std::vector<std::string>& extraArgs = {});
    ~SmtpServer();
    void stop();

private:
    int pid_ = -1;
};

/// The raw messages of a Maildir (new and cur).
std::vector<std::string> maildirMessages(const std::string& maildir);

/// Quoted-printable decoded, leniently, as a mail client reads it: soft line breaks (CRLF or
/// LF) removed, "=XX" decoded, any other '=' kept (so a whole message, headers included, can
/// be passed).
std::string decodeQuotedPrintable(const std::string& text);

}  // namespace relais::test
