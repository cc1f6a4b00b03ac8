// The mailed landing pages and the account: an invitation sets a password, the second factor is
// enrolled from a QR code drawn in the page (and then asked at login), a forgotten password is
// reset by mail, and a transfer addressed to the user shows under "Reçus".
import { createHmac, randomBytes } from 'node:crypto';
import { expect, screenshot, test } from '../support/fixtures.mjs';
import { waitForMail } from '../support/server.mjs';

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238: SHA-1, 30 s, 6 digits. */
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1000000).padStart(6, '0');
}

async function loginWith(page, relais, email, password) {
  await page.goto(`${relais.url()}/login`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('invitation, second factor, password reset and what I received', async ({ browser, relais }) => {
  const email = `nouveau-${randomBytes(4).toString('hex')}@demo.example`;
  // The admin invites a user (through the API, from the admin's page: cookie and CSRF token).
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await loginWith(admin, relais, 'admin@demo.example', relais.password('admin@demo.example'));
  await expect(admin.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  // Her profile requires a second factor.
  const created = await admin.evaluate(async (address) => {
    const csrf = document.cookie.match(/relais_csrf=([^;]*)/)[1];
    const post = (path, body) => fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf }, body: JSON.stringify(body) });
    const profile = await (await post('/api/v1/admin/profiles', { name: `Double facteur ${address}`, features: ['send', 'upload_requests'], require_totp: true })).json();
    return (await post('/api/v1/admin/users', { email: address, name: 'Nina Nouveau', role: 'user', profile_id: profile.id })).status;
  }, email);
  expect(created).toBe(201);
  await adminContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const invitation = (await waitForMail(email, /\/invitation\?token=/)).match(/https?:\/\/\S+\/invitation\?token=[A-Za-z0-9_-]+/)[0];
  await page.goto(invitation);
  await expect(page.getByRole('heading', { name: 'Bienvenue : choisissez votre mot de passe' })).toBeVisible();
  expect(page.url()).not.toContain('token=');  // the token leaves the address bar
  const first = 'Une phrase de passe solide 2026';
  await page.getByLabel(/^Nouveau mot de passe/).fill(first);
  await page.getByLabel('Confirmer le nouveau mot de passe').fill(first);
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByText('Votre mot de passe est enregistré.')).toBeVisible();

  // Second factor: required by her profile, so the login leads to its enrolment, and nothing
  // else opens until it is done.
  await loginWith(page, relais, email, first);
  await expect(page.getByRole('heading', { name: 'Mon compte' })).toBeVisible();
  await expect(page.getByText('Votre profil exige la double authentification')).toBeVisible();
  await expect(page.getByLabel('Menu principal')).toHaveCount(0);
  await page.goto(`${relais.url()}/send`);
  await expect(page).toHaveURL(/\/account\?enrol=1$/);
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  const qr = page.getByRole('img', { name: 'QR code à scanner avec l’application d’authentification' });
  await expect(qr).toBeVisible();
  expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);  // drawn here, not fetched
  const secret = (await page.getByTestId('totp-secret').textContent()).trim();
  await page.getByLabel('Code à 6 chiffres').fill(totp(secret));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByText('Double authentification activée.')).toBeVisible();
  const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
  expect(codes).toHaveLength(10);
  await page.goto(`${relais.url()}/account`);  // now the whole account, and the menu
  await expect(page.getByRole('heading', { name: 'Mes sessions' })).toBeVisible();
  await screenshot(page, 'portal-account');

  // A transfer to myself shows under "Reçus", downloadable there.
  await page.getByLabel('Menu principal').getByRole('link', { name: 'Envoyer' }).click();
  await page.getByTestId('file-input').setInputFiles([{ name: 'pour moi.txt', mimeType: 'text/plain', buffer: Buffer.from('bonjour Nina') }]);
  await page.getByRole('textbox', { name: 'Destinataires' }).fill(email);
  await page.getByRole('textbox', { name: 'Objet' }).fill('Note à moi-même');
  await expect(page.getByText('Tous les fichiers sont téléversés.')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Vos fichiers sont envoyés' })).toBeVisible();
  await page.getByLabel('Menu principal').getByRole('link', { name: 'Reçus' }).click();
  await expect(page.getByRole('heading', { name: 'Note à moi-même' })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'pour moi.txt' }).click()]);
  expect(download.suggestedFilename()).toBe('pour moi.txt');
  await screenshot(page, 'portal-received');

  // Logging in now asks for the second factor; a recovery code works once.
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await loginWith(page, relais, email, first);
  await page.getByLabel('Code de vérification').fill(codes[0]);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();

  // Forgotten password: the same answer for anyone, a mailed link, a new password.
  await page.goto(`${relais.url()}/login`);
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: 'Envoyer le lien' }).click();
  await expect(page.getByText('Si un compte existe pour cette adresse')).toBeVisible();
  const reset = (await waitForMail(email, /\/reset-password\?token=/)).match(/https?:\/\/\S+\/reset-password\?token=[A-Za-z0-9_-]+/)[0];
  await page.goto(reset);
  const second = 'Un autre mot de passe tout neuf';
  await page.getByLabel(/^Nouveau mot de passe/).fill(second);
  await page.getByLabel('Confirmer le nouveau mot de passe').fill(second);
  await page.getByRole('button', { name: 'Enregistrer le mot de passe' }).click();
  await expect(page.getByText('Votre mot de passe est enregistré.')).toBeVisible();
  await loginWith(page, relais, email, first);
  await expect(page.getByText('Adresse e-mail ou mot de passe incorrect.')).toBeVisible();
  await loginWith(page, relais, email, second);
  await page.getByLabel('Code de vérification').fill(codes[1]);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  await context.close();
});
