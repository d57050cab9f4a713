// Browser test of onboarding: the operator exports the park's units as CSV, uploads it with a
// bad cell (refused, every problem listed, nothing written), then corrected (previewed, then
// committed), and the unit shows the change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot, outputDir } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

test('operator exports units, uploads a bad copy then a good one, and commits', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  const page = await login(browser, parkos.base, 'operator');
  await Promise.all([page.waitForURL(/\/onboarding$/), page.click('nav.side a[data-nav="onboarding"]')]);
  await check(page, 'onboarding');

  await page.selectOption('#export-entity', 'units');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export')]);
  const csvPath = `${outputDir}units.csv`;
  await download.saveAs(csvPath);
  const csv = readFileSync(csvPath, 'utf8');
  const lines = csv.trim().split('\n');
  assert.ok(lines.length > 100, `the operator's park has its units in the CSV (${lines.length} lines)`);
  const cells = lines[1].split(',');
  const code = cells[3];
  const note = `导入测试 ${Date.now()}`;
  const lastCol = cells.length - 1; // 备注, the last column

  const bad = [...cells]; bad[5] = '一百'; bad[lastCol] = note;
  writeFileSync(`${outputDir}units-bad.csv`, [lines[0], bad.join(','), ...lines.slice(2)].join('\n'));
  await page.setInputFiles('#upload-file', `${outputDir}units-bad.csv`);
  await Promise.all([page.waitForURL(/\/onboarding\/upload\//), page.click('#upload')]);
  assert.equal(await page.locator('#problems tbody tr').count(), 1, 'one problem');
  assert.match(await page.textContent('#problems tbody tr'), /建筑面积/);
  assert.equal(await page.locator('#commit').count(), 0, 'a refused file cannot be committed');
  await check(page, 'onboarding-refused');

  const good = [...cells]; good[lastCol] = note;
  writeFileSync(`${outputDir}units-good.csv`, [lines[0], good.join(','), ...lines.slice(2)].join('\n'));
  await page.goto(parkos.base + '/onboarding');
  await page.setInputFiles('#upload-file', `${outputDir}units-good.csv`);
  await Promise.all([page.waitForURL(/\/onboarding\/upload\//), page.click('#upload')]);
  const row = page.locator('#counts tbody tr', { hasText: '房源单元' });
  assert.equal((await row.locator('td').nth(1).textContent()).trim(), '1', 'one unit to change');
  assert.equal((await row.locator('td').nth(2).textContent()).trim(), String(lines.length - 2), 'the rest unchanged');
  await check(page, 'onboarding-preview');
  await Promise.all([page.waitForURL(/\/onboarding\?.*imported=1/), page.click('#commit')]);
  assert.match(await page.textContent('#imported'), /修改 1 行/);

  await page.goto(parkos.base + '/units?q=' + encodeURIComponent(code));
  await Promise.all([page.waitForLoadState('load'), page.locator('#list a', { hasText: code }).first().click()]);
  assert.match(await page.textContent('main'), new RegExp(note));
  assert.deepEqual(problems, [], 'no serious accessibility violations');
});
