#include "tenancy/Mails.h"

namespace relais::mails {

MailMessage invitation(const std::string& to, const std::string& name, const std::string& organisation,
                       const std::string& link) {
    return bilingualMail(to, "Votre compte Relais / Your Relais account",
                "Bonjour " + name + ",\n\nUn compte Relais a été créé pour vous au sein de " + organisation +
                    ".\nChoisissez votre mot de passe en ouvrant ce lien (valable 7 jours) :\n\n" + link +
                    "\n\nSi vous n'attendiez pas ce message, ignorez-le.",
                "Hello " + name + ",\n\nA Relais account was created for you at " + organisation +
                    ".\nChoose your password by opening this link (valid for 7 days):\n\n" + link +
                    "\n\nIf you did not expect this message, ignore it.");
}

MailMessage passwordReset(const std::string& to, const std::string& name, const std::string& link) {
    return bilingualMail(to, "Réinitialisation de votre mot de passe / Password reset",
                "Bonjour " + name + ",\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable 1 heure) :\n\n" +
                    link + "\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.",
                "Hello " + name + ",\n\nTo choose a new password, open this link (valid for 1 hour):\n\n" + link +
                    "\n\nIf you did not ask for it, ignore this message: your password stays as it is.");
}

MailMessage signupConfirmation(const std::string& to, const std::string& name, const std::string& company,
                               const std::string& link) {
    return bilingualMail(to, "Confirmez votre essai Relais / Confirm your Relais trial",
                "Bonjour " + name + ",\n\nPour ouvrir l'espace d'essai de " + company +
                    ", confirmez votre adresse en ouvrant ce lien (valable 24 heures) :\n\n" + link,
                "Hello " + name + ",\n\nTo open the trial space of " + company +
                    ", confirm your address by opening this link (valid for 24 hours):\n\n" + link);
}

MailMessage trialEnded(const std::string& to, const std::string& organisation, const std::string& endDate) {
    return bilingualMail(to, "Fin de votre essai Relais / Your Relais trial has ended",
                "Bonjour,\n\nL'essai de " + organisation + " a pris fin le " + endDate +
                    ". L'espace est suspendu et ses données sont conservées.\nPour continuer, contactez votre "
                    "revendeur : il réactivera l'espace avec l'offre de votre choix.",
                "Hello,\n\nThe trial of " + organisation + " ended on " + endDate +
                    ". The space is suspended and its data is kept.\nTo go on, contact your reseller, who will "
                    "reactivate it with the plan of your choice.");
}

MailMessage terminated(const std::string& to, const std::string& organisation, const std::string& exportLink,
                       const std::string& untilDate) {
    return bilingualMail(to, "Résiliation de votre espace Relais / Your Relais space is closed",
                "Bonjour,\n\nL'espace de " + organisation +
                    " est résilié. Ses utilisateurs ne peuvent plus se connecter.\nJusqu'au " + untilDate +
                    ", ses administrateurs peuvent télécharger l'export complet (fichiers, utilisateurs, "
                    "journal) après s'être connectés :\n\n" + exportLink +
                    "\n\nAprès cette date, toutes les données seront définitivement effacées et un certificat "
                    "de suppression sera établi.",
                "Hello,\n\nThe space of " + organisation + " is closed. Its users can no longer log in.\nUntil " +
                    untilDate + ", its administrators can download the complete export (files, users, journal) "
                    "once logged in:\n\n" + exportLink +
                    "\n\nAfter that date, all its data will be erased for good and a deletion certificate "
                    "issued.");
}

MailMessage operatorNotice(const std::string& to, const std::string& subject, const std::string& body) {
    MailMessage m;
    m.to = to;
    m.subject = subject;
    m.text = body + "\n";
    return m;
}

}  // namespace relais::mails
