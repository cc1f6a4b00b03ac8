// The drop zone and the list of uploads with their progress, shared by the send page and the
// public deposit page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addStrings, t } from '../i18n.js';
import { formatBytes, formatDuration, formatPercent, formatSpeed } from '../format.js';
import { Alert, errorText, Progress } from '../ui.jsx';
import { filesOfDrop, forgetUnfinished, unfinishedUploads, UploadQueue } from './uploader.js';

addStrings({
  fr: {
    'upload.drop': 'Déposez vos fichiers ou dossiers ici',
    'upload.or': 'ou',
    'upload.chooseFiles': 'Choisir des fichiers',
    'upload.chooseFolder': 'Choisir un dossier',
    'upload.zoneLabel': 'Zone de dépôt des fichiers',
    'upload.pause': 'Pause',
    'upload.resume': 'Reprendre',
    'upload.pauseAll': 'Tout mettre en pause',
    'upload.resumeAll': 'Tout reprendre',
    'upload.remove': 'Retirer',
    'upload.removeFile': 'Retirer {name}',
    'upload.pauseFile': 'Mettre {name} en pause',
    'upload.resumeFile': 'Reprendre {name}',
    'upload.progressOf': 'Progression de {name}',
    'upload.overall': 'Progression totale',
    'upload.done': 'Terminé',
    'upload.paused': 'En pause',
    'upload.waitingNetwork': 'Connexion perdue, nouvelle tentative…',
    'upload.failed': 'Échec',
    'upload.totals': '{count} fichier(s), {sent} sur {size}',
    'upload.speed': 'Débit : {speed}',
    'upload.left': 'Temps restant : {time}',
    'upload.allDone': 'Tous les fichiers sont téléversés.',
    'upload.unfinished': 'Téléversements interrompus',
    'upload.unfinishedText': 'Ajoutez de nouveau le même fichier pour reprendre là où il s’était arrêté :',
    'upload.forget': 'Oublier',
  },
  en: {
    'upload.drop': 'Drop your files or folders here',
    'upload.or': 'or',
    'upload.chooseFiles': 'Choose files',
    'upload.chooseFolder': 'Choose a folder',
    'upload.zoneLabel': 'File drop zone',
    'upload.pause': 'Pause',
    'upload.resume': 'Resume',
    'upload.pauseAll': 'Pause all',
    'upload.resumeAll': 'Resume all',
    'upload.remove': 'Remove',
    'upload.removeFile': 'Remove {name}',
    'upload.pauseFile': 'Pause {name}',
    'upload.resumeFile': 'Resume {name}',
    'upload.progressOf': 'Progress of {name}',
    'upload.overall': 'Overall progress',
    'upload.done': 'Done',
    'upload.paused': 'Paused',
    'upload.waitingNetwork': 'Connection lost, retrying…',
    'upload.failed': 'Failed',
    'upload.totals': '{count} file(s), {sent} of {size}',
    'upload.speed': 'Speed: {speed}',
    'upload.left': 'Time left: {time}',
    'upload.allDone': 'All files are uploaded.',
    'upload.unfinished': 'Interrupted uploads',
    'upload.unfinishedText': 'Add the same file again to resume where it stopped:',
    'upload.forget': 'Forget',
  },
});

/** The queue of a page, re-rendering it on every change. */
export function useUploadQueue(endpoint, bearer) {
  const [items, setItems] = useState([]);
  const queue = useRef(null);
  if (!queue.current) queue.current = new UploadQueue({ endpoint, bearer, onChange: setItems });
  queue.current.bearer = bearer;
  useEffect(() => () => queue.current.pauseAll(), []);
  return { queue: queue.current, items };
}

function stateText(item) {
  if (item.state === 'done') return t('upload.done');
  if (item.state === 'paused') return t('upload.paused');
  if (item.state === 'error') return `${t('upload.failed')} : ${errorText(item.error)}`;
  if (item.error === 'network') return t('upload.waitingNetwork');
  return `${formatPercent(item.size ? item.sent / item.size : 1)} · ${formatSpeed(item.speed)}`;
}

export function UploadPanel({ queue, items, endpoint }) {
  const [active, setActive] = useState(false);
  const [unfinished, setUnfinished] = useState([]);
  const folderInput = useRef(null);
  const refreshUnfinished = () => unfinishedUploads(endpoint).then(setUnfinished, () => setUnfinished([]));
  useEffect(() => {
    refreshUnfinished();
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);
  useEffect(() => {
    if (items.some((i) => i.state === 'done')) refreshUnfinished();
  }, [items.filter((i) => i.state === 'done').length]);

  const onDrop = async (e) => {
    e.preventDefault();
    setActive(false);
    queue.add(await filesOfDrop(e.dataTransfer));
  };
  const onPick = (e) => {
    queue.add([...e.target.files]);
    e.target.value = '';
  };
  const totals = queue.totals();
  const pending = unfinished.filter((u) => !items.some((i) => i.name === u.metadata?.filename && i.size === u.size));
  const anyUploading = items.some((i) => i.state === 'uploading');
  const anyPaused = items.some((i) => i.state === 'paused' || i.state === 'error');

  return (
    <div class="upload-panel">
      <div class={active ? 'dropzone active' : 'dropzone'} role="region" aria-label={t('upload.zoneLabel')}
        onDragOver={(e) => { e.preventDefault(); setActive(true); }} onDragLeave={() => setActive(false)} onDrop={onDrop}>
        <p><strong>{t('upload.drop')}</strong></p>
        <p>{t('upload.or')}</p>
        <div class="actions center">
          <label class="button">
            {t('upload.chooseFiles')}
            <input type="file" multiple class="visually-hidden" onChange={onPick} data-testid="file-input" />
          </label>
          <label class="button button-secondary">
            {t('upload.chooseFolder')}
            <input type="file" multiple class="visually-hidden" ref={folderInput} onChange={onPick} />
          </label>
        </div>
      </div>

      {pending.length > 0 && (
        <Alert kind="warn">
          <strong>{t('upload.unfinished')}</strong> — {t('upload.unfinishedText')}
          <ul>
            {pending.map((u) => (
              <li key={u.urlStorageKey}>
                {u.metadata?.filename} ({formatBytes(u.size)}){' '}
                <button type="button" class="link-button" onClick={() => forgetUnfinished(u).then(refreshUnfinished)}>{t('upload.forget')}</button>
              </li>
            ))}
          </ul>
        </Alert>
      )}

      {items.length > 0 && (
        <>
          <div class="totals" aria-live="polite">
            <span>{t('upload.totals', { count: totals.count, sent: formatBytes(totals.sent), size: formatBytes(totals.size) })}</span>
            {!totals.done && <span>{t('upload.speed', { speed: formatSpeed(totals.speed) })}</span>}
            {!totals.done && <span>{t('upload.left', { time: formatDuration(totals.left) })}</span>}
            {totals.done && <span role="status">{t('upload.allDone')}</span>}
          </div>
          <Progress value={totals.sent} max={totals.size || 1} label={t('upload.overall')} />
          <div class="actions">
            {anyUploading && <button type="button" class="button button-secondary button-small" onClick={() => queue.pauseAll()}>{t('upload.pauseAll')}</button>}
            {anyPaused && <button type="button" class="button button-secondary button-small" onClick={() => queue.resumeAll()}>{t('upload.resumeAll')}</button>}
          </div>
          <ul class="file-list">
            {items.map((item) => (
              <li class="file-item" key={item.key} data-state={item.state}>
                <div>
                  <div class="file-name">{item.name}</div>
                  <div class="file-info">{formatBytes(item.size)} · <span>{stateText(item)}</span></div>
                </div>
                <div class="actions">
                  {item.state === 'uploading' && <button type="button" class="button button-secondary button-small" aria-label={t('upload.pauseFile', { name: item.name })} onClick={() => queue.pause(item)}>{t('upload.pause')}</button>}
                  {(item.state === 'paused' || item.state === 'error') && <button type="button" class="button button-secondary button-small" aria-label={t('upload.resumeFile', { name: item.name })} onClick={() => queue.resume(item)}>{t('upload.resume')}</button>}
                  <button type="button" class="button button-secondary button-small" aria-label={t('upload.removeFile', { name: item.name })} onClick={() => queue.remove(item)}>{t('upload.remove')}</button>
                </div>
                <Progress value={item.sent} max={item.size || 1} label={t('upload.progressOf', { name: item.name })} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
