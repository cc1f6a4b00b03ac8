#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tenancy/Services.h"
#include "tenancy/UserStore.h"

namespace relais {

namespace db {
class Connection;
}
namespace http {
class Request;
}

struct LoginResult {
    std::string token;
    std::string csrfToken;
    std::int64_t expiresAtMs = 0;
    User user;
    bool totpEnrollmentRequired = false;
};

struct CreatedApiKey {
    std::string id;
    std::string name;
    std::string key;
};

/// Logins, sessions, passwords, second factors, API keys, invitations and password resets.
/// Every guessable secret goes through the Throttle; every outcome is journalled.
class LoginService {
public:
    explicit LoginService(TenancyServices& services) : s_(services) {}

    /// Checks e-mail, password and (when the user has one) second factor, in the scope of the
    /// request's host. Problem 401 `invalid_credentials` (the same whether or not the account
    /// exists, after the same work), `totp_required`, `invalid_totp`, `totp_replayed`; 429
    /// `too_many_attempts`; 403 `tenant_terminated` for a non-admin of a closed tenant.
    LoginResult login(const http::Request& request, const std::string& email, const std::string& password,
                      const std::string& totp);
    void logout(const http::Request& request);
    /// Revokes every other session of the user.
    void changePassword(const http::Request& request, const std::string& current, const std::string& next);

    struct TotpEnrolment {
        std::string secretBase32;
        std::string uri;
    };
    TotpEnrolment beginTotp(const http::Request& request);
    /// Activates the factor with a first code; returns 10 single-use recovery codes.
    std::vector<std::string> confirmTotp(const http::Request& request, const std::string& code);
    void disableTotp(const http::Request& request, const std::string& password);

    /// A tenant admin removes another user's second factor (a lost phone and lost recovery
    /// codes): the user's sessions are revoked, and their profile may make them enrol again.
    void resetTotp(const http::Request& request, const std::string& tenantId, const std::string& userId);

    CreatedApiKey createApiKey(const http::Request& request, const std::string& name);

    /// Sets the password through an invitation ("invitation") or reset ("password_reset")
    /// link: one use, throttled per address; a reset revokes the user's sessions. Problem 410
    /// `link_expired` for an unknown, used or expired link, or one of another host.
    void setPasswordByLink(const http::Request& request, const std::string& token, const std::string& purpose,
                           const std::string& password);
    /// Always succeeds from the caller's point of view; mails a link when the account exists.
    void requestPasswordReset(const http::Request& request, const std::string& email);

    /// Starts a session for `user` inside `tx`; returns {token, csrf token, absolute expiry}.
    std::tuple<std::string, std::string, std::int64_t> newSession(db::Connection& tx, const User& user,
                                                                 const http::Request& request, bool totpPending);
    /// Refuses a password the policy rejects: Problem 400 `weak_password`.
    static void checkPassword(const std::string& password, const std::string& email, const std::string& field);
    /// Issues an invitation (no password yet) or reset link for `user`, inside `tx`, and mails it.
    void sendLink(db::Connection& tx, const User& user, const std::string& purpose, const std::string& base,
                  const std::string& organisation);

private:
    std::string sealTotp(const std::string& userId, const std::string& secret);
    std::string openTotp(const std::string& userId, const std::string& sealed);
    /// Verifies a TOTP or recovery code; returns the TOTP step used (0 for a recovery code).
    std::uint64_t checkSecondFactor(db::Connection& tx, const User& user, const std::string& code);
    User currentUser(const http::Request& request);

    TenancyServices& s_;
};

}  // namespace relais
