#include <Poco/Logger.h>
#include <cppunit/extensions/HelperMacros.h>

#include "TestSupport.h"
#include "mail/OutboxMailer.h"
#include "relais/Database.h"
#include "relais/Random.h"
#include "runtime/Runtime.h"

using relais::MailMessage;
using relais::OutboxMailer;
using relais::OutboxOptions;
using relais::SmtpOptions;

namespace {

std::vector<std::string> messagesWith(const std::string& maildir, const std::string& needle) {
    std::vector<std::string> out;
    for (auto& m : relais::test::maildirMessages(maildir))
        if (m.find(needle) != std::string::npos)
            out.push_back(m);
    return out;
}

}  // namespace

// Against real SMTP servers: the one `make test` starts, and private ones this suite starts and
// stops (aiosmtpd), for outages, STARTTLS, authentication and refusals.
class MailTest : public CppUnit::TestFixture {
    CPPUNIT_TEST_SUITE(MailTest);
    CPPUNIT_TEST(aMailReachesTheSmtpServer);
    CPPUNIT_TEST(aMailSurvivesAnSmtpOutageAndARestart);
    CPPUNIT_TEST(startTlsAndAuthentication);
    CPPUNIT_TEST(aWrongPasswordKeepsMailsQueuedAndIsNotLogged);
    CPPUNIT_TEST(aRefusedRecipientFailsAloneAndAtOnce);
    CPPUNIT_TEST(aMailIsMarkedFailedAfterItsLastAttempt);
    CPPUNIT_TEST(badMailsAreRefusedAtEnqueue);
    CPPUNIT_TEST_SUITE_END();

    relais::test::TempDir dir_;
    std::unique_ptr<relais::test::MigratedDatabase> migrated_;
    relais::db::Database* db_ = nullptr;

    std::unique_ptr<OutboxMailer> mailer(SmtpOptions smtp, OutboxOptions outbox = {}) {
        return std::make_unique<OutboxMailer>(*db_, Poco::Logger::get("test.mail"), smtp, outbox);
    }
    MailMessage message(const std::string& to, const std::string& subject) {
        MailMessage m;
        m.to = to;
        m.subject = subject;
        m.text = "Bonjour,\nvoici le lien : https://demo.localhost/d/abc\n";
        m.html = "<p>Bonjour,<br>voici le <a href=\"https://demo.localhost/d/abc\">lien</a></p>";
        return m;
    }
    // The state, with the last error when there is one, so that a failure says why.
    std::string stateOf(std::int64_t id) {
        auto r = db_->query("SELECT state, last_error FROM mail_outbox WHERE id = ?", {id});
        const std::string state = r[0].getString("state");
        return state == "sent" || r[0].isNull("last_error")
                   ? state
                   : state + " (" + r[0].getString("last_error") + ")";
    }
    std::string bareStateOf(std::int64_t id) {
        return db_->query("SELECT state FROM mail_outbox WHERE id = ?", {id})[0].getString("state");
    }

public:
    void setUp() override {
        migrated_ = std::make_unique<relais::test::MigratedDatabase>();
        db_ = &**migrated_;
    }
    void tearDown() override {
        db_ = nullptr;
        migrated_.reset();
    }

    void aMailReachesTheSmtpServer() {
        SmtpOptions smtp;
        smtp.host = relais::test::requiredEnv("TEST_SMTP_HOST");
        smtp.port = std::stoi(relais::test::requiredEnv("TEST_SMTP_PORT"));
        smtp.from = "Relais <no-reply@relais.example.fr>";
        auto m = mailer(smtp);
        const std::string tag = relais::toHex(relais::randomBytes(6));
        auto msg = message("alice@example.fr", "Fichiers reçus " + tag);
        msg.replyTo = "bob@example.fr";
        std::int64_t id = m->enqueue(msg);
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), bareStateOf(id));
        CPPUNIT_ASSERT_EQUAL(1, m->sendDue());
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), stateOf(id));
        const std::string messageId =
            db_->query("SELECT message_id FROM mail_outbox WHERE id = ?", {id})[0].getString(
                "message_id");
        auto found = messagesWith(relais::test::requiredEnv("TEST_MAILDIR"), messageId);
        CPPUNIT_ASSERT_EQUAL(std::size_t{1}, found.size());
        const std::string& raw = found[0];
        CPPUNIT_ASSERT(raw.find("X-Envelope-To: alice@example.fr") != std::string::npos);
        CPPUNIT_ASSERT(raw.find("X-Envelope-From: no-reply@relais.example.fr") !=
                       std::string::npos);
        CPPUNIT_ASSERT(raw.find("=?UTF-8?") != std::string::npos);  // the é is encoded
        CPPUNIT_ASSERT(raw.find(tag) != std::string::npos);
        CPPUNIT_ASSERT(raw.find("multipart/alternative") != std::string::npos);
        CPPUNIT_ASSERT(raw.find("text/html") != std::string::npos);
        CPPUNIT_ASSERT(raw.find("Reply-To: bob@example.fr") != std::string::npos);
    }

    void aMailSurvivesAnSmtpOutageAndARestart() {
        const int port = relais::test::freePort();  // nothing listens there yet
        relais::test::TempDir data;
        auto settings = relais::test::baseSettings(data, migrated_->test());
        settings["smtp.port"] = std::to_string(port);
        settings["mail.retry_base_ms"] = "100";
        settings["mail.retry_max_ms"] = "200";
        settings["mail.poll_ms"] = "50";
        std::int64_t id = 0;
        {
            relais::test::TestServer server(settings);
            id = server.runtime().mail().enqueue(message("carol@example.fr", "Survit à la panne"));
            relais::test::waitUntil(
                [&] {
                    auto r = db_->query("SELECT attempts, last_error FROM mail_outbox WHERE id = ?",
                                        {id});
                    return r[0].getInt("attempts") >= 2 &&
                           r[0].getString("last_error").find("cannot open an SMTP session") !=
                               std::string::npos;
                },
                10000, "two failed attempts while the SMTP server is down");
            CPPUNIT_ASSERT_EQUAL(std::string("pending"), bareStateOf(id));
        }  // relaisd stops with the mail still queued
        relais::test::SmtpServer smtp(port, data.file("maildir"));
        relais::test::TestServer restarted(settings);
        relais::test::waitUntil([&] { return stateOf(id) == "sent"; }, 15000,
                                "delivery after the restart");
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             messagesWith(data.file("maildir"), "carol@example.fr").size());
    }

    void startTlsAndAuthentication() {
        auto cert = relais::test::makeCertificate(dir_);
        const int port = relais::test::freePort();
        relais::test::SmtpServer server(
            port, dir_.file("tls-maildir"),
            {"--tls-cert", cert.certFile, "--tls-key", cert.keyFile, "--auth", "relais:s3cret"});
        SmtpOptions smtp;
        smtp.port = port;
        smtp.starttls = true;
        smtp.caFile = cert.certFile;  // verified against its own CA: name and chain
        smtp.user = "relais";
        smtp.password = "s3cret";
        auto m = mailer(smtp);
        std::int64_t id = m->enqueue(message("dave@example.fr", "Chiffré"));
        m->sendDue();
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), stateOf(id));
        CPPUNIT_ASSERT_EQUAL(std::size_t{1},
                             messagesWith(dir_.file("tls-maildir"), "dave@example.fr").size());

        // Without STARTTLS this server refuses to take mail: it stays queued.
        smtp.starttls = false;
        auto plain = mailer(smtp);
        std::int64_t id2 = plain->enqueue(message("erin@example.fr", "En clair"));
        CPPUNIT_ASSERT_EQUAL(0, plain->sendDue());
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), bareStateOf(id2));
    }

    void aWrongPasswordKeepsMailsQueuedAndIsNotLogged() {
        const int port = relais::test::freePort();
        relais::test::SmtpServer server(port, dir_.file("auth-maildir"),
                                        {"--auth", "relais:right-password"});
        SmtpOptions smtp;
        smtp.port = port;
        smtp.user = "relais";
        smtp.password = "wrong-password-9f3b";
        auto m = mailer(smtp);
        std::int64_t id = m->enqueue(message("frank@example.fr", "Refusé"));
        CPPUNIT_ASSERT_EQUAL(0, m->sendDue());
        auto row =
            db_->query("SELECT state, attempts, last_error FROM mail_outbox WHERE id = ?", {id});
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), row[0].getString("state"));
        CPPUNIT_ASSERT_EQUAL(std::int64_t{1}, row[0].getInt("attempts"));
        CPPUNIT_ASSERT(row[0].getString("last_error").find("wrong-password") == std::string::npos);
    }

    void aRefusedRecipientFailsAloneAndAtOnce() {
        const int port = relais::test::freePort();
        relais::test::SmtpServer server(port, dir_.file("reject-maildir"),
                                        {"--reject", "gone@example.fr"});
        SmtpOptions smtp;
        smtp.port = port;
        auto m = mailer(smtp);
        std::int64_t bad = m->enqueue(message("gone@example.fr", "Perdu"));
        std::int64_t good = m->enqueue(message("grace@example.fr", "Reçu"));
        CPPUNIT_ASSERT_EQUAL(1, m->sendDue());
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), bareStateOf(bad));
        CPPUNIT_ASSERT_EQUAL(std::string("sent"), stateOf(good));
    }

    void aMailIsMarkedFailedAfterItsLastAttempt() {
        SmtpOptions smtp;
        smtp.port = relais::test::freePort();
        OutboxOptions outbox;
        outbox.maxAttempts = 2;
        outbox.retryBaseMs = 10;
        auto m = mailer(smtp, outbox);
        std::int64_t id = m->enqueue(message("heidi@example.fr", "Jamais"));
        m->sendDue();
        CPPUNIT_ASSERT_EQUAL(std::string("pending"), bareStateOf(id));
        db_->execute("UPDATE mail_outbox SET next_attempt_at = 0 WHERE id = ?", {id});
        m->sendDue();
        CPPUNIT_ASSERT_EQUAL(std::string("failed"), bareStateOf(id));
    }

    void badMailsAreRefusedAtEnqueue() {
        auto m = mailer(SmtpOptions{});
        CPPUNIT_ASSERT_THROW(m->enqueue(message("not an address", "x")), std::invalid_argument);
        CPPUNIT_ASSERT_THROW(m->enqueue(message("a@example.fr\r\nBcc: all@example.fr", "x")),
                             std::invalid_argument);
        CPPUNIT_ASSERT_THROW(m->enqueue(message("a@example.fr", "Sujet\r\nBcc: all@example.fr")),
                             std::invalid_argument);
        CPPUNIT_ASSERT(db_->query("SELECT id FROM mail_outbox").empty());
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(MailTest);
