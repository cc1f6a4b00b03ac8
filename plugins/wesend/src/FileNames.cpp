#include "FileNames.h"

#include <Poco/String.h>

#include <cctype>

namespace relais::plugins::wesend {

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
