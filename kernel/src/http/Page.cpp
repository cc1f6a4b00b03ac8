#include "relais/http/Page.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>

#include <sstream>

#include "relais/Problem.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::http {

Page pageOf(const Request& req) {
    Page page;
    if (req.hasQuery("limit")) {
        const std::string text = req.query("limit");
        try {
            std::size_t used = 0;
            const int value = std::stoi(text, &used);
            if (used != text.size() || value < 1 || value > 500) throw std::invalid_argument(text);
            page.limit = value;
        } catch (const std::exception&) {
            throw Problem::invalidField("limit", "an integer from 1 to 500");
        }
    }
    if (req.hasQuery("cursor")) {
        const std::string cursor = req.query("cursor");
        std::string key;
        try {
            std::istringstream in(cursor);
            Poco::Base64Decoder decoder(in, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
            std::getline(decoder, key, '\0');
        } catch (const Poco::Exception&) {
            throw Problem::invalidField("cursor", "not a cursor this API returned");
        }
        if (key.rfind("c1:", 0) != 0) throw Problem::invalidField("cursor", "not a cursor this API returned");
        page.after = key.substr(3);
    }
    return page;
}

std::string cursorAfter(const std::string& key) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder.rdbuf()->setLineLength(0);
    encoder << "c1:" << key;
    encoder.close();
    return out.str();
}

void sendPage(Response& res, const Poco::JSON::Array& items, const std::string& nextKey) {
    Poco::JSON::Object body;
    body.set("items", items);
    body.set("next_cursor", nextKey.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(cursorAfter(nextKey)));
    sendJson(res, 200, body);
}

}  // namespace relais::http
