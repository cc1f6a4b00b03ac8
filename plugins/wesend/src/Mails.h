#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "relais/Mail.h"

namespace relais::plugins::wesend::mails {

// The module's mails, in French then English, dates in Paris time as French readers write
// them ("26/11/2026"), sizes in French notation ("1,5 Mo").

struct FileLine {
    std::string name;
    std::int64_t size = 0;
};

/// "1,5 Mo" / "1.5 MB"; bytes under 1000 as "812 o" / "812 B".
std::string formatSize(std::int64_t bytes, bool french);

/// To a recipient of a transfer: who sends what, the message, the files, the expiry, the link.
MailMessage transferSent(const std::string& to, const std::string& senderName,
                         const std::string& senderEmail, const std::string& subject,
                         const std::string& message, const std::vector<FileLine>& files,
                         std::int64_t expiresAtMs, bool passwordProtected, const std::string& link);

/// To the sender: `recipient` has downloaded every file of the transfer.
MailMessage transferDownloaded(const std::string& to, const std::string& recipient,
                               const std::string& subject, std::int64_t atMs);

/// To an invited depositor.
MailMessage requestInvitation(const std::string& to, const std::string& ownerName,
                              const std::string& ownerEmail, const std::string& message,
                              std::int64_t expiresAtMs, bool passwordProtected, const std::string& link);

/// To the owner of an upload request: a deposit arrived.
MailMessage depositReceived(const std::string& to, const std::string& depositor,
                            const std::string& message, const std::vector<FileLine>& files,
                            std::int64_t atMs, const std::string& link);

}  // namespace relais::plugins::wesend::mails
