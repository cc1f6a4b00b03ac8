#include "auth/LoginService.h"

#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <algorithm>

#include "auth/Passwords.h"
#include "auth/SessionStore.h"
#include "auth/Throttle.h"
#include "auth/Totp.h"
#include "crypto/Aead.h"
#include "crypto/KeyStore.h"
#include "relais/Database.h"
#include "relais/Journal.h"
#include "relais/Mail.h"
#include "relais/Problem.h"
#include "relais/Random.h"
#include "relais/Time.h"
#include "relais/http/Request.h"
#include "tenancy/Audit.h"
#include "tenancy/Directory.h"
#include "tenancy/IpRange.h"
#include "tenancy/Links.h"
#include "tenancy/Mails.h"
#include "tenancy/TenancyStore.h"
#include "tenancy/Validation.h"

namespace relais {

namespace {

Problem invalidCredentials() {
    return Problem(401, "invalid_credentials", "The e-mail address or the password is wrong.");
}

std::string scopeOf(const http::Request& req) { return UserStore::scopeOf(req.tenant() ? req.tenant()->id : ""); }

std::string normaliseRecoveryCode(const std::string& code) {
    std::string out;
    for (char c : code)
        if (c != '-' && c != ' ') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::vector<Throttle::Limit> loginLimits(const TenancySettings& settings, const std::string& scope,
                                         const std::string& email, const std::string& ip) {
    return {{"acct:" + scope + ":" + email, settings.lockoutThreshold}, {"ip:" + ip, settings.lockoutIpThreshold}};
}

}  // namespace

void LoginService::checkPassword(const std::string& password, const std::string& email, const std::string& field) {
    const std::string weakness = passwordWeakness(password, email);
    if (!weakness.empty()) throw Problem(400, "weak_password", weakness, {{field, weakness}});
}

std::string LoginService::sealTotp(const std::string& userId, const std::string& secret) {
    Aes256Gcm gcm(s_.keys.platformKey("totp"));
    return toHex(gcm.sealMessage("relais/totp|" + userId, secret));
}

std::string LoginService::openTotp(const std::string& userId, const std::string& sealed) {
    Aes256Gcm gcm(s_.keys.platformKey("totp"));
    return gcm.openMessage("relais/totp|" + userId, fromHex(sealed));
}

std::tuple<std::string, std::string, std::int64_t> LoginService::newSession(db::Connection& tx, const User& user,
                                                                            const http::Request& req, bool totpPending) {
    const std::string token = std::string(kSessionTokenPrefix) + randomToken(32);
    const std::string csrf = randomToken(24);
    Session s;
    s.id = sha256Hex(token);
    s.publicId = randomId("ss");
    s.userId = user.id;
    s.csrfHash = sha256Hex(csrf);
    s.createdAtMs = s.lastSeenAtMs = nowMs();
    s.expiresAtMs = s.createdAtMs + s_.settings.sessionMaxMs;
    s.ip = req.clientIp();
    s.userAgent = req.header("User-Agent").substr(0, 255);
    s.totpPending = totpPending;
    s_.sessions.insert(tx, s);
    return {token, csrf, s.expiresAtMs};
}

std::uint64_t LoginService::checkSecondFactor(db::Connection& tx, const User& user, const std::string& input) {
    const std::string code = Poco::trim(input);
    const bool digits = code.size() == 6 && std::all_of(code.begin(), code.end(), ::isdigit);
    if (digits) {
        const std::string secret = openTotp(user.id, user.totpSecret);
        const std::uint64_t nowStep = Totp::stepAt(nowMs());
        const std::uint64_t step = Totp::match(secret, code, nowStep, static_cast<std::uint64_t>(user.totpLastStep));
        if (step == 0) {
            if (Totp::match(secret, code, nowStep, 0) != 0)
                throw Problem(401, "totp_replayed", "This code was already used; wait for the next one.");
            throw Problem(401, "invalid_totp", "The second-factor code is wrong.");
        }
        // Conditional: two logins racing with the same code cannot both win.
        if (tx.execute("UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
                       {static_cast<long long>(step), user.id, static_cast<long long>(step)}) != 1)
            throw Problem(401, "totp_replayed", "This code was already used; wait for the next one.");
        return step;
    }
    if (!s_.users.useRecoveryCode(tx, user.id, sha256Hex(normaliseRecoveryCode(code))))
        throw Problem(401, "invalid_totp", "The second-factor code is wrong.");
    return 0;
}

LoginResult LoginService::login(const http::Request& req, const std::string& rawEmail, const std::string& password,
                                const std::string& totp) {
    const std::string scope = scopeOf(req);
    const std::string email = normaliseEmail(rawEmail);
    const auto limits = loginLimits(s_.settings, scope, email.empty() ? rawEmail.substr(0, 254) : email, req.clientIp());
    s_.throttle.attempt(limits);  // counted before the check: parallel guesses queue here

    std::optional<User> user;
    if (!email.empty()) user = s_.users.byEmail(scope, email);
    // Always exactly one argon2id verification: an unknown account costs the same time.
    bool ok = false;
    if (user && !user->passwordHash.empty()) ok = PasswordHasher::verify(password, user->passwordHash);
    else PasswordHasher::verifyNothing(password);
    if (ok && user->state != "active") ok = false;

    auto fail = [&](const Problem& problem, const std::string& reason) {
        Poco::JSON::Object details;
        details.set("reason", reason);
        s_.journal.append(auditEntry(req, "auth.login_failed", "user", user ? user->id : "", details,
                                     email.empty() ? "" : email));
        throw problem;
    };
    if (!ok) fail(invalidCredentials(), "credentials");

    // The password was right: what follows is not a guess of it.
    if (req.tenant() && req.tenant()->state == "terminated" && user->role != "tenant_admin") {
        s_.throttle.undo(limits);
        throw Problem(403, "tenant_terminated", "This organisation's account is closed.");
    }
    if (user->totpEnabled && Poco::trim(totp).empty()) {
        s_.throttle.undo(limits);
        throw Problem(401, "totp_required", "Enter the code of your authenticator app, or a recovery code.");
    }

    bool mustEnrol = false;
    if (!user->profileId.empty()) {
        if (auto profile = s_.users.profile(user->tenantId, user->profileId)) {
            mustEnrol = profile->requireTotp && !user->totpEnabled;
            // Outside the profile's networks no session is opened at all.
            if (!addressAllowed(parseRanges(profile->allowedIps), req.clientIp())) {
                s_.throttle.undo(limits);
                JournalEntry e = auditEntry(req, "auth.ip_refused", "user", user->id);
                e.actor = {user->role, user->id, user->email};
                s_.journal.append(e);
                throw Problem(403, "ip_not_allowed", "Your account may not be used from this network address.");
            }
        }
    }

    LoginResult result;
    try {
        s_.db.transaction([&](db::Connection& tx) {
            if (user->totpEnabled) checkSecondFactor(tx, *user, totp);
            auto [token, csrf, expires] = newSession(tx, *user, req, mustEnrol);
            result.token = token;
            result.csrfToken = csrf;
            result.expiresAtMs = expires;
            tx.execute("UPDATE users SET last_login_at = ? WHERE id = ?", {nowMs(), user->id});
        });
    } catch (const Problem& p) {
        fail(p, p.code());
    }
    s_.throttle.succeeded(limits);
    result.user = *user;
    result.totpEnrollmentRequired = mustEnrol;
    Poco::JSON::Object details;
    details.set("second_factor", user->totpEnabled);
    JournalEntry entry = auditEntry(req, "auth.login", "user", user->id, details);
    entry.actor = {user->role, user->id, user->email};
    s_.journal.append(entry);
    return result;
}

User LoginService::currentUser(const http::Request& req) {
    const Principal* p = req.principal();
    if (!p) throw Problem(401, "unauthenticated", "Log in first.");
    auto user = s_.users.byId(UserStore::scopeOf(p->tenantId), p->userId);
    if (!user) throw Problem(401, "unauthenticated", "Log in first.");
    return *user;
}

void LoginService::logout(const http::Request& req) {
    const Principal* p = req.principal();
    if (!p) return;
    if (!p->sessionId.empty()) {
        s_.sessions.remove(p->sessionId);
        s_.db.transaction([&](db::Connection& tx) { s_.tenancy.bumpEpoch(tx); });
        s_.directory.invalidate();
    }
    s_.journal.append(auditEntry(req, "auth.logout", "user", p->userId));
}

void LoginService::changePassword(const http::Request& req, const std::string& current, const std::string& next) {
    User user = currentUser(req);
    const auto limits = loginLimits(s_.settings, user.scope, user.email, req.clientIp());
    s_.throttle.attempt(limits);
    if (user.passwordHash.empty() || !PasswordHasher::verify(current, user.passwordHash))
        throw Problem(400, "invalid_current_password", "The current password is wrong.",
                      {{"current_password", "wrong password"}});
    s_.throttle.succeeded(limits);
    checkPassword(next, user.email, "new_password");
    user.passwordHash = PasswordHasher::hash(next);
    user.passwordChangedAtMs = nowMs();
    s_.db.transaction([&](db::Connection& tx) {
        s_.users.update(tx, user);
        s_.sessions.removeAllOf(tx, user.id, req.principal()->sessionId);
        s_.tenancy.bumpEpoch(tx);
        s_.journal.append(tx, auditEntry(req, "auth.password_changed", "user", user.id));
    });
    s_.directory.invalidate();
}

LoginService::TotpEnrolment LoginService::beginTotp(const http::Request& req) {
    User user = currentUser(req);
    if (user.totpEnabled) throw Problem(409, "totp_already_enabled", "A second factor is already set up.");
    const std::string secret = Totp::newSecret();
    user.totpSecret = sealTotp(user.id, secret);
    s_.db.transaction([&](db::Connection& tx) { s_.users.update(tx, user); });
    const std::string issuer = req.tenant() ? "Relais (" + req.tenant()->name + ")" : "Relais";
    return {Totp::base32(secret), Totp::uri(issuer, user.email, secret)};
}

std::vector<std::string> LoginService::confirmTotp(const http::Request& req, const std::string& code) {
    User user = currentUser(req);
    if (user.totpEnabled) throw Problem(409, "totp_already_enabled", "A second factor is already set up.");
    if (user.totpSecret.empty()) throw Problem(409, "totp_not_started", "Start the set-up first (POST /api/v1/me/totp).");
    const auto limits = loginLimits(s_.settings, user.scope, user.email, req.clientIp());
    s_.throttle.attempt(limits);
    const std::uint64_t step = Totp::match(openTotp(user.id, user.totpSecret), Poco::trim(code), Totp::stepAt(nowMs()), 0);
    if (step == 0)
        throw Problem(400, "invalid_totp", "The code is wrong: check the time of your device.", {{"code", "wrong code"}});
    s_.throttle.succeeded(limits);
    std::vector<std::string> codes, hashes;
    for (int i = 0; i < 10; ++i) {
        const std::string raw = Totp::base32(randomBytes(7)).substr(0, 10);
        std::string lower;
        for (char c : raw) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        codes.push_back(lower.substr(0, 5) + "-" + lower.substr(5));
        hashes.push_back(sha256Hex(lower));
    }
    user.totpEnabled = true;
    user.totpLastStep = static_cast<std::int64_t>(step);
    s_.db.transaction([&](db::Connection& tx) {
        s_.users.update(tx, user);
        s_.users.replaceRecoveryCodes(tx, user.id, hashes);
        s_.sessions.clearTotpPending(tx, user.id);
        s_.tenancy.bumpEpoch(tx);
        s_.journal.append(tx, auditEntry(req, "auth.totp_enabled", "user", user.id));
    });
    s_.directory.invalidate();
    return codes;
}

void LoginService::disableTotp(const http::Request& req, const std::string& password) {
    User user = currentUser(req);
    const auto limits = loginLimits(s_.settings, user.scope, user.email, req.clientIp());
    s_.throttle.attempt(limits);
    if (!PasswordHasher::verify(password, user.passwordHash))
        throw Problem(400, "invalid_current_password", "The password is wrong.", {{"password", "wrong password"}});
    s_.throttle.succeeded(limits);
    user.totpEnabled = false;
    user.totpSecret.clear();
    user.totpLastStep = 0;
    s_.db.transaction([&](db::Connection& tx) {
        s_.users.update(tx, user);
        s_.users.replaceRecoveryCodes(tx, user.id, {});
        s_.tenancy.bumpEpoch(tx);  // a profile that wants a factor restricts the user again
        s_.journal.append(tx, auditEntry(req, "auth.totp_disabled", "user", user.id));
    });
    s_.directory.invalidate();
}

void LoginService::resetTotp(const http::Request& req, const std::string& tenantId, const std::string& userId) {
    s_.db.transaction([&](db::Connection& tx) {
        auto user = s_.users.byId(tx, UserStore::scopeOf(tenantId), userId);
        if (!user) throw Problem::notFound("No such user.");
        if (req.principal() && req.principal()->userId == user->id)
            throw Problem(409, "own_account", "Use POST /api/v1/me/totp/disable for your own account.");
        user->totpEnabled = false;
        user->totpSecret.clear();
        user->totpLastStep = 0;
        s_.users.update(tx, *user);
        s_.users.replaceRecoveryCodes(tx, user->id, {});
        s_.sessions.removeAllOf(tx, user->id);
        s_.tenancy.bumpEpoch(tx);
        s_.journal.append(tx, auditEntry(req, "auth.totp_reset", "user", user->id));
    });
    s_.directory.invalidate();
}

CreatedApiKey LoginService::createApiKey(const http::Request& req, const std::string& name) {
    const Principal* p = req.principal();
    CreatedApiKey k{randomId("ak"), name, std::string(kApiKeyPrefix) + randomToken(32)};
    ApiKey key{k.id, p->userId, name, nowMs(), 0};
    s_.db.transaction([&](db::Connection& tx) {
        s_.sessions.insertKey(tx, key, sha256Hex(k.key));
        Poco::JSON::Object details;
        details.set("name", name);
        s_.journal.append(tx, auditEntry(req, "auth.api_key_created", "api_key", k.id, details));
    });
    return k;
}

void LoginService::sendLink(db::Connection& tx, const User& user, const std::string& purpose, const std::string& base,
                            const std::string& organisation) {
    const std::string token = randomToken(32);
    const std::int64_t ttl = purpose == "invitation" ? s_.settings.invitationTtlMs : s_.settings.resetTtlMs;
    s_.users.insertToken(tx, sha256Hex(token), user.id, purpose, nowMs() + ttl);
    MailMessage m = purpose == "invitation"
                        ? mails::invitation(user.email, user.name, organisation, base + "/invitation?token=" + token)
                        : mails::passwordReset(user.email, user.name, base + "/reset-password?token=" + token);
    m.tenantId = user.tenantId;  // purged with the tenant
    s_.mail.enqueue(tx, m);
}

void LoginService::setPasswordByLink(const http::Request& req, const std::string& token, const std::string& purpose,
                                     const std::string& password) {
    const std::vector<Throttle::Limit> limits = {{"ip:" + req.clientIp(), s_.settings.lockoutIpThreshold}};
    s_.throttle.attempt(limits);
    const Problem expired(410, "link_expired",
                          purpose == "invitation" ? "This invitation is no longer valid."
                                                  : "This link is no longer valid; ask for a new one.");
    const std::string hash = sha256Hex(token);
    // Who the link is for, read first, so that the password is checked and hashed outside the
    // transaction; a link of another organisation is not this host's, and stays unused.
    auto owner = s_.users.tokenOwner(hash, purpose);
    auto user = owner ? s_.users.byId(scopeOf(req), *owner) : std::nullopt;
    if (!user || (purpose == "password_reset" && user->state != "active")) throw expired;
    checkPassword(password, user->email, "password");
    const std::string passwordHash = PasswordHasher::hash(password);
    s_.db.transaction([&](db::Connection& tx) {
        if (s_.users.consumeToken(tx, hash, purpose) != owner) throw expired;  // used meanwhile
        auto current = s_.users.byId(tx, scopeOf(req), *owner);
        if (!current) throw expired;
        current->passwordHash = passwordHash;
        current->passwordChangedAtMs = nowMs();
        if (current->state == "invited") current->state = "active";
        s_.users.update(tx, *current);
        if (purpose == "password_reset") s_.sessions.removeAllOf(tx, current->id);
        s_.tenancy.bumpEpoch(tx);
        JournalEntry e = auditEntry(req, purpose == "invitation" ? "auth.invitation_accepted" : "auth.password_reset",
                                    "user", current->id);
        e.actor = {current->role, current->id, current->email};
        s_.journal.append(tx, e);
    });
    s_.throttle.undo(limits);  // the address's own count: only this attempt is taken back
    s_.directory.invalidate();
}

void LoginService::requestPasswordReset(const http::Request& req, const std::string& rawEmail) {
    const std::string email = normaliseEmail(rawEmail);
    const std::vector<Throttle::Limit> limits = {{"reset:" + scopeOf(req) + ":" + email, 3},
                                                 {"ip:" + req.clientIp(), s_.settings.lockoutIpThreshold}};
    s_.throttle.check(limits);
    s_.throttle.fail({limits[0]});  // at most a few mails per account per quarter of an hour
    if (email.empty()) return;
    auto user = s_.users.byEmail(scopeOf(req), email);
    if (!user || user->state != "active") return;
    const std::string base = linkBase(req, s_.settings, req.tenant() ? req.tenant()->slug : "");
    s_.db.transaction([&](db::Connection& tx) {
        sendLink(tx, *user, "password_reset", base, req.tenant() ? req.tenant()->name : "Relais");
        JournalEntry e = auditEntry(req, "auth.password_reset_requested", "user", user->id);
        e.actor = {"anonymous", "", email};
        s_.journal.append(tx, e);
    });
}

}  // namespace relais
