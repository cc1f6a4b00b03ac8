#include "tenancy/Validation.h"

#include <Poco/Exception.h>

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "http/RequestTarget.h"
#include "relais/Mail.h"
#include "relais/Problem.h"

namespace relais {

std::string slugProblem(const std::string& slug) {
    static const std::set<std::string> kReserved = {
        "www", "api", "admin", "administrateur", "app", "assets", "auth", "billing", "blog", "cdn", "docs",
        "ftp", "help", "imap", "localhost", "login", "mail", "mx", "ns1", "ns2", "operator", "platform", "pop",
        "relais", "root", "sante", "signup", "smtp", "sso", "static", "status", "support", "test", "webmail"};
    if (slug.size() < 3 || slug.size() > 40) return "a slug has 3 to 40 characters";
    for (char c : slug)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return "a slug holds only a-z, 0-9 and '-'";
    if (slug.front() == '-' || slug.back() == '-') return "a slug does not start or end with '-'";
    if (slug.find("--") != std::string::npos) return "a slug has no '--'";
    if (kReserved.count(slug)) return "'" + slug + "' is reserved";
    return {};
}

std::string normaliseSiren(const std::string& siren) {
    std::string out;
    for (std::size_t i = 0; i < siren.size(); ++i) {
        if (siren[i] == ' ') continue;
        if (siren.compare(i, 2, "\xc2\xa0") == 0) {  // a no-break space, as French formatting writes it
            ++i;
            continue;
        }
        out += siren[i];
    }
    return out;
}

bool isValidSiren(const std::string& input) {
    const std::string siren = normaliseSiren(input);
    if (siren.size() != 9 || !std::all_of(siren.begin(), siren.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    // INSEE never assigns 000000000, though its key is right.
    if (siren == "000000000") return false;
    // Luhn: from the right, every second digit doubled.
    int sum = 0;
    for (int i = 0; i < 9; ++i) {
        int d = siren[8 - i] - '0';
        if (i % 2 == 1) {
            d *= 2;
            if (d > 9) d -= 9;
        }
        sum += d;
    }
    return sum % 10 == 0;
}

std::string normaliseEmail(const std::string& email) {
    std::string e = email;
    e.erase(0, e.find_first_not_of(" \t"));
    e.erase(e.find_last_not_of(" \t") + 1);
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
    return isValidMailAddress(e) ? e : std::string();
}

bool isValidHostname(const std::string& host) {
    if (host.empty() || host.size() > 253 || host.find('.') == std::string::npos) return false;
    std::size_t start = 0;
    while (start <= host.size()) {
        std::size_t dot = host.find('.', start);
        if (dot == std::string::npos) dot = host.size();
        const std::string label = host.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
        start = dot + 1;
    }
    return true;
}

std::size_t characterCount(const std::string& utf8) {
    std::size_t n = 0;
    for (unsigned char c : utf8)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

namespace field {

bool has(const Poco::JSON::Object& body, const std::string& name) {
    return body.has(name) && !body.isNull(name);
}

std::string optionalText(const Poco::JSON::Object& body, const std::string& name, std::size_t max) {
    if (!has(body, name)) return {};
    const auto& v = body.get(name);
    if (!v.isString()) throw Problem::invalidField(name, "a string is expected");
    const std::string s = v.extract<std::string>();
    if (!isValidUtf8(s)) throw Problem::invalidField(name, "the text is not UTF-8");
    for (unsigned char c : s)
        if (c < 0x20 && c != '\n' && c != '\t') throw Problem::invalidField(name, "control characters are not allowed");
    const std::size_t characters = characterCount(s);
    if (characters > max) throw Problem::invalidField(name, "at most " + std::to_string(max) + " characters");
    return s;
}

std::string text(const Poco::JSON::Object& body, const std::string& name, std::size_t max) {
    const std::string s = optionalText(body, name, max);
    if (s.find_first_not_of(" \t\n") == std::string::npos) throw Problem::invalidField(name, "this field is required");
    return s;
}

std::string email(const Poco::JSON::Object& body, const std::string& name) {
    const std::string e = normaliseEmail(text(body, name, 254));
    if (e.empty()) throw Problem::invalidField(name, "not a valid e-mail address");
    return e;
}

bool boolean(const Poco::JSON::Object& body, const std::string& name) {
    if (!has(body, name) || !body.get(name).isBoolean()) throw Problem::invalidField(name, "true or false is expected");
    return body.getValue<bool>(name);
}

std::int64_t integer(const Poco::JSON::Object& body, const std::string& name, std::int64_t min, std::int64_t max) {
    // Poco counts booleans as integers; JSON does not.
    if (!has(body, name) || body.get(name).isBoolean() || !body.get(name).isInteger())
        throw Problem::invalidField(name, "an integer is expected");
    std::int64_t v = 0;
    try {
        v = body.getValue<std::int64_t>(name);
    } catch (const Poco::Exception&) {  // beyond 64 bits
        throw Problem::invalidField(name, "between " + std::to_string(min) + " and " + std::to_string(max));
    }
    if (v < min || v > max)
        throw Problem::invalidField(name, "between " + std::to_string(min) + " and " + std::to_string(max));
    return v;
}

}  // namespace field

}  // namespace relais
