// Upload requests: a user asks a partner for files, the partner deposits them through /r/{token}
// with no account, the owner sees the deposit arrive live and downloads it; "Reçus" lists it.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { expect, login, screenshot, test } from '../support/fixtures.mjs';
import { waitForMail } from '../support/server.mjs';

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');

test('a partner deposits files through /r/{token}; the owner sees it live and downloads it', async ({ browser, relais }) => {
  const partner = `partenaire-${randomBytes(4).toString('hex')}@cabinet.example`;
  const owner = await browser.newContext();
  const page = await owner.newPage();
  await login(page, relais, 'alice@demo.example');
  await page.getByLabel('Menu principal').getByRole('link', { name: 'Demandes de dépôt' }).click();
  await page.getByRole('textbox', { name: 'Inviter par e-mail (facultatif)' }).fill(partner);
  await page.getByRole('textbox', { name: 'Message pour le déposant' }).fill('Merci de déposer le bilan 2026.');
  await page.getByRole('button', { name: 'Créer la demande' }).click();
  const ownLink = await page.getByLabel('Lien de dépôt').inputValue();
  expect(ownLink).toMatch(/\/r\/[A-Za-z0-9_-]{20,}$/);
  await screenshot(page, 'portal-requests');
  await page.getByRole('link', { name: 'Merci de déposer le bilan 2026.' }).click();
  await expect(page.getByText('Aucun dépôt pour le moment.')).toBeVisible();

  const mail = await waitForMail(partner, /\/r\//);
  const link = mail.match(/https?:\/\/\S+\/r\/[A-Za-z0-9_-]+/)[0];
  const guest = await browser.newContext();
  const dp = await guest.newPage();
  await dp.goto(link);
  await expect(dp.getByRole('heading', { name: 'Déposer des fichiers' })).toBeVisible();
  await expect(dp.getByText('Merci de déposer le bilan 2026.')).toBeVisible();
  await expect(dp.getByText('Alice Durand')).toBeVisible();
  const file = { name: 'bilan 2026.pdf', mimeType: 'application/pdf', buffer: randomBytes(3 * 1024 * 1024 + 17) };
  await dp.getByTestId('file-input').setInputFiles([file]);
  await dp.getByLabel('Votre adresse e-mail').fill(partner);
  await dp.getByLabel('Votre message (facultatif)').fill('Voici le bilan signé.');
  await expect(dp.getByText('Tous les fichiers sont téléversés.')).toBeVisible();
  await screenshot(dp, 'public-deposit');
  await dp.getByRole('button', { name: 'Confirmer le dépôt' }).click();
  await expect(dp.getByRole('heading', { name: 'Dépôt confirmé' })).toBeVisible();
  await expect(dp.getByText('bilan 2026.pdf')).toBeVisible();

  // Live on the owner's page, without a reload.
  await expect(page.getByText(`De ${partner}`)).toBeVisible();
  await expect(page.getByText('Voici le bilan signé.')).toBeVisible();
  await screenshot(page, 'portal-request-detail');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Télécharger bilan 2026.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('bilan 2026.pdf');
  expect(sha256(fs.readFileSync(await download.path()))).toBe(sha256(file.buffer));

  await page.getByLabel('Menu principal').getByRole('link', { name: 'Reçus' }).click();
  await expect(page.getByRole('heading', { name: 'Dépôts dans mes demandes' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Télécharger bilan 2026.pdf' })).toBeVisible();
  await owner.close();
  await guest.close();
});

test('unknown links and pages each get a clear page', async ({ page, relais }) => {
  const missing = await page.goto(`${relais.url()}/nulle-part`);
  expect(missing.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page introuvable' })).toBeVisible();
  await page.goto(`${relais.url()}/r/inconnu-${randomBytes(16).toString('hex')}`);
  await expect(page.getByRole('heading', { name: 'Lien introuvable' })).toBeVisible();
  await page.goto(`${relais.url()}/d/inconnu-${randomBytes(16).toString('hex')}`);
  await expect(page.getByRole('heading', { name: 'Lien introuvable' })).toBeVisible();
});
