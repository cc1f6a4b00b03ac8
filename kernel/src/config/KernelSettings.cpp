#include "config/KernelSettings.h"

#include "relais/Config.h"

namespace relais {

void declareKernelSettings(ConfigSchema& s) {
    constexpr std::int64_t kDay = 24LL * 3600 * 1000;
    constexpr std::int64_t kMaxBytes = std::int64_t{1} << 50;

    s.addString("http.address", "127.0.0.1", "address to listen on");
    s.addInt("http.port", 8080, 0, 65535, "port to listen on; 0 picks a free one");
    s.addInt("http.threads", 32, 2, 1024, "connection threads");
    s.addInt("http.queue", 1024, 1, 100000, "accepted connections waiting for a thread");
    s.addInt("http.timeout_ms", 60000, 100, kDay, "socket inactivity timeout");
    s.addInt("http.header_timeout_ms", 10000, 100, 600000, "time allowed to send a request head");
    s.addBool("http.keepalive", true, "persistent connections");
    s.addInt("http.keepalive_timeout_ms", 15000, 100, 600000,
             "idle time of a kept-alive connection");
    s.addInt("http.keepalive_max_requests", 1000, 0, 1000000,
             "requests per connection, 0 unlimited");
    s.addInt("http.max_body_bytes", 1048576, 0, kMaxBytes, "default body limit of a route");
    s.addInt("http.shutdown_grace_ms", 10000, 0, 600000,
             "time given to requests in flight at stop");
    s.addString("http.public_url", "", "scheme, host and port of links the server builds");
    s.addString("platform.domain", "localhost", "the platform host; tenants are <slug>.<domain>");
    s.addList("http.trusted_proxies", "",
              "addresses or CIDR ranges of reverse proxies whose X-Forwarded-Host/-For are believed");

    s.addString("data.dir", "var", "folder of the SQLite file, the blobs and the master key");
    s.addString("plugins.dir", "", "folder of plugin libraries; empty: ../plugins from relaisd");
    s.addString("web.dir", "", "folder of the bundled web front end; empty: ../web from relaisd");
    s.addList("migrations.dir", "migrations", "migration roots, comma-separated");

    s.addEnum("db.driver", "sqlite", {"sqlite", "mysql"}, "database driver");
    s.addString("db.sqlite_path", "", "SQLite file; empty: <data.dir>/relais.sqlite3");
    s.addString("db.host", "127.0.0.1", "MariaDB/MySQL host");
    s.addInt("db.port", 3306, 1, 65535, "MariaDB/MySQL port");
    s.addString("db.name", "relais", "MariaDB/MySQL database");
    s.addString("db.user", "relais", "MariaDB/MySQL user");
    s.addString("db.password", "", "MariaDB/MySQL password", true);
    s.addInt("db.pool_size", 16, 1, 1024, "connections in the pool");
    s.addInt("db.acquire_timeout_ms", 5000, 1, 600000, "wait for a free pooled connection");
    s.addInt("db.connect_timeout_ms", 3000, 1000, 600000, "MariaDB/MySQL connect timeout");
    s.addInt("db.read_timeout_ms", 30000, 1000, kDay, "MariaDB/MySQL read and write timeout");
    s.addInt("db.max_retries", 3, 0, 100, "retries of a transaction after a transient failure");
    s.addInt("db.busy_timeout_ms", 5000, 0, 600000, "SQLite wait for a lock");
    s.addInt("db.health_interval_ms", 2000, 100, 600000, "database health check interval");

    s.addBool("tls.enabled", false, "serve HTTPS (TLS 1.2 and 1.3) instead of HTTP");
    s.addString("tls.cert", "", "PEM certificate chain");
    s.addString("tls.key", "", "PEM private key");

    s.addEnum("log.level", "information",
              {"fatal", "critical", "error", "warning", "notice", "information", "debug", "trace"},
              "log level");
    s.addString("log.file", "", "log file; empty: standard error");
    s.addBool("log.access", true, "one access-log line per request");

    s.addString("smtp.host", "127.0.0.1", "SMTP server host");
    s.addInt("smtp.port", 25, 1, 65535, "SMTP server port");
    s.addString("smtp.from", "Relais <no-reply@localhost>", "sender of every mail");
    s.addBool("smtp.starttls", false, "require STARTTLS before sending");
    s.addBool("smtp.tls_verify", true, "verify the SMTP server's certificate");
    s.addString("smtp.ca_file", "", "extra CA certificate (PEM) for the SMTP server");
    s.addString("smtp.user", "", "SMTP login; empty: no authentication");
    s.addString("smtp.password", "", "SMTP password", true);
    s.addInt("smtp.timeout_ms", 30000, 100, 600000, "SMTP connect and read timeout");

    s.addInt("mail.poll_ms", 5000, 50, 3600000, "outbox scan interval");
    s.addInt("mail.batch_size", 20, 1, 1000, "mails sent per SMTP connection");
    s.addInt("mail.retry_base_ms", 60000, 10, kDay, "first retry delay, doubled each time");
    s.addInt("mail.retry_max_ms", 3600000, 10, kDay, "longest retry delay");
    s.addInt("mail.max_attempts", 40, 1, 1000, "attempts before a mail is marked failed");

    s.addInt("jobs.poll_ms", 1000, 10, 600000, "scheduler tick");
    s.addInt("jobs.lease_ms", 60000, 100, kDay, "job lease; a dead node's jobs resume after it");
    s.addInt("jobs.threads", 2, 1, 64, "job worker threads");
    s.addString("jobs.node_id", "",
                "this node's name in leases; empty: host, pid and a random part");

    s.addString("crypto.master_key_file", "",
                "master key file (mode 0600); empty: <data.dir>/master.key");

    s.addString("storage.dir", "", "blob folder; empty: <data.dir>/blobs");
    s.addInt("storage.segment_bytes", 1048576, 4096, 16777216, "plaintext bytes per encrypted segment");
    s.addInt("storage.gc_interval_ms", 3600000, 1000, kDay, "how often orphan blobs are collected");
    s.addInt("storage.gc_grace_ms", 21600000, 0, 30 * kDay, "age before an orphan blob is collected");
    s.addInt("storage.reservation_ttl_ms", 900000, 1000, kDay, "life of a quota reservation not renewed");

    s.addInt("auth.session_idle_ms", 3600000, 60000, 30 * kDay, "a session unused this long expires");
    s.addInt("auth.session_max_ms", 43200000, 60000, 90 * kDay, "a session expires this long after login");
    s.addInt("auth.lockout_threshold", 5, 1, 1000, "failed logins of one account before backoff");
    s.addInt("auth.lockout_ip_threshold", 30, 1, 100000, "failed attempts from one address before backoff");
    s.addInt("auth.lockout_max_ms", 900000, 1000, kDay, "longest backoff after repeated failures");
    s.addInt("auth.invitation_ttl_ms", 7 * kDay, 60000, 90 * kDay, "validity of an invitation link");
    s.addInt("auth.reset_ttl_ms", 3600000, 60000, kDay, "validity of a password-reset link");

    s.addString("tenancy.plans_file", "tenants/plans.json", "the plan catalogue");
    s.addString("tenancy.trial_reseller", "", "reseller (name) of self-service trials; empty: sign-up closed");
    s.addString("tenancy.trial_plan", "essai", "plan of self-service trials");
    s.addInt("tenancy.trial_days", 30, 1, 365, "length of a trial");
    s.addInt("tenancy.export_window_ms", 30 * kDay, 0, 3650 * kDay,
             "how long a terminated tenant can download its export before it is purged");
    s.addInt("tenancy.purge_interval_ms", 3600000, 100, kDay, "how often trials and export windows are checked");
    s.addInt("tenancy.cache_ttl_ms", 1000, 0, 60000,
             "how stale another node's change to tenants, users or sessions may be seen here");
    s.addString("tenancy.operator_email", "", "where sign-ups and quote requests are mailed; empty: every operator");
    s.addInt("tenancy.import_max_bytes", 1048576, 1024, 67108864, "largest CSV user import");
}

}  // namespace relais
