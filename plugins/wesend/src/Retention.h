#pragma once

#include <cstdint>

#include "Services.h"

namespace relais::plugins::wesend {

/// The periodic job "wesend.cleanup": deletes expired uploads, marks transfers and requests
/// past their expiry as expired (a tracking event each), and crypto-shreds the files of
/// expired, revoked and closed ones once wesend.retention_grace_days have passed. The rows
/// and the journal keep the record; only the files (and their keys) go.
class Retention {
public:
    explicit Retention(Services& s) : s_(s) {}
    /// One pass; returns the number of objects it changed.
    int run(std::int64_t nowMs);

private:
    Services& s_;
};

}  // namespace relais::plugins::wesend
