#pragma once

#include <string>
#include <vector>

#include "tenancy/Services.h"
#include "tenancy/TenancyStore.h"

namespace Poco::JSON {
class Object;
}

namespace relais {

class Provisioning;
namespace http {
class Request;
}

struct QuoteRequest {
    std::string id;
    std::string company;
    std::string contactName;
    std::string email;
    std::string phone;
    std::int64_t users = 0;
    std::int64_t storageGb = 0;
    std::string plan;
    std::string message;
    std::string ip;
    std::int64_t createdAtMs = 0;
};

/// What the service's own site offers on the platform host, without an account: the trial
/// sign-up (confirmed by e-mail, then a `trial` tenant under tenancy.trial_reseller) and quote
/// requests. Both are rate-limited per address, journalled in the platform chain and mailed
/// to the operator.
class SelfService {
public:
    SelfService(TenancyServices& services, Provisioning& provisioning) : s_(services), provisioning_(provisioning) {}

    /// {email, name, company, slug, password, siren?, accept_terms: true}: checks everything a
    /// tenant creation would (slug free, SIREN, password policy) and mails a confirmation link.
    /// Problem 404 `signup_closed` when no trial reseller is configured.
    void requestTrial(const http::Request& request, const Poco::JSON::Object& body);
    /// Creates the trial tenant and its admin from a confirmation token. Problem 410
    /// `link_expired` for an unknown, used or expired token; 409 `slug_taken` if the slug went.
    Tenant confirmTrial(const http::Request& request, const std::string& token);

    /// Stores a quote request; returns its id.
    std::string requestQuote(const http::Request& request, const Poco::JSON::Object& body);
    /// Deletes sign-ups never confirmed, a week after their link expired.
    std::uint64_t removeStaleSignups(std::int64_t nowMs);
    /// Quote requests, newest first, after the cursor key `after` ("<created_at>|<id>" of the
    /// last one seen; "" for the first page).
    std::vector<QuoteRequest> quotes(const std::string& after, int limit);

private:
    void notifyOperators(db::Connection& tx, const std::string& subject, const std::string& body);

    TenancyServices& s_;
    Provisioning& provisioning_;
};

}  // namespace relais
