#include "relais/http/Response.h"

#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "relais/Problem.h"

namespace relais::http {

namespace {
const std::string kEmpty;
}

Response::Response(Poco::Net::HTTPServerResponse& response) : response_(response) {}
Response::~Response() = default;

void Response::setStatus(int status) {
    status_ = status;
    response_.setStatus(std::to_string(status));
    response_.setReason(statusTitle(status));
}

void Response::setHeader(const std::string& name, const std::string& value) {
    if (value.find_first_of("\r\n") != std::string::npos)
        throw std::invalid_argument("header value with a line break: " + name);
    response_.set(name, value);
}

void Response::addHeader(const std::string& name, const std::string& value) {
    if (value.find_first_of("\r\n") != std::string::npos)
        throw std::invalid_argument("header value with a line break: " + name);
    response_.add(name, value);
}

const std::string& Response::header(const std::string& name) const {
    return response_.get(name, kEmpty);
}

void Response::send(int status, const std::string& contentType, std::string_view body) {
    if (committed_)
        throw std::logic_error("the response was already sent");
    setStatus(status);
    response_.setContentType(contentType);
    beginBody(static_cast<std::int64_t>(body.size()));
    write(body.data(), body.size());
}

void Response::sendEmpty(int status) {
    if (committed_)
        throw std::logic_error("the response was already sent");
    setStatus(status);
    if (status == 204 || status == 304 || status < 200) {
        response_.erase("Content-Length");
        committed_ = true;
        body_ = &response_.send();
        body_->flush();
        return;
    }
    beginBody(0);
}

void Response::beginBody(std::int64_t contentLength) {
    if (committed_)
        throw std::logic_error("the response was already sent");
    declaredLength_ = contentLength;
    if (contentLength >= 0)
        response_.setContentLength64(contentLength);
    else
        response_.setChunkedTransferEncoding(true);
    committed_ = true;
    body_ = &response_.send();
}

void Response::write(const char* data, std::size_t size) {
    if (!body_)
        throw std::logic_error("write() before beginBody()");
    if (size == 0)
        return;
    if (headOnly_) {
        bytesSent_ += static_cast<std::int64_t>(size);
        return;
    }
    if (rawWriter_ && size >= kRawWriteMin) {
        writeRaw(data, size);
        return;
    }
    body_->write(data, static_cast<std::streamsize>(size));
    if (!body_->good())
        throw Poco::Net::NetException("the client went away");
    bytesSent_ += static_cast<std::int64_t>(size);
}

void Response::writeRaw(const char* data, std::size_t size) {
    body_->flush();  // what POCO's stream holds goes first
    if (!body_->good())
        throw Poco::Net::NetException("the client went away");
    if (declaredLength_ >= 0) {
        // Never past the declared length, as POCO's fixed-length stream would not either.
        size = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(size),
                                                               declaredLength_ - bytesSent_));
        if (size > 0) rawWriter_(data, size);
    } else {
        char head[24];
        const int n = std::snprintf(head, sizeof head, "%zx\r\n", size);
        rawWriter_(head, static_cast<std::size_t>(n));
        rawWriter_(data, size);
        rawWriter_("\r\n", 2);
    }
    bytesSent_ += static_cast<std::int64_t>(size);
}

void Response::flush() {
    if (body_)
        body_->flush();
}

void Response::closeConnection() {
    response_.setKeepAlive(false);
}

}  // namespace relais::http
