#pragma once

#include <cstdint>
#include <string>

namespace relais {

namespace db {
class Connection;
}

/// A mail to one recipient. `text` is required; `html`, when set, is sent as the alternative.
struct MailMessage {
    std::string tenantId;  ///< empty for platform mail
    std::string to;        ///< one address, "name@example.org"
    std::string subject;   ///< UTF-8, one line
    std::string text;
    std::string html;
    std::string replyTo;
    /// The sender's own reference ("wesend.transfer:<id>"), not sent: it comes back in the
    /// "mail.delivered" event published once the SMTP server has accepted the mail.
    std::string reference;
};

/// The payload of the "mail.delivered" event, published (with the mail's tenant) when the SMTP
/// server accepts a mail: {"mail_id": N, "reference": "...", "to": "..."}.
constexpr const char* kMailDeliveredTopic = "mail.delivered";

/// The outbox. A mail enqueued in a committed transaction is delivered at least once: it stays
/// in the database until the SMTP server accepts it, across SMTP outages and restarts.
class Mailer {
public:
    virtual ~Mailer() = default;
    /// Stores the mail inside the caller's transaction; it is sent after the commit. Throws
    /// std::invalid_argument for an invalid address or a subject with a line break.
    virtual std::int64_t enqueue(db::Connection& tx, const MailMessage& message) = 0;
    /// Stores the mail in its own transaction.
    virtual std::int64_t enqueue(const MailMessage& message) = 0;
};

/// A mail in French first, then English, as every mail of the product is written: the two
/// texts one after the other under a "-- English --" line.
MailMessage bilingualMail(const std::string& to, const std::string& subject, const std::string& french,
                          const std::string& english);

/// Whether `address` is a plain addr-spec (local@domain) fit for an SMTP envelope.
bool isValidMailAddress(const std::string& address);

}  // namespace relais
