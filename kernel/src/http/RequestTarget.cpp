#include "http/RequestTarget.h"

#include <cstdint>

#include "relais/Problem.h"

namespace relais::http {

namespace {

[[noreturn]] void invalid(const std::string& why) {
    throw Problem::badRequest("invalid_path", "The request path is not valid: " + why + ".");
}

int hexValue(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string decodeSegment(const std::string& raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '%') {
            if (i + 2 >= raw.size())
                invalid("a '%' escape is cut short");
            int hi = hexValue(raw[i + 1]), lo = hexValue(raw[i + 2]);
            if (hi < 0 || lo < 0)
                invalid("a '%' escape is not hexadecimal");
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            invalid("it holds a control character");
        out += c;
    }
    if (!isValidUtf8(out))
        invalid("it is not UTF-8");
    return out;
}

}  // namespace

RequestTarget parseRequestTarget(const std::string& target) {
    std::string rest = target;
    if (rest.empty())
        invalid("it is empty");
    if (rest[0] != '/') {
        // absolute-form: scheme "://" authority path
        auto scheme = rest.find("://");
        if (scheme == std::string::npos || scheme == 0)
            invalid("it must start with '/'");
        auto pathStart = rest.find('/', scheme + 3);
        // RFC 9112 §3.2.2: the absolute-form names its host ("http://" alone names none).
        if (pathStart == scheme + 3 || scheme + 3 == rest.size())
            invalid("an absolute-form target needs a host");
        rest = pathStart == std::string::npos ? "/" : rest.substr(pathStart);
    }
    RequestTarget t;
    auto q = rest.find('?');
    if (q != std::string::npos) {
        t.rawQuery = rest.substr(q + 1);
        rest.resize(q);
    }
    auto hash = rest.find('#');
    if (hash != std::string::npos)
        invalid("it holds a fragment");
    for (char c : t.rawQuery)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F)
            invalid("the query holds a control character");
    std::size_t start = 1;
    if (rest != "/") {
        while (start <= rest.size()) {
            std::size_t slash = rest.find('/', start);
            if (slash == std::string::npos)
                slash = rest.size();
            std::string seg = decodeSegment(rest.substr(start, slash - start));
            if (seg == "." || seg == "..")
                invalid("it holds a '.' or '..' segment");
            t.segments.push_back(std::move(seg));
            start = slash + 1;
        }
    }
    t.path = "/";
    for (std::size_t i = 0; i < t.segments.size(); ++i)
        t.path += (i ? "/" : "") + t.segments[i];
    return t;
}

}  // namespace relais::http
