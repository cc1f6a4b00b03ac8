// The reseller console and the operator pages, on the platform host: a reseller admin lists and
// creates organisations, changes a plan, reads the usage bars, suspends and resumes; the
// operator creates a reseller and suspends it.
import { expect, login, screenshot, test } from '../support/fixtures.mjs';
import { waitForMail } from '../support/server.mjs';

const suffix = () => Math.random().toString(36).slice(2, 8);

test('a reseller admin creates an organisation, changes its plan, suspends and resumes it', async ({ page, browser, relais }) => {
  const id = suffix();
  const name = `Cabinet Test ${id}`;
  const slug = `cabinet-test-${id}`;
  const adminEmail = `admin-${id}@client.example`;

  await login(page, relais, 'revendeur@demo.example', '');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Organisations' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  const demoRow = page.getByRole('row').filter({ hasText: 'Cabinet Démo' });
  await expect(demoRow).toBeVisible();
  await expect(demoRow.getByText('Active', { exact: true })).toBeVisible();
  await expect(demoRow.getByText('Pro', { exact: true })).toBeVisible();
  await screenshot(page, 'reseller-tenants');

  // Search goes to the API's q parameter.
  await page.getByLabel('Rechercher une organisation').fill('introuvable-xyz');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(page.getByText('Aucune organisation ne correspond à « introuvable-xyz ».')).toBeVisible();
  await expect(demoRow).toHaveCount(0);
  await page.getByLabel('Rechercher une organisation').fill('démo');
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(demoRow).toBeVisible();
  await page.getByRole('button', { name: 'Tout afficher' }).click();
  await expect(demoRow).toBeVisible();

  // Create an organisation with a plan and its first admin, with a generated password.
  await page.getByRole('button', { name: 'Nouvelle organisation' }).click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Créer une organisation' }) });
  await form.getByLabel('Nom de l’organisation').fill(name);
  await expect(form.getByRole('textbox', { name: 'Identifiant', exact: true })).toHaveValue(slug);
  await form.getByRole('combobox', { name: 'Offre', exact: true }).selectOption('essentiel');
  await expect(form.getByText('49,00 € HT (58,80 € TTC, TVA 20 %)')).toBeVisible();
  await form.getByLabel('Nom de l’administrateur').fill('Camille Test');
  await form.getByLabel('Adresse e-mail de l’administrateur').fill(adminEmail);
  await form.getByLabel('Générer un mot de passe, affiché une seule fois').check();
  await screenshot(page, 'reseller-tenant-create');
  await form.getByRole('button', { name: 'Créer l’organisation' }).click();

  await expect(page.getByRole('heading', { name: 'Organisation créée' })).toBeVisible();
  await expect(page.getByText(`L’organisation « ${name} » est créée.`)).toBeVisible();
  await expect(page.getByLabel('Adresse de l’organisation')).toHaveValue(relais.url(slug));
  const passwordField = page.getByLabel(`Mot de passe de ${adminEmail}`);
  await expect(passwordField).toHaveValue(/^\S{16,}$/);
  const adminPassword = await passwordField.inputValue();
  await expect(page.getByText('il ne sera plus affiché')).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: name })).toBeVisible();
  await screenshot(page, 'reseller-tenant-created');

  // A slug taken is said so, on its field.
  await page.getByRole('button', { name: 'Créer une autre organisation' }).click();
  await form.getByLabel('Nom de l’organisation').fill('Autre cabinet');
  await form.getByRole('textbox', { name: 'Identifiant', exact: true }).fill(slug);
  await form.getByRole('combobox', { name: 'Offre', exact: true }).selectOption('essai');
  await form.getByLabel('Nom de l’administrateur').fill('Autre Admin');
  await form.getByLabel('Adresse e-mail de l’administrateur').fill(`autre-${id}@client.example`);
  await form.getByRole('button', { name: 'Créer l’organisation' }).click();
  await expect(form.getByRole('alert')).toHaveText('Cet identifiant est déjà pris : choisissez-en un autre.');
  await form.getByRole('button', { name: 'Annuler' }).click();

  // Its page: details, usage bars, plan.
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText(slug, { exact: true })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Licences : 1 / 5 (20 %)' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Stockage : 0 o \/ 100 Go/ })).toBeVisible();
  await screenshot(page, 'reseller-tenant-detail');

  await page.getByLabel('Nouvelle offre').selectOption('pro');
  await page.getByRole('button', { name: 'Changer d’offre' }).click();
  await expect(page.getByText('L’offre est maintenant « Pro ».')).toBeVisible();
  await expect(page.getByText('Offre actuelle : Pro.')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Licences : 1 / 25 (4 %)' })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Stockage : 0 o \/ 1 To/ })).toBeVisible();

  // Terminating says what it does; cancel.
  await page.getByRole('button', { name: 'Résilier', exact: true }).click();
  const terminate = page.getByRole('dialog');
  await expect(terminate.getByRole('heading', { name: `Résilier définitivement « ${name} » ?` })).toBeVisible();
  await expect(terminate).toContainText('C’est définitif : une organisation résiliée ne revient jamais.');
  await terminate.getByRole('button', { name: 'Annuler' }).click();
  await expect(terminate).toBeHidden();

  // Suspend, with a reason: the organisation's host shows it is suspended.
  await page.getByLabel('Motif de la suspension (facultatif)').fill('Facture F-2026-0042 impayée');
  await page.getByRole('button', { name: 'Suspendre', exact: true }).click();
  const suspend = page.getByRole('dialog');
  await expect(suspend).toContainText('Personne ne pourra plus entrer dans l’organisation');
  await suspend.getByRole('button', { name: 'Suspendre l’organisation' }).click();
  await expect(page.getByText('L’organisation est suspendue.')).toBeVisible();
  await expect(page.getByText('Facture F-2026-0042 impayée')).toBeVisible();
  await expect(page.locator('main .badge').first()).toHaveText('Suspendue');
  await screenshot(page, 'reseller-tenant-suspended');

  const visitor = await browser.newContext();
  const tenantPage = await visitor.newPage();
  await tenantPage.goto(`${relais.url(slug)}/`);
  await expect(tenantPage.getByRole('heading', { name: 'Compte suspendu' })).toBeVisible();

  // Resume: the host lets its admin in again, with the password the creation showed.
  await page.getByRole('button', { name: 'Réactiver', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Réactiver l’organisation' }).click();
  await expect(page.getByText('L’organisation est réactivée.')).toBeVisible();
  await expect(page.locator('main .badge').first()).toHaveText('Active');

  await tenantPage.goto(`${relais.url(slug)}/login`);
  await expect(tenantPage.getByRole('heading', { name: 'Connexion' })).toBeVisible();
  await tenantPage.getByLabel('Adresse e-mail').fill(adminEmail);
  await tenantPage.getByLabel('Mot de passe').fill(adminPassword);
  await tenantPage.getByRole('button', { name: 'Se connecter' }).click();
  await expect(tenantPage.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
  await visitor.close();

  // In English too.
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Lifecycle' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Licences: 1 / 25 (4%)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Change plan' })).toBeVisible();
  await page.getByRole('button', { name: 'FR', exact: true }).click();
});

test('the operator creates a reseller, suspends and resumes it', async ({ page, relais }) => {
  const id = suffix();
  const name = `Revendeur ${id}`;
  const adminEmail = `julie-${id}@revendeur.example`;

  await login(page, relais, 'operateur@relais.example', '');
  await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Revendeurs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Revendeurs' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Revendeur de démonstration' })).toBeVisible();

  await page.getByRole('button', { name: 'Nouveau revendeur' }).click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Créer un revendeur' }) });
  // Blank fields are caught before the server is asked.
  await form.getByRole('button', { name: 'Créer le revendeur' }).click();
  await expect(form.getByRole('alert')).toHaveText('Vérifiez les champs signalés.');
  await expect(form.getByText('Ce champ est obligatoire.').first()).toBeVisible();
  await form.getByLabel('Nom du revendeur').fill(name);
  await form.getByLabel('Adresse e-mail de contact').fill(`contact-${id}@revendeur.example`);
  await form.getByLabel('Nom de l’administrateur').fill('Julie Bernard');
  await form.getByLabel('Adresse e-mail de l’administrateur').fill(adminEmail);
  await form.getByRole('button', { name: 'Créer le revendeur' }).click();

  await expect(page.getByRole('heading', { name: 'Revendeur créé' })).toBeVisible();
  await expect(page.getByText(`Une invitation a été envoyée à ${adminEmail}.`)).toBeVisible();
  await waitForMail(adminEmail, /invitation/i);
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row.getByText('Actif', { exact: true })).toBeVisible();
  await screenshot(page, 'reseller-resellers');

  await row.getByRole('button', { name: 'Suspendre' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading', { name: `Suspendre le revendeur « ${name} » ?` })).toBeVisible();
  await expect(dialog).toContainText('seront suspendues avec lui');
  await dialog.getByRole('button', { name: 'Suspendre le revendeur' }).click();
  await expect(page.getByText(`Le revendeur « ${name} » est suspendu, avec ses organisations actives.`)).toBeVisible();
  await expect(row.getByText('Suspendu', { exact: true })).toBeVisible();
  await screenshot(page, 'reseller-resellers-suspended');

  await row.getByRole('button', { name: 'Réactiver' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Réactiver le revendeur' }).click();
  await expect(row.getByText('Actif', { exact: true })).toBeVisible();

  // The operator sees every reseller's organisations, with their reseller.
  await row.getByRole('link', { name: `Organisations de ${name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Organisations' })).toBeVisible();
  await expect(page.getByLabel('Revendeur', { exact: true })).toHaveValue(/^rs_/);
  await expect(page.getByText('Ce revendeur n’a aucune organisation.')).toBeVisible();
  await page.getByRole('button', { name: 'Tout afficher' }).click();
  const demoRow = page.getByRole('row').filter({ hasText: 'Cabinet Démo' });
  await expect(demoRow.getByText('Revendeur de démonstration')).toBeVisible();
  await screenshot(page, 'reseller-operator-tenants');

  // On a phone the table becomes cards, each value with its column's name.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(demoRow.getByText('Revendeur de démonstration')).toBeVisible();
  await screenshot(page, 'reseller-operator-tenants-phone');
});

test('the operator creates an organisation for a reseller and terminates it; purged, it offers its certificate', async ({ page, relais }) => {
  const id = suffix();
  const name = `Société Fin ${id}`;
  const slug = `societe-fin-${id}`;

  await login(page, relais, 'operateur@relais.example', '');
  await page.goto(`${relais.url('')}/tenants`);
  await page.getByRole('button', { name: 'Nouvelle organisation' }).click();
  const form = page.locator('form', { has: page.getByRole('heading', { name: 'Créer une organisation' }) });
  await form.getByLabel('Nom de l’organisation').fill(name);
  await expect(form.getByRole('textbox', { name: 'Identifiant', exact: true })).toHaveValue(slug);
  // The operator names the reseller: the form says so when it is missing.
  await form.getByRole('combobox', { name: 'Offre', exact: true }).selectOption('essai');
  await form.getByLabel('Nom de l’administrateur').fill('Paul Fin');
  await form.getByLabel('Adresse e-mail de l’administrateur').fill(`paul-${id}@fin.example`);
  await form.getByRole('button', { name: 'Créer l’organisation' }).click();
  await expect(form.getByText('Ce champ est obligatoire.')).toBeVisible();
  await form.getByRole('combobox', { name: 'Revendeur', exact: true }).selectOption({ label: 'Revendeur de démonstration' });
  await form.getByRole('button', { name: 'Créer l’organisation' }).click();
  await expect(page.getByText(`Une invitation a été envoyée à paul-${id}@fin.example.`)).toBeVisible();
  await page.getByRole('link', { name: 'Voir l’organisation' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText('Revendeur de démonstration')).toBeVisible();
  const tenantUrl = page.url();

  await page.getByRole('button', { name: 'Résilier', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Résilier définitivement' }).click();
  await expect(page.getByText('L’organisation est résiliée.')).toBeVisible();
  await expect(page.getByText(/Ses administrateurs peuvent télécharger l’export de ses données jusqu’au \d+ \S+ \d{4}/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Changer d’offre' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Suspendre', exact: true })).toHaveCount(0);
  await screenshot(page, 'reseller-tenant-terminated');

  // The purge (the job's work at the end of the export window), asked of the API directly, from
  // the page (the browser resolves *.localhost itself; Node may not, without /etc/hosts).
  const tenantId = decodeURIComponent(tenantUrl.split('/tenants/')[1]);
  const purged = await page.evaluate(async (id) => {
    const csrf = document.cookie.match(/relais_csrf=([^;]*)/)[1];
    return (await fetch(`/api/v1/tenants/${id}/purge`, { method: 'POST', headers: { 'X-CSRF-Token': csrf } })).status;
  }, tenantId);
  expect(purged).toBe(200);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.locator('main .badge').first()).toHaveText('Supprimée');
  const certificate = page.getByRole('link', { name: 'Télécharger le certificat de suppression' });
  await expect(certificate).toBeVisible();
  const fetched = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return [r.status, (await r.json()).tenant_id];
  }, await certificate.getAttribute('href'));
  expect(fetched).toEqual([200, tenantId]);
  await screenshot(page, 'reseller-tenant-purged');
});
