// Resumable uploads with tus-js-client: per-file and overall progress, speed and time left,
// pause and resume, retries through a network cut, and resumption after a page reload (the
// upload's URL is kept in localStorage under its file's fingerprint; adding the same file again
// continues from the server's offset).
import * as tus from 'tus-js-client';
import { ApiError, csrfToken } from '../api.js';

// A server restart or a lost connection: keep trying for about ten minutes.
const retryDelays = [0, 1000, 2000, 3000, 5000, 5000, 10000, 10000, 15000, 15000,
  ...Array(20).fill(30000)];

let counter = 0;

/**
 * new UploadQueue({ endpoint, bearer?, onChange }). Items: { key, file, name, size, sent,
 * state: 'uploading'|'paused'|'done'|'error', uploadId, speed, error }.
 */
export class UploadQueue {
  constructor({ endpoint, bearer, onChange }) {
    this.endpoint = endpoint;
    this.bearer = bearer;
    this.onChange = onChange;
    this.items = [];
  }

  headers() {
    // A session upload is an unsafe call: it carries the CSRF token. A guest upload carries the
    // link's access token when there is one (else the link's cookie, or nothing).
    if (this.bearer) return { Authorization: 'Bearer ' + this.bearer };
    const csrf = csrfToken();
    return csrf ? { 'X-CSRF-Token': csrf } : {};
  }

  changed() {
    this.onChange?.([...this.items]);
  }

  add(files) {
    for (const file of files) {
      if (this.items.some((i) => i.file === file)) continue;
      const item = { key: ++counter, file, name: file.name, size: file.size, sent: 0, state: 'uploading', speed: 0, error: null, uploadId: null };
      this.items.push(item);
      this.start(item);
    }
    this.changed();
  }

  start(item) {
    let lastAt = performance.now();
    let lastBytes = 0;
    const upload = new tus.Upload(item.file, {
      endpoint: this.endpoint,
      retryDelays,
      chunkSize: 64 * 1024 * 1024,
      metadata: { filename: item.file.name, filetype: item.file.type || 'application/octet-stream' },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (req) => {
        // Set here only (XHR joins repeated headers): the CSRF cookie can change with a new
        // login, so it is read at each request.
        for (const [k, v] of Object.entries(this.headers())) req.setHeader(k, v);
      },
      onProgress: (sent) => {
        const now = performance.now();
        const dt = (now - lastAt) / 1000;
        if (dt >= 0.5) {
          const rate = Math.max(0, sent - lastBytes) / dt;
          item.speed = item.speed ? item.speed * 0.6 + rate * 0.4 : rate;
          lastAt = now;
          lastBytes = sent;
        }
        item.sent = sent;
        item.error = null;
        this.changed();
      },
      onShouldRetry: (err, attempt, options) => {
        const status = err.originalResponse ? err.originalResponse.getStatus() : 0;
        item.error = status ? null : 'network';
        this.changed();
        return !status || status >= 500 || status === 409 || status === 423 || status === 429;
      },
      onSuccess: () => {
        item.sent = item.size;
        item.state = 'done';
        item.speed = 0;
        item.uploadId = upload.url.split('/').pop();
        this.changed();
      },
      onError: (err) => {
        item.state = 'error';
        item.speed = 0;
        let problem = null;
        try { problem = JSON.parse(err.originalResponse?.getBody() || 'null'); } catch { /* not JSON */ }
        // The API's answer as the rest of the front end reads it (its code, translated).
        item.error = new ApiError(err.originalResponse?.getStatus() || 0, problem || { detail: err.message });
        this.changed();
      },
    });
    item.upload = upload;
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      if (item.state === 'uploading') upload.start();
    });
  }

  pause(item) {
    if (item.state !== 'uploading') return;
    item.upload.abort();
    item.state = 'paused';
    item.speed = 0;
    this.changed();
  }

  resume(item) {
    if (item.state !== 'paused' && item.state !== 'error') return;
    const failed = item.state === 'error';
    item.state = 'uploading';
    item.error = null;
    if (failed) this.start(item);
    else item.upload.start();
    this.changed();
  }

  pauseAll() { this.items.forEach((i) => this.pause(i)); }
  resumeAll() { this.items.forEach((i) => this.resume(i)); }

  remove(item) {
    this.items = this.items.filter((i) => i !== item);
    // Terminate on the server too, unless it already finished (then it is simply not sent).
    if (item.state !== 'done') item.upload.abort(true).catch(() => {});
    this.changed();
  }

  clear() {
    this.items = [];
    this.changed();
  }

  totals() {
    const size = this.items.reduce((n, i) => n + i.size, 0);
    const sent = this.items.reduce((n, i) => n + i.sent, 0);
    const speed = this.items.reduce((n, i) => n + (i.state === 'uploading' ? i.speed : 0), 0);
    const done = this.items.length > 0 && this.items.every((i) => i.state === 'done');
    return { size, sent, speed, left: speed > 0 ? (size - sent) / speed : Infinity, done, count: this.items.length };
  }
}

/** Uploads this browser started and did not finish (for "add the same file again to resume"). */
export async function unfinishedUploads(endpoint) {
  const all = await tus.defaultOptions.urlStorage.findAllUploads();
  return all.filter((u) => u.uploadUrl?.includes(endpoint) || u.urlStorageKey?.includes(endpoint));
}

export async function forgetUnfinished(entry) {
  await tus.defaultOptions.urlStorage.removeUpload(entry.urlStorageKey);
}

/** The files of a drop, folders included (read recursively; names only, no paths). */
export async function filesOfDrop(dataTransfer) {
  const entries = [...(dataTransfer.items || [])].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  if (!entries.length) return [...(dataTransfer.files || [])];
  const files = [];
  const walk = async (entry) => {
    if (entry.isFile) {
      files.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
    } else if (entry.isDirectory) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
        if (!batch.length) break;
        for (const e of batch) await walk(e);
      }
    }
  };
  for (const e of entries) await walk(e);
  return files;
}
