#pragma once

#include <string>

#include "relais/Mail.h"

namespace relais {

/// The mails of tenancy and identity. Every one is in French, then in English.
namespace mails {
MailMessage invitation(const std::string& to, const std::string& name, const std::string& organisation,
                       const std::string& link);
MailMessage passwordReset(const std::string& to, const std::string& name, const std::string& link);
MailMessage signupConfirmation(const std::string& to, const std::string& name, const std::string& company,
                               const std::string& link);
/// To a tenant's admins when its trial ends and the space is suspended.
MailMessage trialEnded(const std::string& to, const std::string& organisation, const std::string& endDate);
/// To a tenant's admins when the tenant is terminated: where to take the export, and until when.
MailMessage terminated(const std::string& to, const std::string& organisation, const std::string& exportLink,
                       const std::string& untilDate);
MailMessage operatorNotice(const std::string& to, const std::string& subject, const std::string& body);
}  // namespace mails

}  // namespace relais
