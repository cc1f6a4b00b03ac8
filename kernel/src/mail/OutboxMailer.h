#pragma once

#include <cstdint>
#include <string>

#include "relais/Mail.h"

namespace Poco {
class Logger;
}

namespace relais {

class EventBus;
class JobScheduler;
namespace db {
class Database;
}

struct SmtpOptions {
    std::string host = "127.0.0.1";
    int port = 25;
    std::string from = "Relais <no-reply@localhost>";
    bool starttls = false;
    bool tlsVerify = true;
    std::string caFile;
    std::string user;
    std::string password;
    int timeoutMs = 30000;
};

struct OutboxOptions {
    int batchSize = 20;
    std::int64_t retryBaseMs = 60000;
    std::int64_t retryMaxMs = 3600000;
    int maxAttempts = 40;
};

/// The Mailer: mails are rows of `mail_outbox` until an SMTP server takes them. The periodic
/// job "mail.send" sends what is due over one SMTP session per batch (STARTTLS and AUTH when
/// configured). A temporary failure (connection refused, 4xx) retries with exponential backoff
/// and jitter; a permanent one (5xx for that recipient) marks the mail failed at once; after
/// mail.max_attempts a mail is marked failed. Delivery is at least once: the same Message-ID
/// is reused on every attempt so that a receiving server can drop a duplicate.
class OutboxMailer final : public Mailer {
public:
    OutboxMailer(db::Database& database, Poco::Logger& log, SmtpOptions smtp, OutboxOptions outbox);

    std::int64_t enqueue(db::Connection& tx, const MailMessage& message) override;
    std::int64_t enqueue(const MailMessage& message) override;

    /// Registers "mail.send" with the scheduler, every `pollMs`.
    void registerJob(JobScheduler& jobs, std::int64_t pollMs);
    /// Publishes "mail.delivered" for each accepted mail that has a reference.
    void setEvents(EventBus* events) { events_ = events; }
    /// Sends the mails that are due; returns how many the SMTP server accepted.
    int sendDue();

private:
    db::Database& db_;
    Poco::Logger& log_;
    SmtpOptions smtp_;
    OutboxOptions outbox_;
    EventBus* events_ = nullptr;
    JobScheduler* jobs_ = nullptr;
};

}  // namespace relais
