// /d/{token}: what a recipient sees. Who sent it, the message, until when, the files with their
// sizes; each file or everything as one ZIP. Downloads are plain links: the browser streams them.
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatDate } from '../format.js';
import { DataTable, Page } from '../ui.jsx';
import { linkProblemPage, usePublicLink } from './Unlock.jsx';

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
  const link = usePublicLink(base);
  const problem = linkProblemPage({ link, base, title: t('download.title'), closed: (p) => {
    const [title, text] = closedPages[p.reason] || closedPages.expired;
    return [t(title), t(text)];
  } });
  if (problem) return problem;

  const tr = link.state.value;
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
          {tr.files.length > 0 && <a class="button" href={`${base}/zip`} download="">{t('download.zip')}</a>}
        </div>
        <DataTable rows={tr.files} columns={[
          { label: t('common.file'), class: 'file-name', cell: (f) => f.name },
          { label: t('common.size'), num: true, cell: (f) => formatBytes(f.size) },
          { label: t('common.actions'), hideLabel: true, cell: (f) => (f.downloads_remaining === 0 ? <span class="badge">{t('download.none')}</span> : (
            <>
              <a class="button button-secondary button-small" href={`${base}/files/${encodeURIComponent(f.id)}`} download=""
                aria-label={t('download.fileLabel', { name: f.name })}>{t('download.file')}</a>
              {f.downloads_remaining != null && <span class="hint"> {t('download.remaining', { n: f.downloads_remaining })}</span>}
            </>
          )) },
        ]} />
        <p class="hint">{t('download.privacy')}</p>
      </div>
    </Page>
  );
}
