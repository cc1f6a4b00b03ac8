import { expect, login, test } from '../support/fixtures.mjs';

test('the login page is French, then English on demand', async ({ page, relais }) => {
  await page.goto(`${relais.url()}/login`);
  await expect(page.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await page.getByRole('button', { name: 'EN' }).click();
  await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
  await page.getByRole('button', { name: 'FR' }).click();
  await login(page, relais, 'alice@demo.example');
});
