#include "log/Logging.h"

#include <Poco/AsyncChannel.h>
#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include "relais/Config.h"

namespace relais {

namespace {
Poco::AutoPtr<Poco::AsyncChannel> asyncChannel;
}

void configureLogging(const Config& config) {
    Poco::AutoPtr<Poco::Channel> sink;
    const std::string& file = config.getString("log.file");
    if (file.empty()) {
        sink = new Poco::ConsoleChannel;
    } else {
        Poco::AutoPtr<Poco::FileChannel> fc = new Poco::FileChannel(file);
        fc->setProperty("rotation", "100 M");
        fc->setProperty("archive", "timestamp");
        fc->setProperty("purgeCount", "10");
        fc->setProperty("flush", "false");
        sink = fc;
    }
    Poco::AutoPtr<Poco::PatternFormatter> pattern =
        new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t");
    pattern->setProperty("times", "UTC");
    Poco::AutoPtr<Poco::FormattingChannel> formatting = new Poco::FormattingChannel(pattern, sink);
    asyncChannel = new Poco::AsyncChannel(formatting);
    const std::string& level = config.getString("log.level");
    Poco::Logger::root().setChannel(asyncChannel);
    Poco::Logger::root().setLevel(level);
    // Loggers created before this call keep their old channel: update them all.
    Poco::Logger::setChannel("", asyncChannel);
    Poco::Logger::setLevel("", Poco::Logger::parseLevel(level));
    Poco::Logger::get("relais.access")
        .setLevel(config.getBool("log.access") ? "information" : "none");
}

void shutdownLogging() {
    if (asyncChannel)
        asyncChannel->close();
}

}  // namespace relais
