#include "Mails.h"

#include <cstdio>

#include "relais/Time.h"

namespace relais::plugins::wesend::mails {

namespace {

// A subject line: one line, at most 200 bytes of the sender's text.
std::string oneLine(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 200)) out += (c == '\r' || c == '\n') ? ' ' : c;
    return out;
}

std::string fileList(const std::vector<FileLine>& files, bool french) {
    std::string out;
    for (const auto& f : files) out += "  - " + f.name + " (" + formatSize(f.size, french) + ")\n";
    return out;
}

std::string quoted(const std::string& message) {
    if (message.empty()) return {};
    std::string out = "\n";
    std::size_t start = 0;
    while (start <= message.size()) {
        const auto nl = message.find('\n', start);
        out += "> " + message.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    return out;
}

}  // namespace

std::string formatSize(std::int64_t bytes, bool french) {
    static const char* fr[] = {"o", "ko", "Mo", "Go", "To"};
    static const char* en[] = {"B", "kB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes);
    int unit = 0;
    while (v >= 1000 && unit < 4) {
        v /= 1000;
        ++unit;
    }
    char buf[32];
    if (unit == 0)
        std::snprintf(buf, sizeof buf, "%lld %s", static_cast<long long>(bytes), french ? fr[0] : en[0]);
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, french ? fr[unit] : en[unit]);
    std::string s = buf;
    if (french)
        for (char& c : s)
            if (c == '.') c = ',';
    return s;
}

MailMessage transferSent(const std::string& to, const std::string& senderName, const std::string& senderEmail,
                         const std::string& subject, const std::string& message,
                         const std::vector<FileLine>& files, std::int64_t expiresAtMs, bool passwordProtected,
                         const std::string& link) {
    const std::string who = senderName.empty() ? senderEmail : senderName + " <" + senderEmail + ">";
    const std::string title = subject.empty() ? (senderName.empty() ? senderEmail : senderName) : subject;
    MailMessage m = bilingualMail(
        to, oneLine("Fichiers reçus / Files received : " + title),
        "Bonjour,\n\n" + who + " vous a envoyé " + std::to_string(files.size()) +
            (files.size() > 1 ? " fichiers" : " fichier") + (subject.empty() ? "" : " : « " + subject + " »") +
            ".\n" + quoted(message) + "\n" + fileList(files, true) +
            "\nTéléchargez-les avant le " + formatParisDate(expiresAtMs) + " en ouvrant ce lien :\n\n" + link +
            (passwordProtected ? "\n\nLe lien est protégé par un mot de passe que l'expéditeur vous communiquera."
                               : "") +
            "\n\nNe transférez pas ce message : le lien vous est personnel.",
        "Hello,\n\n" + who + " sent you " + std::to_string(files.size()) + (files.size() > 1 ? " files" : " file") +
            (subject.empty() ? "" : ": \"" + subject + "\"") + ".\n" + quoted(message) + "\n" +
            fileList(files, false) + "\nDownload them before " + formatParisDate(expiresAtMs) +
            " (Paris time) by opening this link:\n\n" + link +
            (passwordProtected ? "\n\nThe link is protected by a password the sender will give you." : "") +
            "\n\nDo not forward this message: the link is yours.");
    m.replyTo = senderEmail;
    return m;
}

MailMessage transferDownloaded(const std::string& to, const std::string& recipient, const std::string& subject,
                               std::int64_t atMs) {
    const std::string what = subject.empty() ? "" : " « " + subject + " »";
    return bilingualMail(to, oneLine("Fichiers téléchargés / Files downloaded : " + recipient),
                "Bonjour,\n\n" + recipient + " a téléchargé tous les fichiers de votre envoi" + what + " le " +
                    formatParisDateTime(atMs) + ".",
                "Hello,\n\n" + recipient + " downloaded every file of your transfer" +
                    (subject.empty() ? "" : " \"" + subject + "\"") + " on " + formatParisDateTime(atMs) +
                    " (Paris time).");
}

MailMessage requestInvitation(const std::string& to, const std::string& ownerName, const std::string& ownerEmail,
                              const std::string& message, std::int64_t expiresAtMs, bool passwordProtected,
                              const std::string& link) {
    const std::string who = ownerName.empty() ? ownerEmail : ownerName + " <" + ownerEmail + ">";
    MailMessage m = bilingualMail(
        to, oneLine("Dépôt de fichiers demandé / Files requested by " + (ownerName.empty() ? ownerEmail : ownerName)),
        "Bonjour,\n\n" + who + " vous invite à lui déposer des fichiers.\n" + quoted(message) +
            "\nDéposez-les avant le " + formatParisDate(expiresAtMs) + " en ouvrant ce lien :\n\n" + link +
            (passwordProtected ? "\n\nLe dépôt est protégé par un mot de passe que votre correspondant vous communiquera."
                               : ""),
        "Hello,\n\n" + who + " invites you to send them files.\n" + quoted(message) + "\nDeposit them before " +
            formatParisDate(expiresAtMs) + " (Paris time) by opening this link:\n\n" + link +
            (passwordProtected ? "\n\nThe deposit is protected by a password your correspondent will give you." : ""));
    m.replyTo = ownerEmail;
    return m;
}

MailMessage depositReceived(const std::string& to, const std::string& depositor, const std::string& message,
                            const std::vector<FileLine>& files, std::int64_t atMs, const std::string& link) {
    MailMessage m = bilingualMail(
        to, oneLine("Nouveau dépôt / New deposit : " + depositor),
        "Bonjour,\n\n" + depositor + " a déposé " + std::to_string(files.size()) +
            (files.size() > 1 ? " fichiers" : " fichier") + " le " + formatParisDateTime(atMs) + ".\n" +
            quoted(message) + "\n" + fileList(files, true) + "\nRetrouvez-les dans votre espace :\n\n" + link,
        "Hello,\n\n" + depositor + " deposited " + std::to_string(files.size()) +
            (files.size() > 1 ? " files" : " file") + " on " + formatParisDateTime(atMs) + " (Paris time).\n" +
            quoted(message) + "\n" + fileList(files, false) + "\nFind them in your space:\n\n" + link);
    m.replyTo = depositor;
    return m;
}

}  // namespace relais::plugins::wesend::mails
