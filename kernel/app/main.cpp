// relaisd: the Relais server, and the operator's command line for one-off tasks.
//
//   relaisd [--config FILE] [--set key=value]...     serve
//   relaisd migrate                                   apply migrations and exit
//   relaisd jobs                                      show every job's last run
//   relaisd journal verify [--tenant ID]              verify a journal chain
//   relaisd keys rotate --master | --tenant ID        re-wrap keys under a new key version
//   relaisd storage verify                            authenticate every stored file
//   relaisd storage gc                                collect orphan blobs now
//   relaisd config check                              validate and print the configuration
//
// Exit codes: 0 done, 1 start-up failure (one line on standard error), 2 configuration error,
// 3 verification failed (journal or storage), 64 usage error.

#include <Poco/Logger.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <string>
#include <vector>

#include "audit/ChainedJournal.h"
#include "config/ConfigLoader.h"
#include "jobs/DatabaseJobScheduler.h"
#include "log/Logging.h"
#include "relais/Journal.h"
#include "relais/Problem.h"
#include "relais/Time.h"
#include "relais/Version.h"
#include "crypto/KeyStore.h"
#include "runtime/Runtime.h"
#include "storage/EncryptedFileStore.h"
#include "tenancy/Provisioning.h"
#include "tenancy/TenancySubsystem.h"

extern char** environ;

namespace {

constexpr int kExitStartup = 1;
constexpr int kExitConfig = 2;
constexpr int kExitJournal = 3;  // a verification (journal or storage) failed
constexpr int kExitUsage = 64;

const char* kUsage =
    "usage: relaisd [COMMAND] [--config FILE] [--set KEY=VALUE]...\n"
    "\n"
    "Commands:\n"
    "  (none)                  start the server\n"
    "  migrate                 apply the database migrations and exit\n"
    "  jobs                    show each job's last run, duration and outcome\n"
    "  journal verify [--tenant ID]\n"
    "                          verify the hash chain of the platform or of one tenant\n"
    "  keys rotate --master    new master key version; every tenant and platform key re-wrapped\n"
    "  keys rotate --tenant ID new key version for one tenant; its files' data keys re-wrapped\n"
    "  storage verify          authenticate every segment of every stored file\n"
    "  storage gc              remove orphan blobs and abandoned writes now\n"
    "  config check            validate the configuration and print it (secrets hidden)\n"
    "  operator create --email E --password P [--name N]\n"
    "                          create a platform operator (--password generate: a random one)\n"
    "  tenants apply FILE      create or update a reseller, its tenants and their first users\n"
    "                          from a manifest (tenants/demo.json); applying it again changes\n"
    "                          nothing\n"
    "\n"
    "Options:\n"
    "  --config FILE           configuration file (default: config/relais.properties)\n"
    "  --set KEY=VALUE         override one key (after the file and RELAIS_* variables)\n"
    "  --version               print the version\n"
    "  --help                  print this help\n";

struct Args {
    std::vector<std::string> verb;
    std::string configFile = "config/relais.properties";
    std::vector<std::pair<std::string, std::string>> overrides;
    std::string tenant;
    std::string email;
    std::string password;
    std::string name;
    bool master = false;
    bool help = false;
    bool version = false;
};

bool parseArgs(int argc, char** argv, Args& a, std::string& error) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&](const std::string& name) -> std::string {
            if (i + 1 >= argc) {
                error = name + " needs a value";
                return {};
            }
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h")
            a.help = true;
        else if (arg == "--version")
            a.version = true;
        else if (arg == "--config")
            a.configFile = value(arg);
        else if (arg.rfind("--config=", 0) == 0)
            a.configFile = arg.substr(9);
        else if (arg == "--tenant")
            a.tenant = value(arg);
        else if (arg == "--email")
            a.email = value(arg);
        else if (arg == "--password")
            a.password = value(arg);
        else if (arg == "--name")
            a.name = value(arg);
        else if (arg == "--master")
            a.master = true;
        else if (arg == "--set" || arg.rfind("--set=", 0) == 0) {
            std::string kv = arg == "--set" ? value(arg) : arg.substr(6);
            auto eq = kv.find('=');
            if (eq == std::string::npos || eq == 0) {
                error = "--set takes KEY=VALUE, got '" + kv + "'";
                return false;
            }
            a.overrides.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
        } else if (!arg.empty() && arg[0] == '-') {
            error = "unknown option " + arg;
            return false;
        } else {
            a.verb.push_back(arg);
        }
        if (!error.empty())
            return false;
    }
    return true;
}

std::string binaryDir() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string(".") : exe.parent_path().string();
}

std::string displayUrl(const relais::Runtime& rt) {
    std::string address = rt.config().getString("http.address");
    if (address == "127.0.0.1" || address == "0.0.0.0" || address == "::1" || address == "::")
        address = "localhost";
    return std::string(rt.config().getBool("tls.enabled") ? "https" : "http") + "://" + address +
           ":" + std::to_string(rt.httpPort());
}

int serve(relais::Runtime& rt, const sigset_t& signals) {
    rt.open();
    rt.start();
    const std::string dataDir =
        std::filesystem::absolute(rt.config().getString("data.dir")).string();
    const std::string pidFile = dataDir + "/relaisd.pid";
    { std::ofstream(pidFile) << ::getpid() << "\n"; }
    const std::string url = displayUrl(rt);
    std::printf(
        "\nRelais %s is running.\n"
        "  Open    %s/healthz\n"
        "  Data    %s\n"
        "  Stop    Ctrl-C, or: kill -TERM $(cat %s)\n\n",
        relais::kVersion, url.c_str(), dataDir.c_str(), pidFile.c_str());
    if (!rt.tenancy().hasOperator())
        std::printf(
            "No platform operator exists yet. Create one with:\n"
            "  relaisd operator create --email you@example.fr --password generate --config FILE\n\n");
    std::fflush(stdout);
    int sig = 0;
    sigwait(&signals, &sig);
    Poco::Logger::get("relais").information("received signal %d, stopping", sig);
    rt.stop();
    std::remove(pidFile.c_str());
    return 0;
}

std::string problemText(const relais::Problem& p) {
    std::string text = p.detail();
    for (const auto& e : p.errors()) text += " (" + e.field + ": " + e.message + ")";
    return text;
}

int createOperator(relais::Runtime& rt, const Args& args) {
    if (args.email.empty() || args.password.empty()) {
        std::fprintf(stderr, "relaisd: operator create takes --email E --password P\n\n%s", kUsage);
        return kExitUsage;
    }
    rt.open();
    const std::string name = args.name.empty() ? args.email.substr(0, args.email.find('@')) : args.name;
    auto created = rt.tenancy().provisioning().createOperator(args.email, name, args.password);
    std::printf("operator %s created", created.user.email.c_str());
    if (!created.generatedPassword.empty()) std::printf(", password: %s (shown once)", created.generatedPassword.c_str());
    std::printf("\nlog in at %s/api/v1/auth/login\n", rt.tenancy().settings().defaultBase.c_str());
    return 0;
}

int applyTenants(relais::Runtime& rt, const std::string& file) {
    rt.open();
    std::ostringstream report;
    rt.tenancy().provisioning().applyManifest(file, report);
    std::fputs(report.str().c_str(), stdout);
    return 0;
}

int showJobs(relais::Runtime& rt) {
    rt.open();
    auto jobs = rt.scheduler().status();
    std::printf("%-24s %-10s %-26s %10s  %s\n", "JOB", "OUTCOME", "LAST RUN (UTC)", "DURATION",
                "ERROR");
    for (const auto& j : jobs) {
        std::printf("%-24s %-10s %-26s %8lldms  %s\n", j.name.c_str(),
                    j.lastOutcome.empty() ? "never" : j.lastOutcome.c_str(),
                    j.lastStartedAtMs ? relais::formatRfc3339(j.lastStartedAtMs).c_str() : "-",
                    static_cast<long long>(j.lastDurationMs), j.lastError.c_str());
    }
    return 0;
}

int verifyJournal(relais::Runtime& rt, const std::string& tenant) {
    rt.open();
    auto v = rt.journal().verify(tenant);
    const std::string chain = relais::ChainedJournal::chainOf(tenant);
    if (v.ok) {
        std::printf("journal %s: ok, %lld entries checked\n", chain.c_str(),
                    static_cast<long long>(v.entriesChecked));
        return 0;
    }
    std::printf("journal %s: BROKEN at seq %lld (entry id %lld): %s; %lld entries checked\n",
                chain.c_str(), static_cast<long long>(v.firstBadSeq),
                static_cast<long long>(v.firstBadEntryId), v.problem.c_str(),
                static_cast<long long>(v.entriesChecked));
    return kExitJournal;
}

int rotateKeys(relais::Runtime& rt, const Args& args) {
    if (args.master == !args.tenant.empty()) {
        std::fprintf(stderr, "relaisd: keys rotate takes --master or --tenant ID\n\n%s", kUsage);
        return kExitUsage;
    }
    rt.open();
    if (args.master) {
        const auto [version, rewrapped] = rt.keyStore().rotateMaster();
        relais::JournalEntry e;
        e.actor = {"operator", "cli", ""};
        e.action = "keys.master_rotated";
        e.objectType = "master_key";
        e.objectId = std::to_string(version);
        e.details = "{\"version\":" + std::to_string(version) + ",\"keys_rewrapped\":" + std::to_string(rewrapped) + "}";
        rt.journal().append(e);
        std::printf("master key: version %d is current; %lld key(s) re-wrapped; older versions removed from %s\n",
                    version, static_cast<long long>(rewrapped),
                    rt.config().getString("crypto.master_key_file").empty() ? "the key file"
                                                                              : rt.config().getString("crypto.master_key_file").c_str());
        return 0;
    }
    const auto [version, rewrapped] = rt.fileStore().rotateTenantKey(args.tenant);
    std::printf("tenant %s: key version %d is current; %lld data key(s) re-wrapped; older versions destroyed\n",
                args.tenant.c_str(), version, static_cast<long long>(rewrapped));
    return 0;
}

int verifyStorage(relais::Runtime& rt) {
    rt.open();
    std::int64_t bad = 0;
    const std::int64_t checked = rt.fileStore().verifyAll([&](const relais::BadFile& f) {
        ++bad;
        std::printf("BAD file %s (tenant %s): %s\n", f.fileId.c_str(), f.tenantId.c_str(), f.reason.c_str());
    });
    std::printf("storage: %lld file(s) checked, %lld bad\n", static_cast<long long>(checked), static_cast<long long>(bad));
    return bad == 0 ? 0 : kExitJournal;
}

}  // namespace

int main(int argc, char** argv) {
    // Signals are taken by sigwait in the main thread only; block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGQUIT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    Args args;
    std::string error;
    if (!parseArgs(argc, argv, args, error)) {
        std::fprintf(stderr, "relaisd: %s\n\n%s", error.c_str(), kUsage);
        return kExitUsage;
    }
    if (args.help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (args.version) {
        std::printf("relaisd %s (plugin ABI %u)\n", relais::kVersion, relais::kPluginAbiVersion);
        return 0;
    }
    const std::string verb = [&] {
        std::string v;
        for (const auto& w : args.verb)
            v += (v.empty() ? "" : " ") + w;
        return v;
    }();
    const bool apply = args.verb.size() == 3 && args.verb[0] == "tenants" && args.verb[1] == "apply";
    if (!verb.empty() && !apply && verb != "migrate" && verb != "jobs" && verb != "journal verify" &&
        verb != "config check" && verb != "keys rotate" && verb != "storage verify" && verb != "storage gc" &&
        verb != "operator create") {
        std::fprintf(stderr, "relaisd: unknown command '%s'\n\n%s", verb.c_str(), kUsage);
        return kExitUsage;
    }

    std::unique_ptr<relais::Runtime> rt;
    try {
        relais::ConfigLoader loader;
        loader.loadFile(args.configFile);
        loader.loadEnvironment(environ);
        for (const auto& [k, v] : args.overrides)
            loader.setOverride(k, v, "command line --set " + k);
        rt = relais::Runtime::configure(loader, binaryDir(), true);
    } catch (const relais::ConfigError& e) {
        std::fprintf(stderr, "relaisd: %s\n", e.what());
        relais::shutdownLogging();
        return kExitConfig;
    }

    int code = 0;
    try {
        if (verb.empty()) {
            code = serve(*rt, signals);
        } else if (verb == "migrate") {
            rt->open();
            std::printf("migrations applied; the database is up to date\n");
        } else if (verb == "jobs") {
            code = showJobs(*rt);
        } else if (verb == "journal verify") {
            code = verifyJournal(*rt, args.tenant);
        } else if (verb == "keys rotate") {
            code = rotateKeys(*rt, args);
        } else if (verb == "storage verify") {
            code = verifyStorage(*rt);
        } else if (verb == "storage gc") {
            rt->open();
            auto c = rt->fileStore().collectGarbage();
            std::printf("removed %lld orphan blob(s), %lld abandoned write(s), %lld expired reservation(s)\n",
                        static_cast<long long>(c.orphans), static_cast<long long>(c.pending),
                        static_cast<long long>(c.reservations));
        } else if (verb == "operator create") {
            code = createOperator(*rt, args);
        } else if (apply) {
            code = applyTenants(*rt, args.verb[2]);
        } else if (verb == "config check") {
            for (const auto& [k, v] : rt->config().printable())
                std::printf("%s = %s    # %s\n", k.c_str(), v.c_str(), rt->config().sourceOf(k).c_str());
        }
    } catch (const relais::StartupError& e) {
        std::fprintf(stderr, "relaisd: %s\n", e.what());
        code = kExitStartup;
    } catch (const relais::Problem& p) {
        std::fprintf(stderr, "relaisd: %s\n", problemText(p).c_str());
        code = kExitStartup;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "relaisd: %s\n", e.what());
        code = kExitStartup;
    }
    rt.reset();
    relais::shutdownLogging();
    return code;
}
