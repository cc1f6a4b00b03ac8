#include "mail/OutboxMailer.h"

#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/LineEndingConverter.h>
#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StringPartSource.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <memory>
#include <random>
#include <stdexcept>

#include "relais/Database.h"
#include "relais/Events.h"
#include "relais/Jobs.h"
#include "relais/Random.h"
#include "relais/Time.h"

namespace relais {

namespace {

// Mail lines end with CRLF (RFC 5322 2.3): texts are written with '\n', and servers such as
// Exchange refuse bare line feeds.
std::string crlf(const std::string& text) {
    std::ostringstream out;
    {
        Poco::OutputLineEndingConverter converter(out, Poco::LineEnding::NEWLINE_CRLF);
        converter << text;
    }
    return out.str();
}

std::string domainOf(const std::string& from) {
    auto at = from.rfind('@');
    if (at == std::string::npos)
        return "localhost";
    std::string d = from.substr(at + 1);
    auto gt = d.find('>');
    if (gt != std::string::npos)
        d.resize(gt);
    return d.empty() ? "localhost" : d;
}

// Error text for the outbox and the log: the server's reply, never our credentials.
std::string describe(const Poco::Exception& e) {
    std::string s = e.displayText();
    return s.size() > 500 ? s.substr(0, 500) : s;
}

}  // namespace

OutboxMailer::OutboxMailer(db::Database& database, Poco::Logger& log, SmtpOptions smtp,
                           OutboxOptions outbox)
    : db_(database), log_(log), smtp_(std::move(smtp)), outbox_(outbox) {}

std::int64_t OutboxMailer::enqueue(db::Connection& tx, const MailMessage& m) {
    if (!isValidMailAddress(m.to))
        throw std::invalid_argument("invalid recipient address");
    if (!m.replyTo.empty() && !isValidMailAddress(m.replyTo))
        throw std::invalid_argument("invalid reply-to address");
    if (m.subject.find_first_of("\r\n") != std::string::npos)
        throw std::invalid_argument("a subject is one line");
    if (m.text.empty())
        throw std::invalid_argument("a mail needs a text body");
    const std::int64_t now = nowMs();
    const std::string messageId = "<" + toHex(randomBytes(16)) + "@" + domainOf(smtp_.from) + ">";
    tx.execute(
        "INSERT INTO mail_outbox (tenant_id, recipient, subject, body_text, body_html, reply_to,"
        " message_id, state, attempts, next_attempt_at, created_at, reference)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)",
        {db::Value::textOrNull(m.tenantId), m.to, m.subject, m.text, db::Value::textOrNull(m.html),
         db::Value::textOrNull(m.replyTo), messageId, now, now, db::Value::textOrNull(m.reference)});
    const std::int64_t id = tx.lastInsertId();
    if (jobs_) {
        tx.afterCommit([jobs = jobs_] {
            try {
                jobs->trigger("mail.send");
            } catch (const std::exception&) {
                // The mail is stored; the next regular pass sends it.
            }
        });
    }
    return id;
}

std::int64_t OutboxMailer::enqueue(const MailMessage& message) {
    return db_.transaction([&](db::Connection& c) { return enqueue(c, message); });
}

void OutboxMailer::registerJob(JobScheduler& jobs, std::int64_t pollMs) {
    jobs_ = &jobs;
    jobs.addPeriodic("mail.send", pollMs, [this](JobContext& ctx) {
        while (!ctx.stopping() && sendDue() >= outbox_.batchSize) {
        }
    });
}

int OutboxMailer::sendDue() {
    const auto due = db_.query(
        "SELECT id, tenant_id, recipient, subject, body_text, body_html, reply_to, message_id,"
        " attempts, reference FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= ?"
        " ORDER BY next_attempt_at, id LIMIT ?",
        {nowMs(), outbox_.batchSize});
    if (due.empty())
        return 0;

    thread_local std::minstd_rand jitter(std::random_device{}());
    auto retryLater = [&](const db::Row& row, const std::string& error) {
        const int attempts = static_cast<int>(row.getInt("attempts")) + 1;
        if (attempts >= outbox_.maxAttempts) {
            log_.error("mail %s to recipient #%s failed for good after %d attempts: %s",
                       row.getString("message_id"), row.getString("id"), attempts, error);
            db_.execute(
                "UPDATE mail_outbox SET state = 'failed', attempts = ?, last_error = ? WHERE id = "
                "?",
                {attempts, error, row.getInt("id")});
            return;
        }
        std::int64_t delay = outbox_.retryBaseMs;
        for (int i = 1; i < attempts && delay < outbox_.retryMaxMs; ++i)
            delay *= 2;
        delay = std::min(delay, outbox_.retryMaxMs);
        delay += static_cast<std::int64_t>(jitter() % static_cast<unsigned>(delay / 5 + 1));
        db_.execute(
            "UPDATE mail_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
            {attempts, nowMs() + delay, error, row.getInt("id")});
    };

    std::unique_ptr<Poco::Net::SecureSMTPClientSession> session;
    try {
        Poco::Net::StreamSocket socket;
        socket.connect(
            Poco::Net::SocketAddress(smtp_.host, static_cast<Poco::UInt16>(smtp_.port)),
            Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(smtp_.timeoutMs) * 1000));
        session = std::make_unique<Poco::Net::SecureSMTPClientSession>(socket);
        session->setTimeout(
            Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(smtp_.timeoutMs) * 1000));
        session->login();
        if (smtp_.starttls) {
            Poco::Net::Context::Params p;
            p.verificationMode = smtp_.tlsVerify ? Poco::Net::Context::VERIFY_RELAXED
                                                 : Poco::Net::Context::VERIFY_NONE;
            p.caLocation = smtp_.caFile;
            p.loadDefaultCAs = smtp_.caFile.empty();
            Poco::Net::Context::Ptr ctx =
                new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, p);
            ctx->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
            ctx->enableExtendedCertificateVerification(smtp_.tlsVerify);
            if (!session->startTLS(ctx))
                throw Poco::Net::SMTPException("the SMTP server does not offer STARTTLS");
        }
        if (!smtp_.user.empty())
            session->login(Poco::Net::SMTPClientSession::AUTH_PLAIN, smtp_.user, smtp_.password);
    } catch (const Poco::Exception& e) {
        const std::string error = "cannot open an SMTP session with " + smtp_.host + ":" +
                                  std::to_string(smtp_.port) + ": " + describe(e);
        log_.warning("%s; %z mail(s) will be retried", error, due.size());
        for (const auto& row : due)
            retryLater(row, error);
        return 0;
    }

    int sent = 0;
    for (const auto& row : due) {
        Poco::Net::MailMessage msg;
        msg.setSender(smtp_.from);
        msg.addRecipient(Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT,
                                                  row.getString("recipient")));
        msg.setSubject(Poco::Net::MailMessage::encodeWord(row.getString("subject"), "UTF-8"));
        msg.setDate(Poco::Timestamp());
        msg.set("Message-ID", row.getString("message_id"));
        if (!row.isNull("reply_to"))
            msg.set("Reply-To", row.getString("reply_to"));
        if (row.isNull("body_html")) {
            msg.setContentType("text/plain; charset=UTF-8");
            msg.setContent(crlf(row.getString("body_text")),
                           Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
        } else {
            msg.setContentType("multipart/alternative");
            msg.addPart("",
                        new Poco::Net::StringPartSource(crlf(row.getString("body_text")),
                                                        "text/plain; charset=UTF-8"),
                        Poco::Net::MailMessage::CONTENT_INLINE,
                        Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
            msg.addPart("",
                        new Poco::Net::StringPartSource(crlf(row.getString("body_html")),
                                                        "text/html; charset=UTF-8"),
                        Poco::Net::MailMessage::CONTENT_INLINE,
                        Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
        }
        try {
            session->sendMessage(msg);
            db_.execute(
                "UPDATE mail_outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1,"
                " last_error = NULL WHERE id = ?",
                {nowMs(), row.getInt("id")});
            ++sent;
            if (events_ && !row.isNull("reference")) {
                Poco::JSON::Object body;
                body.set("mail_id", row.getInt("id"));
                body.set("reference", row.getString("reference"));
                body.set("to", row.getString("recipient"));
                std::ostringstream json;
                body.stringify(json);
                events_->publish(
                    {kMailDeliveredTopic, row.getString("tenant_id"), json.str(), nowMs()});
            }
        } catch (const Poco::Net::SMTPException& e) {
            // A refused recipient (5xx to RCPT TO) will never be accepted: fail that mail only.
            // Any other refusal (MAIL FROM, DATA, 4xx) may be the server's state or ours: retry.
            const int code = e.code();
            if (code >= 500 && code < 600 && e.message().rfind("Recipient rejected", 0) == 0) {
                log_.error("mail %s refused for good by the SMTP server: %s",
                           row.getString("message_id"), describe(e));
                db_.execute(
                    "UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1,"
                    " last_error = ? WHERE id = ?",
                    {describe(e), row.getInt("id")});
                try {
                    std::string reply;
                    session->sendCommand("RSET", reply);
                } catch (const Poco::Exception&) {
                    break;
                }
                continue;
            }
            log_.warning("mail %s not accepted, will retry: %s", row.getString("message_id"),
                         describe(e));
            retryLater(row, describe(e));
            break;  // the session may be unusable
        } catch (const Poco::Exception& e) {
            log_.warning("mail %s not sent, will retry: %s", row.getString("message_id"),
                         describe(e));
            retryLater(row, describe(e));
            break;
        }
    }
    try {
        session->close();
    } catch (const Poco::Exception&) {
        // QUIT after a broken session; the mails are already recorded.
    }
    if (sent > 0)
        log_.information("sent %d mail(s)", sent);
    return sent;
}

}  // namespace relais
