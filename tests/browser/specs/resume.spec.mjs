// Uploads survive a server that goes away and a page reload: tus resumes from the server's
// offset, and the file that arrives has the bytes that were sent.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, login, test } from '../support/fixtures.mjs';
import { waitForMail } from '../support/server.mjs';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

/** Slows this page's uploads (Chromium's network emulation) so that they can be interrupted. */
async function throttle(page, bytesPerSecond) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
  return cdp;
}

async function uploadedPercent(page) {
  const text = await page.locator('.file-item .file-info').first().textContent();
  const m = text.match(/(\d+)\s*%/);
  return m ? Number(m[1]) : 0;
}

async function sendAndCheck(page, relais, recipient, bytes) {
  await page.getByRole('textbox', { name: 'Destinataires' }).fill(recipient);
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Vos fichiers sont envoyés' })).toBeVisible();
  const mail = await waitForMail(recipient, /\/d\//);
  const link = mail.match(/https?:\/\/\S+\/d\/[A-Za-z0-9_-]+/)[0];
  const dl = await page.context().newPage();
  await dl.goto(link);
  const [download] = await Promise.all([dl.waitForEvent('download'), dl.locator('a[download]').nth(1).click()]);
  expect(sha256(fs.readFileSync(await download.path()))).toBe(sha256(bytes));
}

test('an upload cut by the server dying completes once it is back', async ({ page, relais }) => {
  const bytes = randomBytes(6 * 1024 * 1024);
  await login(page, relais, 'alice@demo.example');
  await page.goto(`${relais.url()}/send`);
  const cdp = await throttle(page, 1024 * 1024);
  await page.getByTestId('file-input').setInputFiles([{ name: 'coupure.bin', mimeType: 'application/octet-stream', buffer: bytes }]);
  await expect.poll(() => uploadedPercent(page), { timeout: 30000 }).toBeGreaterThan(10);
  // Not a graceful stop, which would let the upload finish: the server is gone mid-PATCH.
  await relais.kill();
  await expect(page.getByText('Connexion perdue, nouvelle tentative…')).toBeVisible({ timeout: 30000 });
  expect(await uploadedPercent(page)).toBeLessThan(100);
  await relais.start();
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(page.getByText('Tous les fichiers sont téléversés.')).toBeVisible({ timeout: 90000 });
  await sendAndCheck(page, relais, `coupure-${randomBytes(4).toString('hex')}@partenaire.example`, bytes);
});

test('after a page reload, adding the same file again resumes it instead of starting over', async ({ page, relais }) => {
  const bytes = randomBytes(6 * 1024 * 1024);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'relais-resume-')), 'rechargement.bin');
  fs.writeFileSync(file, bytes);
  await login(page, relais, 'alice@demo.example');
  await page.goto(`${relais.url()}/send`);
  await throttle(page, 1024 * 1024);
  await page.getByTestId('file-input').setInputFiles(file);
  await expect.poll(() => uploadedPercent(page), { timeout: 30000 }).toBeGreaterThan(5);

  // Pause holds it where it is; resume continues.
  await page.getByRole('button', { name: 'Mettre rechargement.bin en pause' }).click();
  await expect(page.getByText('En pause')).toBeVisible();
  const held = await page.locator('progress[aria-label="Progression de rechargement.bin"]').evaluate((p) => p.value);
  await page.waitForTimeout(1500);  // nothing moves while paused (a wait, not a timing assertion)
  expect(await page.locator('progress[aria-label="Progression de rechargement.bin"]').evaluate((p) => p.value)).toBe(held);
  await page.getByRole('button', { name: 'Reprendre rechargement.bin' }).click();
  await expect.poll(() => page.locator('progress[aria-label="Progression de rechargement.bin"]').evaluate((p) => p.value), { timeout: 30000 }).toBeGreaterThan(held);
  await expect.poll(() => uploadedPercent(page), { timeout: 30000 }).toBeGreaterThan(15);

  await page.reload();
  await expect(page.getByText('Téléversements interrompus')).toBeVisible();
  await expect(page.getByText('rechargement.bin')).toBeVisible();
  const creations = [];
  const resumes = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/uploads')) creations.push(r.url());
    if (r.method() === 'HEAD' && r.url().includes('/api/v1/uploads/')) resumes.push(r.url());
  });
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByText('Tous les fichiers sont téléversés.')).toBeVisible({ timeout: 60000 });
  expect(resumes.length).toBeGreaterThan(0);  // it asked the server for its offset...
  expect(creations).toEqual([]);              // ...and did not start a new upload
  await expect(page.getByText('Téléversements interrompus')).toHaveCount(0);
  await sendAndCheck(page, relais, `reprise-${randomBytes(4).toString('hex')}@partenaire.example`, bytes);
});
