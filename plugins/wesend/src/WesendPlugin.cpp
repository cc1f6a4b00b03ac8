// The wiring of the WeSend module: settings, services, routes, subscriptions and jobs. The
// logic lives in the classes it builds.

#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>

#include <memory>

#include "EventStream.h"
#include "Links.h"
#include "RequestService.h"
#include "Retention.h"
#include "Services.h"
#include "Statistics.h"
#include "Tracking.h"
#include "TransferService.h"
#include "TusHandler.h"
#include "UploadStore.h"
#include "WesendSettings.h"
#include "WesendTenantData.h"
#include "relais/Config.h"
#include "relais/Events.h"
#include "relais/Jobs.h"
#include "relais/Kernel.h"
#include "relais/Mail.h"
#include "relais/PluginExport.h"
#include "relais/Problem.h"
#include "relais/Time.h"
#include "relais/http/Access.h"
#include "relais/http/Request.h"

namespace relais::plugins::wesend {

class WesendPlugin final : public Plugin {
public:
    void declareSettings(ConfigSchema& schema) override { WesendSettings::declare(schema); }

    void registerWith(Kernel& kernel) override {
        settings_ = WesendSettings::read(kernel.config());
        uploads_ = std::make_unique<UploadStore>(kernel.database());
        links_ = std::make_unique<Links>(kernel.database(), kernel.journal(), settings_);
        tracking_ = std::make_unique<Tracking>(kernel.database(), kernel.journal(), kernel.events());
        tus_ = std::make_unique<TusHandler>(kernel.files(), *uploads_, settings_);
        services_ = std::make_unique<Services>(Services{settings_, kernel.database(), kernel.files(), kernel.mail(),
                                                        kernel.journal(), kernel.events(), kernel.logger(), *uploads_,
                                                        *links_, *tracking_, *tus_});
        transfers_ = std::make_unique<TransferService>(*services_);
        requests_ = std::make_unique<RequestService>(*services_);
        stream_ = std::make_unique<EventStream>(*services_);
        stats_ = std::make_unique<Statistics>(*services_);
        retention_ = std::make_unique<Retention>(*services_);

        registerUploadRoutes(kernel.routes());
        transfers_->registerRoutes(kernel.routes());
        requests_->registerRoutes(kernel.routes());
        kernel.routes().add({"GET", "/api/v1/events/stream",
                             [this](http::Request& req, http::Response& res) { stream_->handle(req, res); }});
        kernel.routes().add({"GET", "/api/v1/admin/stats",
                             [this](http::Request& req, http::Response& res) { stats_->handle(req, res); }});

        kernel.events().subscribe("wesend.event", [this](const Event& e) {
            const auto body = Poco::JSON::Parser().parse(e.json).extract<Poco::JSON::Object::Ptr>();
            stream_->wake(e.tenantId, body->optValue<std::string>("owner_user_id", ""));
        });
        kernel.events().subscribe(kMailDeliveredTopic, [this](const Event& e) { onMailDelivered(e); });
        kernel.addTenantData(std::make_shared<WesendTenantData>(kernel.database()));
        kernel.jobs().addPeriodic("wesend.cleanup", settings_.cleanupIntervalMs,
                                  [this](JobContext&) { retention_->run(nowMs()); });
    }

    void stop() override {
        if (stream_) stream_->stop();
    }

private:
    void registerUploadRoutes(http::RouteRegistry& routes) {
        TusHandler& tus = *tus_;
        auto scope = [](const http::Request& req) {
            const Principal& p = http::requireUser(req);
            if (!p.hasFeature("send") && !p.hasFeature("storage"))
                throw Problem(403, "feature_not_allowed", "Your profile does not allow sending or storing files.");
            UploadScope s;
            s.tenantId = http::requireTenant(req).id;
            s.ownerUserId = p.userId;
            s.basePath = "/api/v1/uploads";
            return s;
        };
        const std::int64_t max = settings_.maxUploadBytes;
        routes.add({"OPTIONS", "/api/v1/uploads", [&tus](http::Request& req, http::Response& res) { tus.options(req, res); }});
        routes.add({"OPTIONS", "/api/v1/uploads/{id}",
                    [&tus](http::Request& req, http::Response& res) { tus.options(req, res); }});
        routes.add({"POST", "/api/v1/uploads",
                    [&tus, scope](http::Request& req, http::Response& res) {
                        TusHandler::guarded(req, res, true, [&] { tus.create(req, res, scope(req)); });
                    },
                    http::Scope::Tenant, max});
        routes.add({"HEAD", "/api/v1/uploads/{id}", [&tus, scope](http::Request& req, http::Response& res) {
                        TusHandler::guarded(req, res, true, [&] { tus.head(req, res, scope(req), req.param("id")); });
                    }});
        routes.add({"PATCH", "/api/v1/uploads/{id}",
                    [&tus, scope](http::Request& req, http::Response& res) {
                        TusHandler::guarded(req, res, true, [&] { tus.patch(req, res, scope(req), req.param("id")); });
                    },
                    http::Scope::Tenant, max});
        routes.add({"DELETE", "/api/v1/uploads/{id}", [&tus, scope](http::Request& req, http::Response& res) {
                        TusHandler::guarded(req, res, true, [&] { tus.terminate(req, res, scope(req), req.param("id")); });
                    }});
    }

    // reference "wesend.transfer:<id>" or "wesend.request:<id>"
    void onMailDelivered(const Event& e) {
        try {
            auto body = Poco::JSON::Parser().parse(e.json).extract<Poco::JSON::Object::Ptr>();
            const std::string ref = body->optValue<std::string>("reference", "");
            const std::string to = body->optValue<std::string>("to", "");
            const auto colon = ref.find(':');
            if (colon == std::string::npos) return;
            const std::string kind = ref.substr(0, colon);
            const std::string id = ref.substr(colon + 1);
            if (kind == "wesend.transfer") transfers_->onMailDelivered(e.tenantId, id, to);
            if (kind == "wesend.request") requests_->onMailDelivered(e.tenantId, id, to);
        } catch (const std::exception& x) {
            services_->log.warning("cannot record a mail delivery: %s", std::string(x.what()));
        }
    }

    WesendSettings settings_;
    std::unique_ptr<UploadStore> uploads_;
    std::unique_ptr<Links> links_;
    std::unique_ptr<Tracking> tracking_;
    std::unique_ptr<TusHandler> tus_;
    std::unique_ptr<Services> services_;
    std::unique_ptr<TransferService> transfers_;
    std::unique_ptr<RequestService> requests_;
    std::unique_ptr<EventStream> stream_;
    std::unique_ptr<Statistics> stats_;
    std::unique_ptr<Retention> retention_;
};

}  // namespace relais::plugins::wesend

namespace {
const char* const kDependencies[] = {nullptr};
}

RELAIS_PLUGIN(relais::plugins::wesend::WesendPlugin, "wesend", "1.0.0",
              "Resumable uploads, transfers, downloads, upload requests, tracking and statistics", kDependencies)
