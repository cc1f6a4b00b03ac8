// The tenant admin console: users (CSV import with a bad line), profiles, modules, journal
// (verify, filter, CSV export), statistics (charts) and settings, as admin@demo.example.
import fs from 'node:fs';
import { expect, login, screenshot, test } from '../support/fixtures.mjs';
import { mailsTo } from '../support/server.mjs';

const ADMIN = 'admin@demo.example';
// The SMTP sink is shared between runs: addresses are unique to this run.
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test('users: a CSV import reports its bad line and creates the good ones', async ({ page, relais }) => {
  await login(page, relais, ADMIN);
  await page.goto(`${relais.url()}/admin/users`);
  await expect(page.getByRole('heading', { level: 1, name: 'Utilisateurs' })).toBeVisible();
  const tabs = page.getByRole('navigation', { name: 'Administration de l’organisation' });
  await expect(tabs.getByRole('link', { name: 'Utilisateurs' })).toHaveAttribute('aria-current', 'page');
  await expect(tabs.getByRole('link', { name: 'Journal' })).not.toHaveAttribute('aria-current', 'page');

  const good1 = `import-${run}-un@example.org`;
  const good2 = `import-${run}-deux@example.org`;
  const csv = [
    'email,name,role,profile',
    `${good1},Import Un ${run},user,`,
    'pas-une-adresse,Ligne Mauvaise,user,',
    `${good2},Import Deux ${run},admin,`,
  ].join('\r\n') + '\r\n';

  await page.getByRole('button', { name: 'Importer un fichier CSV' }).click();
  await page.getByLabel('Fichier CSV').setInputFiles({ name: 'utilisateurs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Importer', exact: true }).click();

  const report = page.getByRole('region', { name: 'Rapport d’import' });
  await expect(report).toBeVisible();
  await expect(report.getByRole('status')).toHaveText(
    '2 compte(s) créé(s), 0 mis à jour, 0 inchangé(s), 1 ligne(s) en erreur.');
  const rows = report.getByRole('row');
  await expect(rows).toHaveCount(4); // the header and three lines
  const bad = rows.filter({ hasText: 'pas-une-adresse' });
  await expect(bad.getByRole('cell').first()).toHaveText('3');
  await expect(bad).toContainText('Erreur');
  await expect(bad).toContainText('Adresse e-mail non valable : « pas-une-adresse ».');
  for (const [line, email] of [['2', good1], ['4', good2]]) {
    const row = rows.filter({ hasText: email });
    await expect(row.getByRole('cell').first()).toHaveText(line);
    await expect(row).toContainText('Importée');
  }

  // The new accounts are in the list, invited; a search finds exactly them.
  const list = page.getByRole('table').last();
  await page.getByLabel('Nom ou adresse e-mail').fill(run);
  await page.getByRole('button', { name: 'Rechercher' }).click();
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list.getByRole('row').filter({ hasText: good1 })).toContainText('Invité');
  await expect(list.getByRole('row').filter({ hasText: good2 })).toContainText('Administrateur');
  await screenshot(page, 'admin-users');

  // Each was invited by mail; an invitation sent again is a second mail.
  await expect.poll(() => mailsTo(good1).filter((m) => /\/invitation\?token=/.test(m)).length).toBe(1);
  await list.getByRole('button', { name: `Modifier Import Un ${run}` }).click();
  await expect(page.getByRole('heading', { name: `Modifier « Import Un ${run} »` })).toBeFocused();
  await page.getByRole('button', { name: 'Renvoyer l’invitation' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Une nouvelle invitation a été envoyée à ${good1}.` })).toBeVisible();
  await expect.poll(() => mailsTo(good1).filter((m) => /\/invitation\?token=/.test(m)).length).toBe(2);

  // Edit: the administrator becomes a user.
  await list.getByRole('button', { name: `Modifier Import Deux ${run}` }).click();
  await page.getByLabel('Rôle').selectOption('user');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Les modifications de ${good2} sont enregistrées.` })).toBeVisible();
  await expect(list.getByRole('row').filter({ hasText: good2 })).toContainText('Utilisateur');

  // Disable one of them from the list, then enable it again.
  const row1 = list.getByRole('row').filter({ hasText: good1 });
  await row1.getByRole('button', { name: `Désactiver Import Un ${run}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Le compte de ${good1} est désactivé.` })).toBeVisible();
  await expect(row1).toContainText('Désactivé');
  await row1.getByRole('button', { name: `Réactiver Import Un ${run}` }).click();
  await expect(row1).toContainText('Invité');

  // Create one by hand; it is invited.
  const typed = `cree-${run}@example.org`;
  await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
  await page.getByRole('textbox', { name: 'Adresse e-mail', exact: true }).fill(typed);
  await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(`Créé ${run}`);
  await page.getByRole('button', { name: 'Créer' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Le compte de ${typed} est créé` })).toBeVisible();
  await expect(list.getByRole('row').filter({ hasText: typed })).toContainText('Invité');
});

test('profiles: a bad IP range is shown on its line, then the profile is created', async ({ page, relais }) => {
  await login(page, relais, ADMIN);
  await page.goto(`${relais.url()}/admin/profiles`);
  await expect(page.getByRole('heading', { level: 1, name: 'Profils' })).toBeVisible();
  const name = `Comptabilité ${run}`;
  await page.getByRole('button', { name: 'Nouveau profil' }).click();
  await page.getByLabel('Nom du profil').fill(name);
  await page.getByLabel('Demandes de dépôt').uncheck();
  await page.getByLabel('Plages d’adresses IP autorisées').fill('192.0.2.0/24\nnimportequoi');
  await page.getByRole('button', { name: 'Créer' }).click();
  await expect(page.getByText("Ligne 2 : 'nimportequoi' is not an IPv4 or IPv6 address or CIDR range")).toBeVisible();
  await page.getByLabel('Plages d’adresses IP autorisées').fill('192.0.2.0/24\n2001:db8::/32');
  await page.getByRole('button', { name: 'Créer' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Le profil « ${name} » est créé.` })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Envoyer des fichiers');
  await expect(row).not.toContainText('Demandes de dépôt');
  await expect(row).toContainText('192.0.2.0/24');
  await expect(row).toContainText('2001:db8::/32');
  await screenshot(page, 'admin-profiles');

  // Edit: a second factor becomes required.
  await row.getByRole('button', { name: `Modifier ${name}` }).click();
  await expect(page.getByLabel('Nom du profil')).toHaveValue(name);
  await page.getByLabel('Exiger la double authentification').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Le profil « ${name} » est enregistré.` })).toBeVisible();
  await expect(row.getByRole('cell').nth(3)).toHaveText('Oui');

  // Delete, after the confirmation.
  await row.getByRole('button', { name: `Supprimer ${name}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Supprimer', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: `Le profil « ${name} » est supprimé.` })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
});

test('modules: turning one off and on again', async ({ page, relais }) => {
  await login(page, relais, ADMIN);
  await page.goto(`${relais.url()}/admin/modules`);
  await expect(page.getByRole('heading', { level: 1, name: 'Modules' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'Personnalisation graphique' });
  await expect(row).toContainText('Activé');
  await row.getByRole('button', { name: 'Désactiver Personnalisation graphique' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Le module « Personnalisation graphique » est désactivé.' })).toBeVisible();
  await expect(row).toContainText('Désactivé');
  await page.reload();
  await expect(page.getByRole('row').filter({ hasText: 'Personnalisation graphique' })).toContainText('Désactivé');
  await page.getByRole('button', { name: 'Activer Personnalisation graphique' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Le module « Personnalisation graphique » est activé.' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Personnalisation graphique' })).toContainText('Activé');
  // A module the plan does not include cannot be turned on.
  const sla = page.getByRole('row').filter({ hasText: 'Engagement de service' });
  await expect(sla).toContainText('Non compris');
  await expect(sla.getByRole('button')).toHaveCount(0);
  await screenshot(page, 'admin-modules');
});

test('journal: verify, filter and export as CSV', async ({ page, relais }) => {
  await login(page, relais, ADMIN);
  await page.goto(`${relais.url()}/admin/journal`);
  await expect(page.getByRole('heading', { level: 1, name: 'Journal' })).toBeVisible();

  // More than a page of entries (50): turn a module off and on 26 times.
  const statuses = await page.evaluate(async () => {
    const csrf = document.cookie.match(/relais_csrf=([^;]*)/)[1];
    const out = new Set();
    for (let i = 0; i < 52; i++) {
      const r = await fetch('/api/v1/admin/modules/branding', {
        method: 'PUT', headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
        body: JSON.stringify({ enabled: i % 2 === 1 }),
      });
      out.add(r.status);
    }
    return [...out];
  });
  expect(statuses).toEqual([200]);
  await page.reload();
  await page.getByRole('button', { name: 'Vérifier' }).click();
  const verified = page.getByRole('status').filter({ hasText: /^Journal intact : \d+ entrées vérifiées, aucune n’a été modifiée ni supprimée\.$/ });
  await expect(verified).toBeVisible();
  expect(Number((await verified.innerText()).match(/(\d+) entrées/)[1])).toBeGreaterThan(52);
  const table = page.getByRole('table');
  const firstIds = async () => Number(await table.getByRole('row').nth(1).getByRole('cell').first().innerText());
  await expect(table.getByRole('row')).toHaveCount(51); // the header and 50 entries
  const page1First = await firstIds();
  await page.getByRole('button', { name: 'Page suivante' }).click();
  await expect(page.getByText('Page 2', { exact: true })).toBeVisible();
  await expect.poll(firstIds).toBeGreaterThan(page1First);
  await page.getByRole('button', { name: 'Page précédente' }).click();
  await expect(page.getByText('Page 1', { exact: true })).toBeVisible();
  await expect.poll(firstIds).toBe(page1First);

  // The seed wrote user.created entries and this login an auth.login one.
  await expect(table.getByRole('row').filter({ hasText: 'user.created' }).first()).toBeVisible();
  await page.getByLabel('Action', { exact: true }).fill('auth.');
  await page.getByLabel('Auteur').fill(ADMIN);
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(table.getByRole('row').filter({ hasText: 'user.created' })).toHaveCount(0);
  await expect(table.getByRole('row').filter({ hasText: 'auth.login' }).first()).toContainText(ADMIN);
  await screenshot(page, 'admin-journal');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Exporter en CSV' }).click();
  const file = await (await download).path();
  const text = fs.readFileSync(file, 'utf8');
  expect(text).toContain('id,at,actor_type,actor_id,actor_email,action');
  expect(text).toContain('"auth.login"');
  expect(text).not.toContain('"user.created"');
});

test('statistics: charts of a transfer, and usage against the plan', async ({ page, relais }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' }); // no animation: the screenshot shows the whole charts
  await login(page, relais, ADMIN);
  // One transfer through the API (from the page: Node does not resolve *.localhost), so that
  // the charts have something to show.
  const base = relais.url();
  const status = await page.evaluate(async (recipient) => {
    const csrf = document.cookie.match(/relais_csrf=([^;]*)/)[1];
    const body = new TextEncoder().encode('Statistiques de test\n');
    const up = await fetch('/api/v1/uploads', {
      method: 'POST',
      headers: {
        'X-CSRF-Token': csrf, 'Tus-Resumable': '1.0.0', 'Upload-Length': String(body.length),
        'Upload-Metadata': `filename ${btoa('bilan.pdf')},filetype ${btoa('application/pdf')}`,
        'Content-Type': 'application/offset+octet-stream',
      },
      body,
    });
    if (up.status !== 201) return `upload ${up.status}`;
    const id = up.headers.get('Location').split('/').pop();
    const tr = await fetch('/api/v1/transfers', {
      method: 'POST',
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ recipients: [recipient], uploads: [id] }),
    });
    return `transfer ${tr.status}`;
  }, `stats-${run}@example.org`);
  expect(status).toBe('transfer 201');

  await page.goto(`${base}/admin/stats`);
  await expect(page.getByRole('heading', { level: 1, name: 'Statistiques' })).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Licences' })).toHaveAttribute('aria-valuetext', /sur 25 licences utilisées/);
  await expect(page.getByRole('meter', { name: 'Stockage' })).toBeVisible();

  const volume = page.getByRole('region', { name: 'Volume dans le temps' });
  const chart = volume.getByRole('img', { name: /Graphique en barres du volume envoyé/ });
  await expect(chart).toBeVisible();
  expect(await chart.evaluate((c) => c.tagName === 'CANVAS' && c.width > 0 && c.height > 0)).toBe(true);
  // Chart.js drew on it: some pixel is not transparent.
  await expect.poll(() => chart.evaluate((c) => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0))).toBe(true);

  const types = page.getByRole('region', { name: 'Types de fichiers' });
  await expect(types.getByRole('img')).toHaveAttribute('aria-label', /application\/pdf/);
  await types.getByText('Données du graphique').click();
  await expect(types.getByRole('row').filter({ hasText: 'application/pdf' })).toBeVisible();
  const senders = page.getByRole('region', { name: 'Principaux expéditeurs' });
  await expect(senders.getByRole('img')).toHaveAttribute('aria-label', /Claire Martin/);
  await senders.getByText('Données du graphique').click();
  await expect(senders.getByRole('row').filter({ hasText: 'Claire Martin' })).toBeVisible();

  // By month, the same transfer is still counted.
  await page.getByLabel('Regrouper par').selectOption('month');
  await page.getByRole('button', { name: 'Afficher' }).click();
  await expect(volume.getByRole('img', { name: /par mois/ })).toBeVisible();
  await screenshot(page, 'admin-stats');
});

test('settings: link lifetimes are checked and saved', async ({ page, relais }) => {
  await login(page, relais, ADMIN);
  await page.goto(`${relais.url()}/admin/settings`);
  await expect(page.getByRole('heading', { level: 1, name: 'Paramètres' })).toBeVisible();
  const def = page.getByLabel('Durée de validité des liens par défaut (jours)');
  const max = page.getByLabel('Durée de validité maximale des liens (jours)');
  await expect(def).toHaveValue('7');
  await def.fill('60');
  await max.fill('30');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByText('La durée par défaut ne peut pas dépasser la durée maximale.')).toBeVisible();
  await def.fill('10');
  await max.fill('60');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Les paramètres sont enregistrés.' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Durée de validité des liens par défaut (jours)')).toHaveValue('10');
  await expect(page.getByLabel('Durée de validité maximale des liens (jours)')).toHaveValue('60');
  await screenshot(page, 'admin-settings');
  // Back to the demo's values, for the tests that share this server.
  await page.getByLabel('Durée de validité des liens par défaut (jours)').fill('7');
  await page.getByLabel('Durée de validité maximale des liens (jours)').fill('30');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Les paramètres sont enregistrés.' })).toBeVisible();
});
