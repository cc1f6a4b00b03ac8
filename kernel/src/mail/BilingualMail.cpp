#include "relais/Mail.h"

namespace relais {

MailMessage bilingualMail(const std::string& to, const std::string& subject, const std::string& french,
                          const std::string& english) {
    MailMessage m;
    m.to = to;
    m.subject = subject;
    m.text = french + "\n\n-- English --\n\n" + english + "\n";
    return m;
}

}  // namespace relais
