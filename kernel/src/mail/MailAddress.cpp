#include <cctype>
#include <cstring>

#include "relais/Mail.h"

namespace relais {

bool isValidMailAddress(const std::string& a) {
    if (a.empty() || a.size() > 254)
        return false;
    const auto at = a.rfind('@');
    if (at == std::string::npos || at == 0 || at > 64 || at == a.size() - 1)
        return false;
    const std::string local = a.substr(0, at), domain = a.substr(at + 1);
    static const char* kLocalSpecials = "!#$%&'*+-/=?^_`{|}~.";
    for (char c : local) {
        unsigned char u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || std::strchr(kLocalSpecials, c)))
            return false;
    }
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string::npos)
        return false;
    if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != std::string::npos ||
        domain.find('.') == std::string::npos)
        return false;
    for (char c : domain) {
        unsigned char u = static_cast<unsigned char>(c);
        if (!(std::isalnum(u) || c == '-' || c == '.'))
            return false;
    }
    return true;
}

}  // namespace relais
