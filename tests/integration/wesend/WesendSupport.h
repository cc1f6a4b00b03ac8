#pragma once

// Helpers for the WeSend suites: a server with the product's plugins, tus uploads over HTTP,
// and the links found in mails.

#include <Poco/Base64Encoder.h>

#include <cctype>
#include <map>
#include <vector>
#include <sstream>
#include <string>

#include "TenancySupport.h"
#include "TestSupport.h"
#include "relais/FileStore.h"
#include "relais/Random.h"
#include "runtime/Runtime.h"

namespace relais::test::wesend {

/// Waits until none of `fileIds` is in the tenant's file store any more (retention shredded them).
inline void waitUntilShredded(Runtime& rt, const std::string& tenantId, const std::vector<std::string>& fileIds) {
    auto gone = [&](const std::string& f) {
        try {
            rt.files().stat(tenantId, f);
            return false;
        } catch (const StorageError& e) {
            return e.kind() == StorageError::Kind::NotFound;
        }
    };
    waitUntil([&] {
        for (const auto& f : fileIds)
            if (!gone(f)) return false;
        return true;
    }, 15000, "the files shredded");
}

inline std::string b64(const std::string& s) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc << s;
    enc.close();
    return out.str();
}

inline std::map<std::string, std::string> tusHeaders(std::map<std::string, std::string> extra = {}) {
    extra["Tus-Resumable"] = "1.0.0";
    return extra;
}

/// Creates an upload of `content` and sends it in one PATCH; returns the upload id.
inline std::string upload(std::uint16_t port, const std::string& host, const std::string& token,
                          const std::string& content, const std::string& name,
                          const std::string& type = "text/plain",
                          const std::string& base = "/api/v1/uploads") {
    auto created = call(port, host, token, "POST", base, "", "",
                        tusHeaders({{"Upload-Length", std::to_string(content.size())},
                                    {"Upload-Metadata", "filename " + b64(name) + ",filetype " + b64(type)}}));
    if (created.status != 201) throw std::runtime_error("upload creation: " + std::to_string(created.status) + " " + created.body);
    const std::string location = created.header("location");
    const std::string id = location.substr(location.rfind('/') + 1);
    if (!content.empty()) {
        auto patched = call(port, host, token, "PATCH", location, content, "application/offset+octet-stream",
                            tusHeaders({{"Upload-Offset", "0"}}));
        if (patched.status != 204) throw std::runtime_error("upload PATCH: " + std::to_string(patched.status) + " " + patched.body);
    }
    return id;
}

/// The first "http...<marker>..." URL in a text.
inline std::string linkIn(const std::string& text, const std::string& marker) {
    const auto at = text.find(marker);
    if (at == std::string::npos) return {};
    const auto start = text.rfind("http", at);
    auto end = text.find_first_of(" \r\n", at);
    return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}


/// Lower-case and unique per run: the mail folder is shared by every suite and run.
inline std::string uniqueName(const std::string& prefix) { return prefix + relais::toHex(relais::randomBytes(4)); }

/// The decoded messages the test SMTP server accepted for `address`.
inline std::vector<std::string> mailsTo(const std::string& address) {
    std::vector<std::string> out;
    for (const auto& m : maildirMessages(requiredEnv("TEST_MAILDIR"))) {
        const auto at = m.find("X-Envelope-To: ");
        if (at == std::string::npos) continue;
        const std::string to = m.substr(at, m.find('\n', at) - at);
        if (to.find(address) != std::string::npos) out.push_back(decodeQuotedPrintable(m));
    }
    return out;
}

/// Waits for a mail to `address` holding `needle`, and returns it decoded.
inline std::string waitForMail(const std::string& address, const std::string& needle, int timeoutMs = 15000) {
    std::string found;
    waitUntil(
        [&] {
            for (const auto& m : mailsTo(address))
                if (m.find(needle) != std::string::npos) {
                    found = m;
                    return true;
                }
            return false;
        },
        timeoutMs, "a mail to " + address + " with " + needle);
    return found;
}

/// The token after `marker` ("/d/", "/r/") in a text: the URL-safe characters that follow.
inline std::string tokenAfter(const std::string& text, const std::string& marker) {
    const auto at = text.find(marker);
    if (at == std::string::npos) return {};
    const auto start = at + marker.size();
    auto end = start;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' || text[end] == '_'))
        ++end;
    return text.substr(start, end - start);
}

/// The settings of a product server whose mails go to the test SMTP server.
inline std::map<std::string, std::string> withMail(std::map<std::string, std::string> s) {
    s["smtp.host"] = requiredEnv("TEST_SMTP_HOST");
    s["smtp.port"] = requiredEnv("TEST_SMTP_PORT");
    return s;
}

/// One tenant (a unique "acme…" slug) and one user of it with a session, on a server started
/// with `settings`: the usual start of a WeSend test.
struct World {
    explicit World(std::map<std::string, std::string> settings, const std::string& userName = "marie")
        : server(std::move(settings)) {
        port = server.port();
        acme = createTenant(server.runtime(), uniqueName("acme"), "pro");
        user = createUser(server.runtime(), acme.id, "user", uniqueName(userName) + "@acme.example");
        token = login(port, acme.host, user.email).token;
    }
    /// A JSON request with the user's token.
    HttpResult api(const std::string& method, const std::string& path, const std::string& body = {},
                   std::map<std::string, std::string> headers = {}) {
        return call(port, acme.host, token, method, path, body, "application/json", std::move(headers));
    }

    TestServer server;
    std::uint16_t port = 0;
    TenantRef acme;
    UserRef user;
    std::string token;
};

}  // namespace relais::test::wesend

/// Asserts a problem answer's status and code, showing the body when they differ.
#define ASSERT_PROBLEM(result, wantStatus, wantCode)                                                 \
    do {                                                                                             \
        const auto& r_ = (result);                                                                   \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r_.body, wantStatus, r_.status);                                \
        CPPUNIT_ASSERT_EQUAL_MESSAGE(r_.body, std::string(wantCode), relais::test::problemCode(r_)); \
    } while (0)
