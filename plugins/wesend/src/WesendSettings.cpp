#include "WesendSettings.h"

#include "relais/Config.h"

namespace relais::plugins::wesend {

void WesendSettings::declare(ConfigSchema& s) {
    s.addInt("wesend.max_upload_bytes", 107374182400, 0, INT64_MAX,
             "largest single upload (Tus-Max-Size), in bytes");
    s.addInt("wesend.upload_expiry_hours", 24, 1, 24 * 365,
             "an upload not finished, or finished but not attached, is deleted after this");
    s.addInt("wesend.upload_lock_ms", 15000, 500, 3600000,
             "a PATCH holds its upload's lock; the lock lapses after this long without progress");
    s.addInt("wesend.commit_bytes", 67108864, 1048576, INT64_MAX,
             "a PATCH makes what it received durable every so many bytes");
    s.addInt("wesend.unlock_minutes", 60, 1, 24 * 60,
             "lifetime of the access token that a link's password unlocks");
    s.addInt("wesend.password_max_attempts", 5, 1, 100,
             "wrong passwords on one link before it locks");
    s.addInt("wesend.password_lock_minutes", 15, 1, 24 * 60, "how long a link stays locked");
    s.addInt("wesend.resume_window_hours", 24, 1, 24 * 30,
             "a counted download may be resumed with Range by the same link for this long");
    s.addInt("wesend.retention_grace_days", 7, 0, 3650,
             "files of expired or revoked transfers and requests are crypto-shredded after this");
    s.addInt("wesend.cleanup_interval_ms", 60000, 100, 86400000,
             "period of the jobs that expire uploads, links and files");
    s.addInt("wesend.stream_poll_ms", 1000, 50, 60000,
             "the event stream reads new events this often (events of other nodes)");
    s.addInt("wesend.stream_keepalive_ms", 15000, 100, 300000,
             "the event stream sends a comment line this often when idle");
    s.addInt("wesend.stream_max_ms", 3600000, 1000, 86400000,
             "an event stream is closed after this long; clients reconnect with Last-Event-ID");
    s.addInt("wesend.max_recipients", 100, 1, 10000, "recipients of one transfer or request");
    s.addInt("wesend.max_files_per_transfer", 1000, 1, 100000, "files in one transfer or deposit");
}

WesendSettings WesendSettings::read(const Config& c) {
    WesendSettings s;
    s.maxUploadBytes = c.getInt("wesend.max_upload_bytes");
    s.uploadTtlMs = c.getInt("wesend.upload_expiry_hours") * 3600000;
    s.uploadLockMs = c.getInt("wesend.upload_lock_ms");
    s.commitBytes = c.getInt("wesend.commit_bytes");
    s.unlockTtlMs = c.getInt("wesend.unlock_minutes") * 60000;
    s.passwordMaxAttempts = static_cast<int>(c.getInt("wesend.password_max_attempts"));
    s.passwordLockMs = c.getInt("wesend.password_lock_minutes") * 60000;
    s.resumeWindowMs = c.getInt("wesend.resume_window_hours") * 3600000;
    s.retentionGraceMs = c.getInt("wesend.retention_grace_days") * 86400000;
    s.cleanupIntervalMs = c.getInt("wesend.cleanup_interval_ms");
    s.streamPollMs = c.getInt("wesend.stream_poll_ms");
    s.streamKeepAliveMs = c.getInt("wesend.stream_keepalive_ms");
    s.streamMaxMs = c.getInt("wesend.stream_max_ms");
    s.maxRecipients = static_cast<int>(c.getInt("wesend.max_recipients"));
    s.maxFilesPerTransfer = static_cast<int>(c.getInt("wesend.max_files_per_transfer"));
    return s;
}

}  // namespace relais::plugins::wesend
