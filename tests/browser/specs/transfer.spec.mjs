// The main journey: a user sends two files, the recipient gets the mail, opens the link, downloads
// each file and the ZIP with the same bytes, and the sender sees the download live.
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, login, screenshot, test } from '../support/fixtures.mjs';
import { waitForMail } from '../support/server.mjs';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

async function downloadBytes(page, trigger) {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: fs.readFileSync(path), path };
}

test('send two files, download them and the ZIP as the recipient, tracked live', async ({ browser, relais }) => {
  const recipient = `dest-${randomBytes(4).toString('hex')}@partenaire.example`;
  const big = { name: 'rapport-annuel.bin', mimeType: 'application/octet-stream', buffer: randomBytes(20 * 1024 * 1024) };
  const small = { name: 'note été.txt', mimeType: 'text/plain', buffer: randomBytes(1024) };

  const sender = await browser.newContext();
  const page = await sender.newPage();
  await login(page, relais, 'alice@demo.example');
  await page.getByRole('link', { name: 'Envoyer' }).click();
  await expect(page.getByRole('heading', { name: 'Envoyer des fichiers' })).toBeVisible();
  await page.getByTestId('file-input').setInputFiles([big, small]);
  await page.getByRole('textbox', { name: 'Destinataires' }).fill(recipient);
  await page.getByRole('textbox', { name: 'Objet' }).fill('Dossier Dupont');
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Bonjour, voici les pièces.');
  await expect(page.getByText('Tous les fichiers sont téléversés.')).toBeVisible({ timeout: 60000 });
  await screenshot(page, 'portal-send');
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Vos fichiers sont envoyés' })).toBeVisible();
  const senderLink = await page.getByLabel('Lien de téléchargement').inputValue();
  expect(senderLink).toMatch(/\/d\/[A-Za-z0-9_-]{20,}$/);

  // The sender watches the transfer's page while the recipient downloads.
  await page.getByRole('link', { name: 'Suivre cet envoi' }).click();
  await expect(page.getByRole('heading', { name: 'Dossier Dupont' })).toBeVisible();
  await expect(page.locator('li[data-action="file_downloaded"]')).toHaveCount(0);

  const mail = await waitForMail(recipient, /\/d\//);
  const link = mail.match(/https?:\/\/\S+\/d\/[A-Za-z0-9_-]+/)[0];
  expect(link).not.toBe(senderLink);  // each recipient has a link of their own

  const guest = await browser.newContext();
  const dl = await guest.newPage();
  await dl.goto(link);
  await expect(dl.getByRole('heading', { name: 'Dossier Dupont' })).toBeVisible();
  await expect(dl.getByText('Bonjour, voici les pièces.')).toBeVisible();
  await expect(dl.getByText('Alice Durand')).toBeVisible();
  await expect(dl.getByRole('cell', { name: 'rapport-annuel.bin', exact: true })).toBeVisible();
  await expect(dl.locator('td[data-label="Taille"]')).toHaveText([/^21\s*Mo$/, /^1\s*ko$/]);
  await screenshot(dl, 'public-download');

  const one = await downloadBytes(dl, () => dl.getByRole('link', { name: 'Télécharger note été.txt' }).click());
  expect(one.name).toBe('note été.txt');
  expect(sha256(one.bytes)).toBe(sha256(small.buffer));

  // Live: the sender's page shows the download without a reload.
  await expect(page.locator('li[data-action="file_downloaded"]')).toHaveCount(1);
  await expect(page.locator('li[data-action="file_downloaded"]')).toContainText(recipient);
  await screenshot(page, 'portal-sent-detail');

  const two = await downloadBytes(dl, () => dl.getByRole('link', { name: 'Télécharger rapport-annuel.bin' }).click());
  expect(sha256(two.bytes)).toBe(sha256(big.buffer));

  const zip = await downloadBytes(dl, () => dl.getByRole('link', { name: 'Tout télécharger (ZIP)' }).click());
  expect(zip.name).toMatch(/\.zip$/);
  const listing = execFileSync('unzip', ['-Z1', zip.path], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
  expect(listing).toEqual(['note été.txt', 'rapport-annuel.bin']);
  expect(sha256(execFileSync('unzip', ['-p', zip.path, 'rapport-annuel.bin'], { maxBuffer: 64 << 20 }))).toBe(sha256(big.buffer));
  expect(sha256(execFileSync('unzip', ['-p', zip.path, 'note été.txt']))).toBe(sha256(small.buffer));

  // Revoked from its page: the recipient's link then says so.
  await page.getByRole('button', { name: 'Révoquer les liens' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Révoquer les liens' }).click();
  await expect(page.getByText('Les liens de cet envoi sont révoqués.')).toBeVisible();
  await dl.reload();
  await expect(dl.getByRole('heading', { name: 'Ce lien a été révoqué' })).toBeVisible();

  await page.getByLabel('Menu principal').getByRole('link', { name: 'Mes envois' }).click();
  await expect(page.getByRole('link', { name: 'Dossier Dupont' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Révoqué' })).toBeVisible();
  await screenshot(page, 'portal-sent');
  await sender.close();
  await guest.close();
});
