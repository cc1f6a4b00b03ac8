#include "relais/Time.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Timestamp.h>

#include <chrono>
#include <stdexcept>

namespace relais {

std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

static Poco::Timestamp toTimestamp(std::int64_t epochMs) {
    return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(epochMs) * 1000);
}

std::string formatRfc3339(std::int64_t epochMs) {
    return Poco::DateTimeFormatter::format(toTimestamp(epochMs), "%Y-%m-%dT%H:%M:%S.%iZ");
}

namespace {

// The UTC instant of the last Sunday of `month` of `year` at 01:00, when EU clocks change.
std::int64_t euChangeMs(int year, int month) {
    Poco::DateTime last(year, month, Poco::DateTime::daysOfMonth(year, month), 1);
    last -= Poco::Timespan(last.dayOfWeek(), 0, 0, 0, 0);  // back to Sunday (dayOfWeek 0)
    return last.timestamp().epochMicroseconds() / 1000;
}

std::int64_t parisMs(std::int64_t epochMs) {
    const int year = Poco::DateTime(toTimestamp(epochMs)).year();
    const bool summer = epochMs >= euChangeMs(year, 3) && epochMs < euChangeMs(year, 10);
    return epochMs + (summer ? 2 : 1) * 3600LL * 1000;
}

}  // namespace

std::string formatParisDate(std::int64_t epochMs) {
    return Poco::DateTimeFormatter::format(toTimestamp(parisMs(epochMs)), "%d/%m/%Y");
}

std::string formatParisDateTime(std::int64_t epochMs) {
    return Poco::DateTimeFormatter::format(toTimestamp(parisMs(epochMs)), "%d/%m/%Y à %H:%M");
}

std::int64_t parseRfc3339(const std::string& text) {
    int tzd = 0;
    Poco::DateTime dt;
    // Require the full date-time form: "2026-11-26T12:00:00Z" with an optional fraction.
    if (text.size() < 20 || text[4] != '-' || text[7] != '-' ||
        (text[10] != 'T' && text[10] != 't'))
        throw std::invalid_argument("not an RFC 3339 date-time");
    try {
        if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, dt,
                                            tzd))
            throw std::invalid_argument("not an RFC 3339 date-time");
    } catch (const Poco::Exception&) {
        throw std::invalid_argument("not an RFC 3339 date-time");
    }
    dt.makeUTC(tzd);
    return dt.timestamp().epochMicroseconds() / 1000;
}

std::string formatHttpDate(std::int64_t epochMs) {
    return Poco::DateTimeFormatter::format(toTimestamp(epochMs), Poco::DateTimeFormat::HTTP_FORMAT);
}

}  // namespace relais
