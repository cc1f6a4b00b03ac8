// How tracking events and states read, in both languages.
import { addStrings, t } from '../i18n.js';

addStrings({
  fr: {
    'event.created': 'Envoi créé',
    'event.mail_delivered': 'E-mail remis',
    'event.link_opened': 'Lien ouvert',
    'event.file_downloaded': 'Fichier téléchargé',
    'event.file_partially_downloaded': 'Téléchargement interrompu',
    'event.zip_downloaded': 'Archive ZIP téléchargée',
    'event.zip_partially_downloaded': 'Téléchargement du ZIP interrompu',
    'event.revoked': 'Lien révoqué',
    'event.expired': 'Expiré',
    'event.closed': 'Demande fermée',
    'event.deposit_received': 'Dépôt reçu',
    'state.active': 'Actif',
    'state.expired': 'Expiré',
    'state.revoked': 'Révoqué',
    'state.open': 'Ouverte',
    'state.closed': 'Fermée',
  },
  en: {
    'event.created': 'Transfer created',
    'event.mail_delivered': 'E-mail delivered',
    'event.link_opened': 'Link opened',
    'event.file_downloaded': 'File downloaded',
    'event.file_partially_downloaded': 'Download interrupted',
    'event.zip_downloaded': 'ZIP archive downloaded',
    'event.zip_partially_downloaded': 'ZIP download interrupted',
    'event.revoked': 'Link revoked',
    'event.expired': 'Expired',
    'event.closed': 'Request closed',
    'event.deposit_received': 'Deposit received',
    'state.active': 'Active',
    'state.expired': 'Expired',
    'state.revoked': 'Revoked',
    'state.open': 'Open',
    'state.closed': 'Closed',
  },
});

export const eventText = (action) => t('event.' + action);
export const stateKind = (state) => (state === 'active' || state === 'open' ? 'ok' : state === 'expired' ? 'warn' : 'danger');
export const stateText = (state) => t('state.' + state);
