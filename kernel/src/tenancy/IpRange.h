#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace relais {

/// An IPv4 or IPv6 network in CIDR form ("192.0.2.0/24", "2001:db8::/32", or one address).
class IpRange {
public:
    /// Parses a range; nothing when malformed (bad address, prefix out of range, host bits set).
    static std::optional<IpRange> parse(const std::string& text);
    /// Whether `address` (a literal) is inside. IPv4-mapped IPv6 addresses count as IPv4.
    bool contains(const std::string& address) const;
    /// The canonical text.
    std::string text() const { return text_; }

private:
    bool v6_ = false;
    std::array<unsigned char, 16> bytes_{};
    int prefix_ = 0;
    std::string text_;
};

/// The ranges of a list; entries that do not parse are left out (lists are checked when they
/// are written, so this only guards against what is already stored).
std::vector<IpRange> parseRanges(const std::vector<std::string>& texts);

/// Whether `address` is in any of `ranges`; true when `ranges` is empty (no restriction).
bool addressAllowed(const std::vector<IpRange>& ranges, const std::string& address);

}  // namespace relais
