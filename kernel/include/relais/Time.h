#pragma once

#include <cstdint>
#include <string>

namespace relais {

/// Milliseconds since the Unix epoch, UTC: how every timestamp is stored.
std::int64_t nowMs();

/// "2026-11-26T12:07:45.123Z": how every time is written in the API.
std::string formatRfc3339(std::int64_t epochMs);

/// Parses an RFC 3339 time with a Z or numeric offset; throws std::invalid_argument.
std::int64_t parseRfc3339(const std::string& text);

/// The date in Paris, as French mails and documents write it: "26/11/2026". Paris time follows
/// the EU rule (CET, CEST from the last Sunday of March to the last Sunday of October, 01:00 UTC).
std::string formatParisDate(std::int64_t epochMs);
/// "26/11/2026 à 13:07", in Paris time.
std::string formatParisDateTime(std::int64_t epochMs);
/// "Thu, 26 Nov 2026 12:07:45 GMT" (RFC 9110 IMF-fixdate), for HTTP headers.
std::string formatHttpDate(std::int64_t epochMs);

}  // namespace relais
