// Hostile strings render as text; the pages carry their security headers; unsafe calls without
// the CSRF token are refused.
import { randomBytes } from 'node:crypto';
import { expect, login, test } from '../support/fixtures.mjs';
import { waitForMail } from '../support/server.mjs';

test('a hostile file name and message show as text, nothing runs', async ({ browser, relais }) => {
  const recipient = `xss-${randomBytes(4).toString('hex')}@partenaire.example`;
  const name = '<img src=x onerror=alert(1)>.txt';
  const message = '<script>alert(2)</script> et <b>gras</b>';
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = [];
  context.on('page', (p) => p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); }));
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await login(page, relais, 'alice@demo.example');
  await page.goto(`${relais.url()}/send`);
  await page.getByTestId('file-input').setInputFiles([{ name, mimeType: 'text/plain', buffer: Buffer.from('bonjour') }]);
  await page.getByRole('textbox', { name: 'Destinataires' }).fill(recipient);
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
  await expect(page.getByText('Tous les fichiers sont téléversés.')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Vos fichiers sont envoyés' })).toBeVisible();
  await page.getByRole('link', { name: 'Suivre cet envoi' }).click();
  await expect(page.locator('.message-text')).toHaveText(message);

  const mail = await waitForMail(recipient, /\/d\//);
  const dl = await context.newPage();
  await dl.goto(mail.match(/https?:\/\/\S+\/d\/[A-Za-z0-9_-]+/)[0]);
  await expect(dl.getByTestId('transfer-message')).toHaveText(message);
  const shown = await dl.locator('td.file-name').first().textContent();
  expect(shown).toContain('onerror');           // the name is shown, as text
  await expect(dl.locator('img[src="x"]')).toHaveCount(0);
  await expect(dl.locator('#main script')).toHaveCount(0);
  await expect(dl.locator('#main b')).toHaveCount(0);
  expect(dialogs).toEqual([]);
  await context.close();
});

test('pages forbid framing and inline script; assets are cached for a year', async ({ request, relais }) => {
  // From Node, by address: it may not resolve *.localhost (no /etc/hosts in a bare root); the
  // page shell is the same on every host.
  const base = `http://127.0.0.1:${relais.port}`;
  const page = await request.get(`${base}/d/anything`);
  expect(page.status()).toBe(200);
  const csp = page.headers()['content-security-policy'];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(page.headers()['referrer-policy']).toBe('no-referrer');
  const html = await page.text();
  expect(html).not.toMatch(/<script>(?!<\/script>)/);  // no inline script body
  const asset = html.match(/src="(\/assets\/app-[^"]+\.js)"/)[1];
  const js = await request.get(`${base}${asset}`);
  expect(js.status()).toBe(200);
  expect(js.headers()['cache-control']).toContain('immutable');
  expect((await request.get(`${base}/nowhere-${randomBytes(4).toString('hex')}`)).status()).toBe(404);
});

test('a session cookie without the CSRF header cannot change anything', async ({ page, relais }) => {
  await login(page, relais, 'alice@demo.example');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === 'relais_session');
  expect(session.httpOnly).toBe(true);
  expect(session.sameSite).toBe('Lax');
  const status = await page.evaluate(async () => {
    const r = await fetch('/api/v1/upload-requests', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    return [r.status, (await r.json()).code];
  });
  expect(status).toEqual([403, 'csrf_failed']);
});
