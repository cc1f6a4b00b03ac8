#include <cppunit/extensions/HelperMacros.h>

#include <fstream>
#include <regex>
#include <set>

#include "TestSupport.h"
#include "config/ConfigLoader.h"
#include "config/KernelSettings.h"
#include "relais/Config.h"
#include "relais/Version.h"

using relais::ConfigError;
using relais::ConfigLoader;
using relais::ConfigSchema;

namespace {

ConfigSchema kernelSchema() {
    ConfigSchema s;
    relais::declareKernelSettings(s);
    return s;
}

std::string errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const ConfigError& e) {
        return e.what();
    }
    CPPUNIT_FAIL("expected a ConfigError");
    return {};
}

// key -> value of every active `key = value` line of a properties file.
std::map<std::string, std::string> propertiesOf(const std::string& path) {
    std::map<std::string, std::string> out;
    std::ifstream in(path);
    std::string line;
    std::regex kv("^([a-z0-9_.]+)\\s*=\\s*(.*?)\\s*$");
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, kv))
            out[m[1]] = m[2];
    }
    return out;
}

}  // namespace

class ConfigTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(ConfigTest);
    CPPUNIT_TEST(defaultsApplyWithoutAnyLayer);
    CPPUNIT_TEST(laterLayersWin);
    CPPUNIT_TEST(unknownKeyInFileNamesFileLineAndKey);
    CPPUNIT_TEST(wrongTypeNamesSourceKeyAndExpectation);
    CPPUNIT_TEST(wrongTypeFromEnvironmentNamesTheVariable);
    CPPUNIT_TEST(unknownEnvironmentVariableIsRefused);
    CPPUNIT_TEST(integerRangesAreChecked);
    CPPUNIT_TEST(malformedLinesAndDuplicatesAreRefused);
    CPPUNIT_TEST(continuationLinesAndComments);
    CPPUNIT_TEST(keysOfSkippedPluginsAreOnlyWarnings);
    CPPUNIT_TEST(secretsAreNeverPrinted);
    CPPUNIT_TEST(listsAreTrimmed);
    CPPUNIT_TEST(shippedFileDocumentsEveryKernelKeyWithItsDefault);
    CPPUNIT_TEST(mariadbExampleIsValid);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;

    std::string write(const std::string& content) {
        std::string path = dir_.file("relais.properties");
        relais::test::writeFile(path, content);
        return path;
    }

public:
    void defaultsApplyWithoutAnyLayer() {
        ConfigLoader loader;
        auto c = loader.validate(kernelSchema(), {}, nullptr);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{8080}, c.getInt("http.port"));
        CPPUNIT_ASSERT_EQUAL(std::string("127.0.0.1"), c.getString("http.address"));
        CPPUNIT_ASSERT_EQUAL(std::string("sqlite"), c.getString("db.driver"));
        CPPUNIT_ASSERT(!c.isSet("http.port"));
        CPPUNIT_ASSERT_EQUAL(std::string("default"), c.sourceOf("http.port"));
    }

    void laterLayersWin() {
        ConfigLoader loader;
        loader.loadFile(write("http.port = 9000\nhttp.threads = 8\nlog.level = debug\n"));
        char env1[] = "RELAIS_HTTP_PORT=9100";
        char env2[] = "RELAIS_LOG_LEVEL=warning";
        char env3[] = "PATH=/usr/bin";
        char* env[] = {env1, env2, env3, nullptr};
        loader.loadEnvironment(env);
        loader.setOverride("log.level", "error", "command line --set log.level");
        auto c = loader.validate(kernelSchema(), {}, nullptr);
        CPPUNIT_ASSERT_EQUAL(std::int64_t{8}, c.getInt("http.threads"));  // file
        CPPUNIT_ASSERT_EQUAL(std::int64_t{9100}, c.getInt("http.port"));  // environment over file
        CPPUNIT_ASSERT_EQUAL(std::string("error"),
                             c.getString("log.level"));  // command line over all
        CPPUNIT_ASSERT_EQUAL(std::string("environment variable RELAIS_HTTP_PORT"),
                             c.sourceOf("http.port"));
        CPPUNIT_ASSERT(c.sourceOf("http.threads").find("relais.properties:2") != std::string::npos);
    }

    void unknownKeyInFileNamesFileLineAndKey() {
        const std::string path = write("# comment\nhttp.port = 8080\nhttp.prot = 9\n");
        std::string msg = errorOf([&] {
            ConfigLoader loader;
            loader.loadFile(path);
            loader.validate(kernelSchema(), {}, nullptr);
        });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find(path + ":3") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("unknown key 'http.prot'") != std::string::npos);
    }

    void wrongTypeNamesSourceKeyAndExpectation() {
        const std::string path = write("http.keepalive = yes\n");
        std::string msg = errorOf([&] {
            ConfigLoader loader;
            loader.loadFile(path);
            loader.validate(kernelSchema(), {}, nullptr);
        });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find(path + ":1") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("http.keepalive") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("expected true or false") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("\"yes\"") != std::string::npos);

        msg = errorOf([&] {
            ConfigLoader loader;
            loader.setOverride("db.driver", "postgres", "command line --set db.driver");
            loader.validate(kernelSchema(), {}, nullptr);
        });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("command line --set db.driver") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("one of sqlite, mysql") != std::string::npos);
    }

    void wrongTypeFromEnvironmentNamesTheVariable() {
        char e[] = "RELAIS_HTTP_PORT=eighty";
        char* env[] = {e, nullptr};
        std::string msg = errorOf([&] {
            ConfigLoader loader;
            loader.loadEnvironment(env);
            loader.validate(kernelSchema(), {}, nullptr);
        });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("RELAIS_HTTP_PORT") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("http.port") != std::string::npos);
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("an integer from 0 to 65535") != std::string::npos);
    }

    void unknownEnvironmentVariableIsRefused() {
        char e[] = "RELAIS_HTTP_PROT=1";
        char* env[] = {e, nullptr};
        std::string msg = errorOf([&] {
            ConfigLoader loader;
            loader.loadEnvironment(env);
            loader.validate(kernelSchema(), {}, nullptr);
        });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("RELAIS_HTTP_PROT") != std::string::npos);
    }

    void integerRangesAreChecked() {
        for (const std::string bad : {"65536", "-1", "80x", "", "99999999999999999999999"}) {
            std::string msg = errorOf([&] {
                ConfigLoader loader;
                loader.setOverride("http.port", bad, "test");
                loader.validate(kernelSchema(), {}, nullptr);
            });
            CPPUNIT_ASSERT_MESSAGE(msg, msg.find("http.port") != std::string::npos);
        }
        ConfigLoader ok;
        ok.setOverride("http.port", "0", "test");
        CPPUNIT_ASSERT_EQUAL(std::int64_t{0},
                             ok.validate(kernelSchema(), {}, nullptr).getInt("http.port"));
    }

    void malformedLinesAndDuplicatesAreRefused() {
        std::string path = write("http.port 8080\n");
        std::string msg = errorOf([&] { ConfigLoader().loadFile(path); });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find(":1: expected 'key = value'") != std::string::npos);
        path = write("http.port = 1\nhttp.port = 2\n");
        msg = errorOf([&] { ConfigLoader().loadFile(path); });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find(":2: http.port is already set") != std::string::npos);
        path = write("HTTP.Port = 1\n");
        msg = errorOf([&] { ConfigLoader().loadFile(path); });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("not a valid key name") != std::string::npos);
        msg = errorOf([&] { ConfigLoader().loadFile(dir_.file("missing.properties")); });
        CPPUNIT_ASSERT_MESSAGE(msg,
                               msg.find("missing.properties: cannot read") != std::string::npos);
    }

    void continuationLinesAndComments() {
        ConfigLoader loader;
        loader.loadFile(
            write("! bang comment\n  # indented comment\nmigrations.dir = a, \\\n   b\nsmtp.from = "
                  "A <a@b.fr>\n"));
        auto c = loader.validate(kernelSchema(), {}, nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("a, b"), c.getString("migrations.dir"));
        CPPUNIT_ASSERT_EQUAL(std::string("A <a@b.fr>"), c.getString("smtp.from"));
    }

    void keysOfSkippedPluginsAreOnlyWarnings() {
        ConfigLoader loader;
        loader.loadFile(write("wesend.max_upload_bytes = 10\n"));
        std::string msg = errorOf([&] { loader.validate(kernelSchema(), {}, nullptr); });
        CPPUNIT_ASSERT_MESSAGE(
            msg, msg.find("unknown key 'wesend.max_upload_bytes'") != std::string::npos);
        std::vector<std::string> warnings;
        loader.validate(kernelSchema(), {"wesend"}, &warnings);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, warnings.size());
        CPPUNIT_ASSERT(warnings[0].find("wesend.max_upload_bytes") != std::string::npos);
    }

    void secretsAreNeverPrinted() {
        ConfigLoader loader;
        loader.setOverride("db.password", "hunter2-secret", "test");
        loader.setOverride("smtp.password", "x", "test");
        auto c = loader.validate(kernelSchema(), {}, nullptr);
        for (const auto& [k, v] : c.printable())
            CPPUNIT_ASSERT(v.find("hunter2") == std::string::npos);
        // A secret of the wrong shape is refused without echoing it.
        ConfigSchema s = kernelSchema();
        relais::Setting bad;
        bad.key = "test.secret_number";
        bad.type = relais::SettingType::Integer;
        bad.defaultValue = "1";
        bad.secret = true;
        s.add(bad);
        ConfigLoader l2;
        l2.setOverride("test.secret_number", "hunter2", "test");
        std::string msg = errorOf([&] { l2.validate(s, {}, nullptr); });
        CPPUNIT_ASSERT_MESSAGE(msg, msg.find("hunter2") == std::string::npos);
    }

    void listsAreTrimmed() {
        ConfigLoader loader;
        loader.setOverride("migrations.dir", " a ,b,, c ", "test");
        auto list = loader.validate(kernelSchema(), {}, nullptr).getList("migrations.dir");
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, list.size());
        CPPUNIT_ASSERT_EQUAL(std::string("c"), list[2]);
    }

    void shippedFileDocumentsEveryKernelKeyWithItsDefault() {
        const auto file = propertiesOf(relais::test::sourceDir() + "/config/relais.properties");
        std::set<std::string> declared;
        const ConfigSchema schema = kernelSchema();
        for (const auto& s : schema.settings()) {
            declared.insert(s.key);
            auto it = file.find(s.key);
            CPPUNIT_ASSERT_MESSAGE("config/relais.properties does not document " + s.key,
                                   it != file.end());
            CPPUNIT_ASSERT_EQUAL_MESSAGE("default of " + s.key, s.defaultValue, it->second);
        }
        // Keys of product modules are checked by each module's own suite (test_wesend_unit).
        const std::set<std::string> modules(relais::kProductModules.begin(), relais::kProductModules.end());
        for (const auto& [k, v] : file)
            CPPUNIT_ASSERT_MESSAGE("config/relais.properties sets undeclared " + k,
                                   declared.count(k) == 1 || modules.count(k.substr(0, k.find('.'))) == 1);
        // And relaisd accepts it as it is, with or without the modules.
        ConfigLoader loader;
        loader.loadFile(relais::test::sourceDir() + "/config/relais.properties");
        loader.validate(kernelSchema(), modules, nullptr);
    }

    void mariadbExampleIsValid() {
        ConfigLoader loader;
        loader.loadFile(relais::test::sourceDir() + "/config/relais.mariadb.properties");
        auto c = loader.validate(kernelSchema(), {}, nullptr);
        CPPUNIT_ASSERT_EQUAL(std::string("mysql"), c.getString("db.driver"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(ConfigTest);
