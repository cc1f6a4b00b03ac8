#pragma once

#include <cstdint>

namespace relais {
class Config;
class ConfigSchema;
}  // namespace relais

namespace relais::plugins::wesend {

/// The module's settings, read once at registration (wesend.* in config/relais.properties).
struct WesendSettings {
    std::int64_t maxUploadBytes = 0;     ///< Tus-Max-Size
    std::int64_t uploadTtlMs = 0;        ///< an unfinished or unattached upload expires after
    std::int64_t uploadLockMs = 0;       ///< a PATCH's lock lapses after this silence
    std::int64_t commitBytes = 0;        ///< a PATCH makes its bytes durable every so many
    std::int64_t unlockTtlMs = 0;        ///< lifetime of the token a link's password unlocks
    int passwordMaxAttempts = 0;         ///< wrong link passwords before a lockout
    std::int64_t passwordLockMs = 0;
    std::int64_t resumeWindowMs = 0;     ///< a counted download may be resumed for so long
    std::int64_t retentionGraceMs = 0;   ///< expired files are crypto-shredded after this
    std::int64_t cleanupIntervalMs = 0;  ///< period of the expiry and retention jobs
    std::int64_t streamPollMs = 0;       ///< event stream: how often it reads the table
    std::int64_t streamKeepAliveMs = 0;
    std::int64_t streamMaxMs = 0;        ///< an event stream is closed after this (clients resume)
    int maxRecipients = 0;
    int maxFilesPerTransfer = 0;

    static void declare(ConfigSchema& schema);
    static WesendSettings read(const Config& config);
};

}  // namespace relais::plugins::wesend
