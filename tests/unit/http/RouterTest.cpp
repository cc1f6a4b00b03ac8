#include <cppunit/extensions/HelperMacros.h>

#include "http/Router.h"

using relais::http::Route;
using relais::http::Router;

namespace {
Route route(const std::string& method, const std::string& pattern) {
    return Route(method, pattern, [](relais::http::Request&, relais::http::Response&) {});
}
std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> out;
    if (path == "/")
        return out;
    std::size_t start = 1;
    while (start <= path.size()) {
        auto slash = path.find('/', start);
        if (slash == std::string::npos)
            slash = path.size();
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    return out;
}
}  // namespace

class RouterTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RouterTest);
    CPPUNIT_TEST(matchesLiteralsAndParameters);
    CPPUNIT_TEST(literalSegmentsWinOverParameters);
    CPPUNIT_TEST(otherMethodsAreReportedForMethodNotAllowed);
    CPPUNIT_TEST(headFallsBackToGet);
    CPPUNIT_TEST(parametersNeverMatchEmptySegments);
    CPPUNIT_TEST(conflictsAndBadPatternsAreRefused);
    CPPUNIT_TEST(aFrozenRouterRefusesNewRoutes);
    CPPUNIT_TEST(secretParametersAreRecognised);
    CPPUNIT_TEST_SUITE_END();

public:
    void matchesLiteralsAndParameters() {
        Router r;
        r.add(route("GET", "/api/v1/transfers/{id}/files/{file}"));
        r.add(route("GET", "/"));
        r.freeze();
        auto m = r.match("GET", split("/api/v1/transfers/tr_1/files/f_2"));
        CPPUNIT_ASSERT(m.route);
        CPPUNIT_ASSERT_EQUAL(std::string("tr_1"), m.params["id"]);
        CPPUNIT_ASSERT_EQUAL(std::string("f_2"), m.params["file"]);
        CPPUNIT_ASSERT(r.match("GET", split("/")).route);
        CPPUNIT_ASSERT(!r.match("GET", split("/api/v1/transfers/tr_1")).route);
    }

    void literalSegmentsWinOverParameters() {
        Router r;
        r.add(route("GET", "/api/v1/users/{id}"));
        r.add(route("GET", "/api/v1/users/me"));
        r.freeze();
        auto m = r.match("GET", split("/api/v1/users/me"));
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/users/me"), m.route->pattern);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/users/{id}"),
                             r.match("GET", split("/api/v1/users/u_1")).route->pattern);
    }

    void otherMethodsAreReportedForMethodNotAllowed() {
        Router r;
        r.add(route("GET", "/api/v1/things"));
        r.add(route("POST", "/api/v1/things"));
        r.freeze();
        auto m = r.match("DELETE", split("/api/v1/things"));
        CPPUNIT_ASSERT(!m.route);
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, m.allowed.size());
        CPPUNIT_ASSERT(m.allowed.count("POST"));
    }

    void headFallsBackToGet() {
        Router r;
        r.add(route("GET", "/a/{x}"));
        r.freeze();
        auto m = r.match("HEAD", split("/a/1"));
        CPPUNIT_ASSERT(m.route);
        CPPUNIT_ASSERT_EQUAL(std::string("1"), m.params["x"]);
    }

    void parametersNeverMatchEmptySegments() {
        Router r;
        r.add(route("GET", "/a/{x}"));
        r.freeze();
        CPPUNIT_ASSERT(!r.match("GET", split("/a/")).route);
    }

    void conflictsAndBadPatternsAreRefused() {
        Router r;
        r.add(route("GET", "/a/{x}"));
        CPPUNIT_ASSERT_THROW(r.add(route("GET", "/a/{y}")), std::logic_error);
        CPPUNIT_ASSERT_THROW(r.add(route("GET", "a")), std::logic_error);
        CPPUNIT_ASSERT_THROW(r.add(route("GET", "/a//b")), std::logic_error);
        CPPUNIT_ASSERT_THROW(r.add(route("GET", "/a/{x}/{x}")), std::logic_error);
        CPPUNIT_ASSERT_THROW(r.add(route("GET", "/a/pre{x}")), std::logic_error);
        CPPUNIT_ASSERT_THROW(r.add(route("get", "/b")), std::logic_error);
        r.add(route("POST", "/a/{x}"));  // another method is fine
    }

    void aFrozenRouterRefusesNewRoutes() {
        Router r;
        r.freeze();
        CPPUNIT_ASSERT_THROW(r.add(route("GET", "/late")), std::logic_error);
    }

    void secretParametersAreRecognised() {
        CPPUNIT_ASSERT(relais::http::isSecretParameter("token"));
        CPPUNIT_ASSERT(relais::http::isSecretParameter("download_token"));
        CPPUNIT_ASSERT(relais::http::isSecretParameter("api_key"));
        CPPUNIT_ASSERT(!relais::http::isSecretParameter("id"));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RouterTest);
