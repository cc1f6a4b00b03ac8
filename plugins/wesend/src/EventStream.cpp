#include "EventStream.h"

#include "Tracking.h"

#include <Poco/JSON/Object.h>

#include <chrono>

#include "relais/Database.h"
#include "relais/Problem.h"
#include "relais/Time.h"
#include "relais/http/Access.h"
#include "relais/http/Json.h"
#include "relais/http/Request.h"
#include "relais/http/Response.h"

namespace relais::plugins::wesend {

void EventStream::wake(const std::string& tenantId, const std::string& ownerUserId) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++generations_[tenantId + " " + ownerUserId];
    }
    changed_.notify_all();
}

void EventStream::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
}

void EventStream::handle(http::Request& req, http::Response& res) {
    const Principal& p = http::requireUser(req);
    const TenantContext& tenant = http::requireTenant(req);
    std::string last = req.header("Last-Event-ID");
    if (last.empty()) last = req.query("last_event_id");
    std::int64_t lastId = -1;
    if (!last.empty()) {
        if (last.size() > 18 || last.find_first_not_of("0123456789") != std::string::npos)
            throw Problem(400, "invalid_header", "Last-Event-ID is an event id.");
        lastId = std::stoll(last);
    } else {
        // A new stream starts with what happens from now on.
        auto rows = s_.db.query("SELECT COALESCE(MAX(id), 0) AS n FROM wesend_events WHERE tenant_id = ? AND owner_user_id = ?",
                                {tenant.id, p.userId});
        lastId = rows[0].getInt("n");
    }
    res.setStatus(200);
    res.setHeader("Content-Type", "text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Accel-Buffering", "no");
    res.beginBody(-1);
    const std::string hello = "retry: 2000\n: relais\n\n";
    res.write(hello.data(), hello.size());
    res.flush();

    const std::string key = tenant.id + " " + p.userId;
    const auto started = std::chrono::steady_clock::now();
    auto lastWrite = started;
    for (;;) {
        std::uint64_t seen;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return;
            seen = generations_[key];
        }
        auto rows = s_.db.query("SELECT id, subject_type, subject_id, action, recipient, ip, user_agent, file_id, bytes, at"
                                " FROM wesend_events WHERE tenant_id = ? AND owner_user_id = ? AND id > ?"
                                " ORDER BY id LIMIT 200",
                                {tenant.id, p.userId, static_cast<long long>(lastId)});
        std::string chunk;
        for (const auto& r : rows) {
            Poco::JSON::Object::Ptr o = Tracking::eventJson(r);
            o->set(r.getString("subject_type") == "transfer" ? "transfer_id" : "upload_request_id", r.getString("subject_id"));
            chunk += "id: " + r.getString("id") + "\nevent: " + r.getString("action") + "\ndata: " + http::toJson(*o) + "\n\n";
            lastId = r.getInt("id");
        }
        const auto now = std::chrono::steady_clock::now();
        if (chunk.empty() && now - lastWrite > std::chrono::milliseconds(s_.settings.streamKeepAliveMs))
            chunk = ": keep-alive\n\n";
        if (!chunk.empty()) {
            res.write(chunk.data(), chunk.size());  // throws when the client is gone
            res.flush();
            lastWrite = now;
        }
        if (now - started > std::chrono::milliseconds(s_.settings.streamMaxMs)) return;
        if (rows.size() == 200) continue;
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait_for(lock, std::chrono::milliseconds(s_.settings.streamPollMs),
                          [&] { return stopping_ || generations_[key] != seen; });
    }
}

}  // namespace relais::plugins::wesend
