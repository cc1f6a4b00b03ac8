#include <Poco/Logger.h>
#include <cppunit/extensions/HelperMacros.h>

#include <atomic>
#include <thread>

#include "events/InProcessEventBus.h"

using relais::Event;
using relais::InProcessEventBus;

class EventBusTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(EventBusTest);
    CPPUNIT_TEST(subscribersGetTheTopicsTheyAskedFor);
    CPPUNIT_TEST(aThrowingHandlerDoesNotStopTheOthers);
    CPPUNIT_TEST(unsubscribedHandlersAreNotCalled);
    CPPUNIT_TEST(concurrentPublishersAreAllDelivered);
    CPPUNIT_TEST_SUITE_END();

    InProcessEventBus bus_{Poco::Logger::get("test")};

public:
    void subscribersGetTheTopicsTheyAskedFor() {
        std::vector<std::string> journal, all;
        bus_.subscribe("journal.", [&](const Event& e) { journal.push_back(e.topic); });
        bus_.subscribe("", [&](const Event& e) { all.push_back(e.topic); });
        bus_.publish({"journal.appended", "tn_1", "{}", 1});
        bus_.publish({"wesend.download", "tn_1", "{}", 2});
        bus_.publish({"journalist", "", "{}", 3});
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, journal.size());
        CPPUNIT_ASSERT_EQUAL(std::size_t{3}, all.size());
    }

    void aThrowingHandlerDoesNotStopTheOthers() {
        int after = 0;
        bus_.subscribe("x", [](const Event&) { throw std::runtime_error("handler bug"); });
        bus_.subscribe("x", [&](const Event&) { ++after; });
        bus_.publish({"x", "", "{}", 0});
        CPPUNIT_ASSERT_EQUAL(1, after);
    }

    void unsubscribedHandlersAreNotCalled() {
        int calls = 0;
        auto id = bus_.subscribe("", [&](const Event&) { ++calls; });
        bus_.publish({"a", "", "{}", 0});
        bus_.unsubscribe(id);
        bus_.publish({"a", "", "{}", 0});
        CPPUNIT_ASSERT_EQUAL(1, calls);
    }

    void concurrentPublishersAreAllDelivered() {
        std::atomic<int> seen{0};
        bus_.subscribe("", [&](const Event&) { ++seen; });
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&] {
                for (int i = 0; i < 250; ++i) bus_.publish({"load", "", "{}", 0});
            });
        for (auto& t : threads) t.join();
        CPPUNIT_ASSERT_EQUAL(1000, seen.load());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(EventBusTest);
