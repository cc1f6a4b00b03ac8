#include <cppunit/extensions/HelperMacros.h>

#include "http/RequestTarget.h"
#include "relais/Problem.h"

using relais::http::parseRequestTarget;

namespace {
std::string codeOf(const std::string& target) {
    try {
        parseRequestTarget(target);
    } catch (const relais::Problem& p) {
        return p.code();
    }
    return "accepted";
}
}  // namespace

class RequestTargetTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(RequestTargetTest);
    CPPUNIT_TEST(splitsAndDecodesSegments);
    CPPUNIT_TEST(keepsTheQueryRaw);
    CPPUNIT_TEST(acceptsTheAbsoluteForm);
    CPPUNIT_TEST(encodedSlashStaysInsideItsSegment);
    CPPUNIT_TEST(refusesBadEscapes);
    CPPUNIT_TEST(refusesControlCharactersAndNul);
    CPPUNIT_TEST(refusesDotSegments);
    CPPUNIT_TEST(refusesInvalidUtf8);
    CPPUNIT_TEST_SUITE_END();

public:
    void splitsAndDecodesSegments() {
        auto t = parseRequestTarget("/api/v1/files/caf%C3%A9%20menu.pdf");
        CPPUNIT_ASSERT_EQUAL(std::size_t{4}, t.segments.size());
        CPPUNIT_ASSERT_EQUAL(std::string("café menu.pdf"), t.segments[3]);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/files/café menu.pdf"), t.path);
        CPPUNIT_ASSERT(parseRequestTarget("/").segments.empty());
        CPPUNIT_ASSERT_EQUAL(std::string("/"), parseRequestTarget("/").path);
        auto trailing = parseRequestTarget("/a/");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, trailing.segments.size());
        CPPUNIT_ASSERT(trailing.segments[1].empty());
    }

    void keepsTheQueryRaw() {
        auto t = parseRequestTarget("/d/x?token=a%2Fb&x=1");
        CPPUNIT_ASSERT_EQUAL(std::string("token=a%2Fb&x=1"), t.rawQuery);
        CPPUNIT_ASSERT_EQUAL(std::string("/d/x"), t.path);
    }

    void acceptsTheAbsoluteForm() {
        auto t = parseRequestTarget("http://acme.localhost:8080/healthz?x");
        CPPUNIT_ASSERT_EQUAL(std::string("/healthz"), t.path);
        CPPUNIT_ASSERT_EQUAL(std::string("x"), t.rawQuery);
        CPPUNIT_ASSERT_EQUAL(std::string("/"), parseRequestTarget("http://acme.localhost").path);
        // No host: refused, not read as "/".
        CPPUNIT_ASSERT_THROW(parseRequestTarget("http://"), relais::Problem);
        CPPUNIT_ASSERT_THROW(parseRequestTarget("http:///healthz"), relais::Problem);
    }

    void encodedSlashStaysInsideItsSegment() {
        auto t = parseRequestTarget("/a/b%2Fc");
        CPPUNIT_ASSERT_EQUAL(std::size_t{2}, t.segments.size());
        CPPUNIT_ASSERT_EQUAL(std::string("b/c"), t.segments[1]);
    }

    void refusesBadEscapes() {
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a%zz"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a%2"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a%"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("relative/path"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf(""));
    }

    void refusesControlCharactersAndNul() {
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a%00b"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a%0d%0aSet-Cookie:x"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a%7F"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a?x=\x01"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a#frag"));
    }

    void refusesDotSegments() {
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a/../etc/passwd"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/a/%2e%2e/b"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/./a"));
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), codeOf("/a/..b/c"));
    }

    void refusesInvalidUtf8() {
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/%C3"));
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/%C0%AF"));        // overlong '/'
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/%ED%A0%80"));     // surrogate
        CPPUNIT_ASSERT_EQUAL(std::string("invalid_path"), codeOf("/%F4%90%80%80"));  // > U+10FFFF
        CPPUNIT_ASSERT_EQUAL(std::string("accepted"), codeOf("/%F0%9F%93%81"));      // an emoji
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestTargetTest);
