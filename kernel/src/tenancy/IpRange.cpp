#include "tenancy/IpRange.h"

#include <arpa/inet.h>

#include <cstring>

namespace relais {

namespace {

// 16 bytes for either family; IPv4 (and IPv4-mapped IPv6) as the last 4, flagged v4.
bool toBytes(const std::string& address, std::array<unsigned char, 16>& out, bool& v6) {
    in_addr a4{};
    in6_addr a6{};
    out.fill(0);
    if (inet_pton(AF_INET, address.c_str(), &a4) == 1) {
        std::memcpy(out.data() + 12, &a4, 4);
        v6 = false;
        return true;
    }
    if (inet_pton(AF_INET6, address.c_str(), &a6) == 1) {
        std::memcpy(out.data(), &a6, 16);
        static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        v6 = std::memcmp(out.data(), kMapped, 12) != 0;
        return true;
    }
    return false;
}

}  // namespace

std::optional<IpRange> IpRange::parse(const std::string& text) {
    const auto slash = text.find('/');
    const std::string address = text.substr(0, slash);
    IpRange r;
    if (!toBytes(address, r.bytes_, r.v6_)) return std::nullopt;
    // An IPv4-mapped IPv6 network (::ffff:192.0.2.0/120) is the IPv4 network it maps: its
    // prefix counts the 96 bits of the mapping.
    const bool writtenAsV6 = address.find(':') != std::string::npos;
    const int max = writtenAsV6 ? 128 : 32;
    if (slash == std::string::npos) {
        r.prefix_ = max;
    } else {
        const std::string p = text.substr(slash + 1);
        if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        r.prefix_ = std::stoi(p);
        if (r.prefix_ > max) return std::nullopt;
    }
    if (writtenAsV6 && !r.v6_) {
        if (r.prefix_ < 96) return std::nullopt;
        r.prefix_ -= 96;
    }
    // No host bits: "192.0.2.7/24" is a mistake worth telling, not a network.
    const int offset = r.v6_ ? 0 : 96;
    for (int bit = r.prefix_ + offset; bit < 128; ++bit)
        if (r.bytes_[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
    // The canonical spelling (RFC 5952 for IPv6), so that one network is stored one way.
    char buffer[INET6_ADDRSTRLEN] = {};
    if (r.v6_) inet_ntop(AF_INET6, r.bytes_.data(), buffer, sizeof buffer);
    else inet_ntop(AF_INET, r.bytes_.data() + 12, buffer, sizeof buffer);
    r.text_ = std::string(buffer) + "/" + std::to_string(r.prefix_);
    return r;
}

bool IpRange::contains(const std::string& address) const {
    std::array<unsigned char, 16> b{};
    bool v6 = false;
    if (!toBytes(address, b, v6) || v6 != v6_) return false;
    const int offset = v6_ ? 0 : 96;
    for (int bit = offset; bit < offset + prefix_; ++bit) {
        const unsigned char mask = 0x80 >> (bit % 8);
        if ((b[bit / 8] & mask) != (bytes_[bit / 8] & mask)) return false;
    }
    return true;
}

std::vector<IpRange> parseRanges(const std::vector<std::string>& texts) {
    std::vector<IpRange> out;
    for (const auto& t : texts)
        if (auto r = IpRange::parse(t)) out.push_back(*r);
    return out;
}

bool addressAllowed(const std::vector<IpRange>& ranges, const std::string& address) {
    if (ranges.empty()) return true;
    for (const auto& r : ranges)
        if (r.contains(address)) return true;
    return false;
}

}  // namespace relais
