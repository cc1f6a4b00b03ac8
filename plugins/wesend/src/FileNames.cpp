#include "FileNames.h"

#include <Poco/String.h>

#include <cctype>

namespace relais::plugins::wesend {

bool isValidUtf8(const std::string& s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra;
        std::uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;  // continuation byte, overlong lead (C0, C1) or past F4
        }
        if (end - p <= extra) return false;
        for (int i = 1; i <= extra; ++i) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += extra + 1;
    }
    return true;
}

std::string sanitiseFileName(const std::string& raw, std::string& why) {
    why.clear();
    if (raw.size() > 255) {
        why = "a file name has at most 255 bytes";
        return {};
    }
    if (!isValidUtf8(raw)) {
        why = "a file name must be valid UTF-8";
        return {};
    }
    for (unsigned char c : raw)
        if (c < 0x20 || c == 0x7F) {
            why = "a file name may not contain control characters";
            return {};
        }
    std::string name = raw;
    const auto slash = name.find_last_of("/\\");
    if (slash != std::string::npos) name = name.substr(slash + 1);
    for (char& c : name)
        if (std::string_view("<>:\"|?*").find(c) != std::string_view::npos) c = '_';
    const auto first = name.find_first_not_of(" .");
    if (first == std::string::npos) return "fichier";
    const auto last = name.find_last_not_of(" .");
    return name.substr(first, last - first + 1);
}

std::string sanitiseMediaType(const std::string& raw) {
    std::string t = Poco::toLower(Poco::trim(raw.substr(0, raw.find(';'))));
    if (t.empty() || t.size() > 127) return {};
    const auto slash = t.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == t.size() ||
        t.find('/', slash + 1) != std::string::npos)
        return {};
    for (char c : t)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' ||
              std::string_view("!#$&-^_.+").find(c) != std::string_view::npos))
            return {};
    return t;
}

std::string uniqueEntryName(const std::string& name, std::set<std::string>& used) {
    std::string stem = name;
    std::string ext;
    const auto dot = name.rfind('.');
    if (dot != std::string::npos && dot > 0) {
        stem = name.substr(0, dot);
        ext = name.substr(dot);
    }
    std::string candidate = name;
    for (int n = 2; used.count(Poco::toLower(candidate)); ++n)
        candidate = stem + " (" + std::to_string(n) + ")" + ext;
    used.insert(Poco::toLower(candidate));
    return candidate;
}

std::string contentDisposition(const std::string& name) {
    std::string ascii;
    std::string encoded;
    static const char* hex = "0123456789ABCDEF";
    for (unsigned char c : name) {
        const bool plain = std::isalnum(c) || std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) !=
                                                  std::string_view::npos;
        if (plain) {
            encoded += static_cast<char>(c);
        } else {
            encoded += '%';
            encoded += hex[c >> 4];
            encoded += hex[c & 15];
        }
        if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%')
            ascii += static_cast<char>(c);
        else if (c < 0x80 || (c & 0xC0) == 0xC0)
            ascii += '_';  // one '_' per non-ASCII character: only its lead byte counts
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace relais::plugins::wesend
