// Playwright fixtures: one relaisd per test file (worker), started before its tests and stopped
// after them; `login(page, email)` logs in through the real login page.
import { test as base, expect } from '@playwright/test';
import { RelaisServer } from './server.mjs';

export const test = base.extend({
  relais: [async ({}, use, workerInfo) => {
    const server = new RelaisServer(`w${workerInfo.workerIndex}`);
    await server.provision();
    await server.start();
    await use(server);
    await server.stop();
    server.cleanup();
  }, { scope: 'worker' }],
});

export { expect };

export async function login(page, relais, email, host = 'demo') {
  await page.goto(`${relais.url(host)}/login`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(relais.password(email));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}

/** A full-page screenshot kept as a test artifact (TEST_SCREENSHOTS, default test-results/screens). */
export async function screenshot(page, name) {
  const dir = process.env.TEST_SCREENSHOTS || 'test-results/screens';
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}
