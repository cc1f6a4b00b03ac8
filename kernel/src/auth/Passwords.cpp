#include "auth/Passwords.h"

#include <argon2.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <mutex>
#include <stdexcept>

#include "relais/Random.h"

namespace relais {

namespace {

constexpr std::uint32_t kMemoryKib = 19456;
constexpr std::uint32_t kPasses = 2;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kSaltBytes = 16;

const std::string& dummyHash() {
    static const std::string h = PasswordHasher::hash("relais-not-an-account-" + toHex(randomBytes(8)));
    return h;
}

}  // namespace

std::string PasswordHasher::hash(const std::string& password) {
    const std::string salt = randomBytes(kSaltBytes);
    const std::size_t length = argon2_encodedlen(kPasses, kMemoryKib, kLanes, kSaltBytes, kHashBytes, Argon2_id);
    std::string encoded(length, '\0');
    const int rc = argon2id_hash_encoded(kPasses, kMemoryKib, kLanes, password.data(), password.size(), salt.data(),
                                         salt.size(), kHashBytes, encoded.data(), encoded.size());
    if (rc != ARGON2_OK) throw std::runtime_error(std::string("argon2id failed: ") + argon2_error_message(rc));
    encoded.resize(std::char_traits<char>::length(encoded.c_str()));
    return encoded;
}

bool PasswordHasher::verify(const std::string& password, const std::string& encoded) {
    if (encoded.rfind("$argon2id$", 0) != 0) return false;
    return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

void PasswordHasher::verifyNothing(const std::string& password) { verify(password, dummyHash()); }

std::string passwordWeakness(const std::string& password, const std::string& email) {
    if (password.size() > 256) return "Le mot de passe dépasse 256 octets.";
    std::size_t characters = 0;
    bool lower = false, upper = false, digit = false, other = false;
    for (unsigned char c : password) {
        if ((c & 0xC0) != 0x80) ++characters;  // count UTF-8 code points
        if (std::islower(c)) lower = true;
        else if (std::isupper(c)) upper = true;
        else if (std::isdigit(c)) digit = true;
        else other = true;
    }
    if (characters < 8) return "Le mot de passe doit compter au moins 8 caractères.";
    const int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 37 : 0);
    const double bits = static_cast<double>(characters) * std::log2(static_cast<double>(pool));
    if (bits < 50.0)
        return "Le mot de passe est trop faible (" + std::to_string(static_cast<int>(bits)) +
               " bits d'entropie, 50 au moins) : allongez-le ou mêlez minuscules, majuscules, chiffres et "
               "caractères spéciaux.";
    std::string lowered = password;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::string name = email.substr(0, email.find('@'));
    if (name.size() >= 4) {
        std::string lname = name;
        std::transform(lname.begin(), lname.end(), lname.begin(), [](unsigned char c) { return std::tolower(c); });
        if (lowered.find(lname) != std::string::npos) return "Le mot de passe ne doit pas contenir votre identifiant.";
    }
    static const char* kCommon[] = {"password", "motdepasse", "azertyuiop", "qwertyuiop", "123456789", "1234567890",
                                    "azerty123", "soleil", "bonjour", "iloveyou", "admin", "relais", "changeme",
                                    "welcome", "marseille", "doudou", "loulou", "chouchou"};
    for (const char* common : kCommon)
        if (lowered.find(common) != std::string::npos) return "Le mot de passe contient un mot trop courant.";
    return {};
}

}  // namespace relais
