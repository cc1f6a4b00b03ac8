// /d/{token}: what a recipient sees. Who sent it, the message, until when, the files with their
// sizes; each file or everything as one ZIP. Downloads are plain links: the browser streams them.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatDate } from '../format.js';
import { Alert, errorText, Page, Spinner } from '../ui.jsx';
import { Unlock } from './Unlock.jsx';

addStrings({
  fr: {
    'download.title': 'Fichiers reçus',
    'download.from': 'De',
    'download.subject': 'Objet',
    'download.expires': 'Disponible jusqu’au',
    'download.total': 'Taille totale',
    'download.message': 'Message',
    'download.files': 'Fichiers',
    'download.zip': 'Tout télécharger (ZIP)',
    'download.file': 'Télécharger',
    'download.fileLabel': 'Télécharger {name}',
    'download.remaining': '{n} téléchargement(s) restant(s)',
    'download.none': 'Plus de téléchargement possible',
    'download.expired': 'Ce lien a expiré',
    'download.expiredText': 'Les fichiers ne sont plus disponibles. Demandez à l’expéditeur de vous les envoyer de nouveau.',
    'download.revoked': 'Ce lien a été révoqué',
    'download.revokedText': 'L’expéditeur a retiré ces fichiers. Contactez-le si vous en avez encore besoin.',
    'download.exhausted': 'Limite de téléchargements atteinte',
    'download.exhaustedText': 'Ces fichiers ont été téléchargés autant de fois que l’expéditeur l’a permis.',
    'download.deleted': 'Ces fichiers ont été supprimés',
    'download.deletedText': 'La durée de conservation est passée ; les fichiers ont été effacés.',
    'download.notFound': 'Lien introuvable',
    'download.notFoundText': 'Ce lien n’existe pas. Vérifiez qu’il a été copié en entier.',
    'download.privacy': 'Vos téléchargements sont enregistrés et visibles par l’expéditeur.',
  },
  en: {
    'download.title': 'Files for you',
    'download.from': 'From',
    'download.subject': 'Subject',
    'download.expires': 'Available until',
    'download.total': 'Total size',
    'download.message': 'Message',
    'download.files': 'Files',
    'download.zip': 'Download all (ZIP)',
    'download.file': 'Download',
    'download.fileLabel': 'Download {name}',
    'download.remaining': '{n} download(s) left',
    'download.none': 'No download left',
    'download.expired': 'This link has expired',
    'download.expiredText': 'The files are no longer available. Ask the sender to send them again.',
    'download.revoked': 'This link was revoked',
    'download.revokedText': 'The sender withdrew these files. Contact them if you still need them.',
    'download.exhausted': 'Download limit reached',
    'download.exhaustedText': 'These files were downloaded as many times as the sender allowed.',
    'download.deleted': 'These files were deleted',
    'download.deletedText': 'Their retention period is over; the files were erased.',
    'download.notFound': 'Link not found',
    'download.notFoundText': 'This link does not exist. Check that it was copied whole.',
    'download.privacy': 'Your downloads are recorded and visible to the sender.',
  },
});

const closedPages = {
  expired: ['download.expired', 'download.expiredText'],
  revoked: ['download.revoked', 'download.revokedText'],
  exhausted: ['download.exhausted', 'download.exhaustedText'],
  files_deleted: ['download.deleted', 'download.deletedText'],
};

export default function Download({ params }) {
  const base = `/api/v1/public/transfers/${encodeURIComponent(params.token)}`;
  const [state, setState] = useState({ loading: true });
  const load = async () => {
    try {
      setState({ transfer: await api('GET', base) });
    } catch (e) {
      setState({ error: e });
    }
  };
  useEffect(() => { load(); }, [params.token]);

  if (state.loading) return <Spinner />;
  const e = state.error;
  if (e?.code === 'password_required') {
    return <Page title={t('download.title')} narrow><Unlock path={base} onUnlocked={load} /></Page>;
  }
  if (e?.status === 410) {
    const [title, text] = closedPages[e.problem.reason] || closedPages.expired;
    return <Page title={t(title)} narrow><p class="closed-link" data-reason={e.problem.reason}>{t(text)}</p></Page>;
  }
  if (e?.status === 404) return <Page title={t('download.notFound')} narrow><p>{t('download.notFoundText')}</p></Page>;
  if (e) return <Page title={t('download.title')} narrow><Alert>{errorText(e)}</Alert></Page>;

  const tr = state.transfer;
  const total = tr.files.reduce((n, f) => n + f.size, 0);
  return (
    <Page title={tr.subject || t('download.title')}>
      <div class="card">
        <dl class="meta">
          <dt>{t('download.from')}</dt>
          <dd>{tr.sender.name ? `${tr.sender.name} <${tr.sender.email}>` : tr.sender.email}</dd>
          <dt>{t('download.expires')}</dt>
          <dd>{formatDate(tr.expires_at)}</dd>
          <dt>{t('download.total')}</dt>
          <dd>{formatBytes(total)}</dd>
        </dl>
        {tr.message && (
          <>
            <h2>{t('download.message')}</h2>
            <p class="message-text" data-testid="transfer-message">{tr.message}</p>
          </>
        )}
      </div>
      <div class="card">
        <div class="page-head">
          <h2>{t('download.files')}</h2>
          {tr.files.length > 0 && <a class="button" href={`${base}/zip`} download>{t('download.zip')}</a>}
        </div>
        <div class="table-wrap">
          <table class="responsive">
            <thead><tr><th>{t('common.file')}</th><th class="num">{t('common.size')}</th><th><span class="visually-hidden">{t('common.actions')}</span></th></tr></thead>
            <tbody>
              {tr.files.map((f) => (
                <tr key={f.id}>
                  <td data-label={t('common.file')} class="file-name">{f.name}</td>
                  <td data-label={t('common.size')} class="num">{formatBytes(f.size)}</td>
                  <td>
                    {f.downloads_remaining === 0 ? <span class="badge">{t('download.none')}</span> : (
                      <>
                        <a class="button button-secondary button-small" href={`${base}/files/${encodeURIComponent(f.id)}`} download
                          aria-label={t('download.fileLabel', { name: f.name })}>{t('download.file')}</a>
                        {f.downloads_remaining != null && <span class="hint"> {t('download.remaining', { n: f.downloads_remaining })}</span>}
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="hint">{t('download.privacy')}</p>
      </div>
    </Page>
  );
}
