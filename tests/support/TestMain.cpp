// The main of every CppUnit suite: `--db sqlite|mysql` picks the database of the suites that
// run on both; an optional test name runs one test.

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Logger.h>
#include <Poco/Net/SSLManager.h>
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <csignal>
#include <cstring>
#include <iostream>

#include "TestSupport.h"

int main(int argc, char** argv) {
    std::signal(SIGPIPE, SIG_IGN);
    Poco::Net::initializeSSL();
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            std::string d = argv[++i];
            relais::test::setDialect(d == "mysql" ? relais::db::Dialect::MySQL
                                                  : relais::db::Dialect::SQLite);
        } else {
            only = argv[i];
        }
    }
    // Kernel log lines at warning and above show next to a failure; access lines do not.
    Poco::Logger::root().setChannel(Poco::AutoPtr<Poco::Channel>(new Poco::ConsoleChannel));
    Poco::Logger::root().setLevel("warning");
    Poco::Logger::setLevel("", Poco::Message::PRIO_WARNING);
    // The fixture folder holds plugins that must be skipped; saying so every test is noise.
    Poco::Logger::get("relais.plugins").setLevel("fatal");

    CppUnit::TestResult controller;
    CppUnit::TestResultCollector result;
    controller.addListener(&result);
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&progress);
    CppUnit::TestRunner runner;
    runner.addTest(CppUnit::TestFactoryRegistry::getRegistry().makeTest());
    // Suites that only mean something on MariaDB register under the name "mysql".
    if (relais::test::dialect() == relais::db::Dialect::MySQL)
        runner.addTest(CppUnit::TestFactoryRegistry::getRegistry("mysql").makeTest());
    try {
        runner.run(controller, only);
    } catch (const std::invalid_argument& e) {
        std::cerr << "no test named " << only << "\n";
        return 2;
    }
    CppUnit::CompilerOutputter(&result, std::cerr).write();
    return result.wasSuccessful() ? 0 : 1;
}
