// Accessibility and phones: axe-core (WCAG 2.1 A and AA rules, contrast included) finds no
// serious or critical violation on the main pages, in French and in English; the keyboard
// reaches the login form in order; on a phone's width no page scrolls sideways.
import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import { expect, login, screenshot, test } from '../support/fixtures.mjs';

async function violations(page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(result.passes.length).toBeGreaterThan(10);  // it did look at the page
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function noSidewaysScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

/** A transfer made through the page; returns the sender's link. */
async function aTransfer(page, relais) {
  await page.goto(`${relais.url()}/send`);
  await page.getByTestId('file-input').setInputFiles([{ name: 'compte rendu.pdf', mimeType: 'application/pdf', buffer: randomBytes(2048) }]);
  await page.getByRole('textbox', { name: 'Destinataires' }).fill(`a11y-${randomBytes(4).toString('hex')}@partenaire.example`);
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Bonne lecture.');
  await expect(page.getByText('Tous les fichiers sont téléversés.')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
  return page.getByLabel('Lien de téléchargement').inputValue();
}

test('the main pages have no serious accessibility violation, in French and in English', async ({ browser, relais }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${relais.url()}/login`);
  expect(await violations(page)).toEqual([]);
  await login(page, relais, 'alice@demo.example');
  const link = await aTransfer(page, relais);
  for (const path of ['/send', '/sent', '/requests', '/received', '/account']) {
    await page.goto(`${relais.url()}${path}`);
    await expect(page.locator('h1')).toBeVisible();
    await expect(page.locator('.loading')).toHaveCount(0);
    expect(await violations(page), path).toEqual([]);
  }
  await page.getByLabel('Menu principal').getByRole('link', { name: 'Mes envois' }).click();
  await page.locator('table a').first().click();
  await expect(page.getByRole('heading', { name: 'Activité' })).toBeVisible();
  expect(await violations(page), 'sent detail').toEqual([]);

  const guest = await browser.newContext();
  const dl = await guest.newPage();
  await dl.goto(link);
  await expect(dl.getByText('Bonne lecture.')).toBeVisible();
  expect(await violations(dl), 'download page').toEqual([]);
  await dl.getByRole('button', { name: 'EN' }).click();
  await expect(dl.getByRole('link', { name: 'Download all (ZIP)' })).toBeVisible();
  expect(await violations(dl), 'download page, English').toEqual([]);
  await guest.close();

  const admin = await context.newPage();
  await context.clearCookies();
  await login(admin, relais, 'admin@demo.example');
  for (const path of ['/admin/users', '/admin/journal', '/admin/stats']) {
    await admin.goto(`${relais.url()}${path}`);
    await expect(admin.locator('h1')).toBeVisible();
    await expect(admin.locator('.loading')).toHaveCount(0);
    expect(await violations(admin), path).toEqual([]);
  }
  await context.clearCookies();
  await login(admin, relais, 'revendeur@demo.example', '');
  await admin.goto(`${relais.url('')}/tenants`);
  await expect(admin.getByRole('link', { name: 'Cabinet Démo' })).toBeVisible();
  expect(await violations(admin), '/tenants').toEqual([]);
  await context.close();
});

test('the keyboard reaches the login form in order, and the skip link jumps to the content', async ({ page, relais }) => {
  await page.goto(`${relais.url()}/login`);
  // A page opens with its title focused, so that a screen reader says where it is.
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeFocused();
  const order = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    order.push(await page.evaluate(() => {
      const el = document.activeElement;
      return (el.labels?.[0]?.textContent || el.textContent).replace(/\s*\*$/, '');
    }));
  }
  expect(order).toEqual(['Adresse e-mail', 'Mot de passe', 'Mot de passe oublié ?', 'Se connecter']);
  // The skip link comes first in the page, and leads past the header.
  expect(await page.evaluate(() => document.querySelector('a[href], button, input')?.textContent)).toBe('Aller au contenu');
  await page.getByRole('link', { name: 'Aller au contenu' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
  await page.getByLabel('Adresse e-mail').fill('alice@demo.example');
  await page.getByLabel('Mot de passe').fill(relais.password('alice@demo.example'));
  await page.keyboard.press('Enter');  // submits from the keyboard
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
});

test('on a phone, pages fit the screen', async ({ browser, relais }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${relais.url()}/login`);
  expect(await noSidewaysScroll(page)).toBe(true);
  await login(page, relais, 'alice@demo.example');
  const link = await aTransfer(page, relais);
  for (const path of ['/send', '/sent', '/requests', '/account']) {
    await page.goto(`${relais.url()}${path}`);
    await expect(page.locator('h1')).toBeVisible();
    expect(await noSidewaysScroll(page), path).toBe(true);
  }
  await screenshot(page, 'phone-account');
  await page.goto(link);
  await expect(page.getByText('Bonne lecture.')).toBeVisible();
  expect(await noSidewaysScroll(page), 'download page').toBe(true);
  await screenshot(page, 'phone-download');
  await context.close();
});
