#include "http/ServerRequest.h"

#include <Poco/Net/HTTPHeaderStream.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/String.h>

#include <streambuf>

#include "relais/Problem.h"

namespace relais::http {

namespace {

[[noreturn]] void malformed(const std::string& why) {
    throw Problem(400, "malformed_body",
                  "The request body is not valid chunked coding: " + why + ".");
}

// stream() for code that wants POCO's istream; ours reads through BodySource::read directly.
class BodyStreamBuf final : public std::streambuf {
public:
    explicit BodyStreamBuf(BodySource& source) : source_(source) {}

protected:
    int_type underflow() override {
        std::size_t n = source_.read(buffer_, sizeof buffer_);
        if (n == 0)
            return traits_type::eof();
        setg(buffer_, buffer_, buffer_ + n);
        return traits_type::to_int_type(buffer_[0]);
    }

private:
    BodySource& source_;
    char buffer_[65536];
};

class BodyStream final : public std::istream {
public:
    explicit BodyStream(BodySource& source) : std::istream(nullptr), buf_(source) { rdbuf(&buf_); }

private:
    BodyStreamBuf buf_;
};

}  // namespace

ServerRequest::ServerRequest(Poco::Net::HTTPServerResponseImpl& response, ServerSession& session,
                             Poco::Net::HTTPServerParams* params,
                             const Poco::Net::SocketAddress& client,
                             const Poco::Net::SocketAddress& server)
    : response_(response), session_(session), params_(params, true), client_(client), server_(server) {
    {
        Poco::Net::HTTPHeaderInputStream head(session);
        HTTPRequest::read(head);
    }
    const std::string& length = get("Content-Length", "");
    if (has("Transfer-Encoding")) {
        framing_ = Framing::Chunked;  // the dispatcher refuses any coding but "chunked"
        declared_ = -1;
    } else if (!length.empty() && length.size() <= 18 &&
               length.find_first_not_of("0123456789") == std::string::npos) {
        framing_ = Framing::Length;
        remaining_ = declared_ = std::stoll(length);
        done_ = remaining_ == 0;
    } else {
        done_ = true;  // RFC 9112 §6.3: no framing, no body
    }
}

ServerRequest::~ServerRequest() = default;

bool ServerRequest::secure() const {
    return dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(session_.socket().impl()) != nullptr;
}

std::istream& ServerRequest::stream() {
    if (!stream_)
        stream_ = std::make_unique<BodyStream>(*this);
    return *stream_;
}

std::size_t ServerRequest::read(char* buffer, std::size_t size) {
    if (done_ || size == 0)
        return 0;
    if (framing_ == Framing::Chunked)
        return readChunked(buffer, size);
    const std::streamsize want =
        static_cast<std::streamsize>(std::min<std::int64_t>(remaining_, size));
    const int n = session_.readSome(buffer, want);
    if (n <= 0)
        throw Problem::badRequest("incomplete_body",
                                  "The connection ended before the declared Content-Length.");
    remaining_ -= n;
    if (remaining_ == 0)
        done_ = true;
    return static_cast<std::size_t>(n);
}

std::string ServerRequest::readLine(std::size_t limit) {
    std::string line;
    for (;;) {
        int ch = session_.getByte();
        if (ch == std::char_traits<char>::eof())
            malformed("the connection ended inside a chunk header");
        if (ch == '\n')
            break;
        line += static_cast<char>(ch);
        if (line.size() > limit)
            malformed("a chunk line is too long");
    }
    if (line.empty() || line.back() != '\r')
        malformed("a line does not end with CRLF");
    line.pop_back();
    return line;
}

void ServerRequest::expectCrlf() {
    if (session_.getByte() != '\r' || session_.getByte() != '\n')
        malformed("a chunk does not end with CRLF");
}

std::size_t ServerRequest::readChunked(char* buffer, std::size_t size) {
    if (remaining_ == 0) {
        const std::string line = readLine(4096);
        std::size_t digits = 0;
        std::int64_t chunk = 0;
        while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) {
            if (digits >= 15)
                malformed("a chunk size is too large");
            chunk = chunk * 16 +
                    (std::isdigit(static_cast<unsigned char>(line[digits]))
                         ? line[digits] - '0'
                         : std::tolower(static_cast<unsigned char>(line[digits])) - 'a' + 10);
            ++digits;
        }
        if (digits == 0)
            malformed("a chunk size is not hexadecimal");
        const char after = digits < line.size() ? line[digits] : '\0';
        if (after != '\0' && after != ';' && after != ' ' && after != '\t')
            malformed("a chunk size is followed by junk");
        if (chunk == 0) {
            // Trailer fields, then the empty line. Their content is ignored.
            for (int fields = 0; !readLine(8192).empty(); ++fields)
                if (fields > 100)
                    malformed("too many trailer fields");
            done_ = true;
            return 0;
        }
        remaining_ = chunk;
    }
    const std::streamsize want =
        static_cast<std::streamsize>(std::min<std::int64_t>(remaining_, size));
    const int n = session_.readSome(buffer, want);
    if (n <= 0)
        malformed("the connection ended inside a chunk");
    remaining_ -= n;
    if (remaining_ == 0)
        expectCrlf();
    return static_cast<std::size_t>(n);
}

}  // namespace relais::http
