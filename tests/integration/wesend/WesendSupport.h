#pragma once

// Helpers for the WeSend suites: a server with the product's plugins, tus uploads over HTTP,
// and the links found in mails.

#include <Poco/Base64Encoder.h>

#include <map>
#include <sstream>
#include <string>

#include "TenancySupport.h"
#include "TestSupport.h"

namespace relais::test::wesend {

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

}  // namespace relais::test::wesend
