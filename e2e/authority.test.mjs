// Browser test of the park authority's console (§6): the cockpit, drilling down from it to a
// park and one of its enterprises, comparing two parks, running the evaluation and exporting it;
// and an operator who sees its own park's indicators and nothing of other parks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

test('authority: cockpit, drill-down to a park and an enterprise, comparison, evaluation and export', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  const page = await login(browser, parkos.base, 'authority');
  await Promise.all([page.waitForURL(/\/cockpit/), page.click('nav.side a[data-nav="cockpit"]')]);
  const rd = (await page.textContent('#headline-rd_intensity')).trim();
  assert.match(rd, /^\d+\.\d\d/, 'the featured parks\' R&D intensity is a number');
  assert.match(await page.textContent('#headlines'), /为其余园区的 \d+\.\d\d×/, 'each headline gives the multiple over the rest');
  assert.ok(Number(await page.textContent('#tier-key')) >= 1, 'tier counts are shown');
  await page.waitForSelector('#chart-distribution canvas');
  assert.ok(await page.locator('#cockpit-parks tbody tr').count() >= 9, 'every demo park is in the table');
  await check(page, 'authority-cockpit');

  // Drill down: the Life Science Park, then its largest enterprise.
  await Promise.all([page.waitForURL(/\/indicators\?park_id=/), page.locator('#cockpit-parks a', { hasText: '中关村生命科学园' }).click()]);
  assert.match(await page.textContent('#park-indicators'), /地均产出/);
  assert.doesNotMatch(await page.locator('#park-indicators tbody tr', { hasText: '地均产出' }).textContent(), /缺失/, 'land output is known');
  await check(page, 'authority-park-indicators');
  const firm = page.locator('#park-enterprises tbody a').first();
  const firmName = (await firm.textContent()).trim();
  await Promise.all([page.waitForURL(/\/enterprises\/[0-9a-f-]+$/), firm.click()]);
  assert.match(await page.textContent('h1'), new RegExp(firmName.replace(/[()（）]/g, '.')));

  // Compare two parks on every indicator.
  await page.goto(parkos.base + '/indicators');
  await Promise.all([page.waitForURL(/\/indicators\/compare/), page.click('#compare-parks-link')]);
  await page.selectOption('#compare-parks', [{ label: '京西智谷' }, { label: '房山氢能产业园' }]);
  await Promise.all([page.waitForLoadState('load'), page.click('#compare-submit')]);
  const head = await page.textContent('#compare thead');
  assert.match(head, /京西智谷/);
  assert.match(head, /房山氢能产业园/);
  assert.equal(await page.locator('#compare tbody tr', { hasText: '研发投入强度' }).locator('td.num').count(), 2, 'one value per park');
  await check(page, 'authority-compare');

  // Run the evaluation from the featured-park template and export it.
  await Promise.all([page.waitForURL(/\/evaluation$/), page.click('nav.side a[data-nav="evaluation"]')]);
  await Promise.all([page.waitForURL(/\/evaluation\/schemes\//), page.click('#use-featured')]);
  await Promise.all([page.waitForURL(/\/evaluation\/runs\//), page.click('#run-evaluation')]);
  assert.ok(await page.locator('#run-scores tbody tr').count() >= 9, 'every park is scored');
  assert.match(await page.textContent('#run-scores'), /重点打造|储备培育|规划布局/, 'tiers are recommended');
  await check(page, 'authority-evaluation-run');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-run')]);
  assert.match(download.suggestedFilename(), /^evaluation-\d{4}-\d{8}\.xlsx$/);

  // Goals: 昌平's revenue goal is behind with 800 亿 in 2022 … or ahead on later computed actuals.
  await Promise.all([page.waitForURL(/\/goals$/), page.click('nav.side a[data-nav="goals"]')]);
  await Promise.all([page.waitForURL(/\/goals\/[0-9a-f-]+$/), page.locator('#goals a', { hasText: '营业收入' }).click()]);
  assert.equal((await page.textContent('#kpi-required')).trim(), '19.36 %');
  await page.waitForSelector('#chart-goal canvas');
  await check(page, 'authority-goal');
  assert.deepEqual(problems, [], 'no serious accessibility problems');
});

test('operator: its own park\'s indicators, and nothing of other parks', async () => {
  const page = await login(browser, parkos.base, 'operator');
  assert.equal(await page.locator('nav.side a[data-nav="cockpit"]').count(), 0, 'no cockpit for park staff');
  await Promise.all([page.waitForURL(/\/indicators/), page.click('nav.side a[data-nav="indicators"]')]);
  const rows = page.locator('#indicator-values tbody tr');
  assert.equal(await rows.count(), 2, 'the group row and its one park');
  assert.match(await rows.nth(1).textContent(), /北京四季青生命科技园/);
  await shot(page, 'operator-indicators');
  // One quarter: Q2 2026 was filed quarterly and approved in full.
  await page.fill('input[name="year"]', '2026');
  await page.selectOption('select[name="quarter"]', '2');
  await Promise.all([page.waitForLoadState('load'), page.click('form.filters button[type="submit"]')]);
  assert.match(await page.textContent('main h2:below(#definition)'), /2026 年第 2 季度/);
  assert.match(await rows.nth(1).textContent(), /35\/35/, 'every enterprise\'s Q2 is approved');
  await shot(page, 'operator-indicators-quarter');
  const res = await page.goto(parkos.base + '/cockpit');
  assert.ok(res.status() === 200 || res.status() === 403, 'the cockpit shows the operator only its own park');
  if (res.status() === 200) {
    const parks = await page.locator('#cockpit-parks tbody tr').count();
    assert.equal(parks, 1, 'one park in view');
  }
});
