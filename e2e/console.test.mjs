// Browser tests of the console in headless Chromium: every demo role signs in and walks its
// pages (with an accessibility check and a screenshot of each), an operator creates and edits a
// unit and meets a Chinese validation message, switches to English and signs out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

const roles = ['admin', 'authority', 'operator', 'tenant'];

for (const role of roles) {
  test(`${role} signs in and walks the main pages`, async () => {
    const page = await login(browser, parkos.base, role);
    assert.doesNotMatch(page.url(), /\/login/, 'still on the login page');
    const links = await page.$$eval('nav.side a', (as) => as.map((a) => ({ name: a.dataset.nav, href: a.getAttribute('href') })));
    assert.ok(links.length >= 2, 'navigation has entries');
    const problems = [];
    for (const { name, href } of links) {
      const res = await page.goto(parkos.base + href);
      assert.equal(res.status(), 200, `${role} ${href}`);
      assert.equal(await page.locator(`nav.side a[data-nav="${name}"]`).getAttribute('aria-current'), 'page', `${href} marks its nav entry`);
      const body = await page.textContent('main');
      assert.doesNotMatch(body, /\[[a-z_]+\.[a-z_.]+\]/, `${href} shows a missing catalog key`);
      await shot(page, `${role}-${name}`);
      for (const v of await seriousA11yViolations(page)) problems.push(`${href}: ${v}`);
    }
    assert.deepEqual(problems, [], 'serious or critical accessibility violations');
    await page.close();
  });
}

test('operator finds every building and unit of 北京四季青生命科技园 from the home page', async () => {
  const page = await login(browser, parkos.base, 'operator');
  await page.click('#park-cards a:has-text("北京四季青生命科技园")');
  await page.waitForSelector('#buildings');
  const buildings = await page.$$eval('#buildings tbody tr', (rows) => rows.length);
  assert.equal(buildings, 6);
  let units = 0;
  for (let i = 1; i <= 6; i++) {
    await page.click(`#buildings tbody tr:nth-child(${i}) td:nth-child(2) a`);
    await page.waitForSelector('.floor');
    units += await page.$$eval('.unit', (us) => us.length);
    if (i === 3) await shot(page, 'operator-building-3');
    await page.goBack();
  }
  assert.ok(units > 150, `found ${units} units`);
  await page.close();
});

test('operator creates and edits a unit, meeting a Chinese validation message', async () => {
  const page = await login(browser, parkos.base, 'operator');
  await page.click('#park-cards a');
  await page.click('#buildings tbody tr:nth-child(5) td:nth-child(2) a');
  await page.click('.floor >> nth=0 >> a[data-new-unit]');
  await page.fill('#f-code', '5-5-599');
  await page.selectOption('#f-kind', 'lab');
  await page.fill('#f-gross_area', '一百');
  await page.fill('#f-usable_area', '80.123');
  await page.click('#save');
  await page.waitForSelector('#form-errors');
  assert.match(await page.textContent('#e-gross_area'), /应为数字/);
  assert.match(await page.textContent('#e-usable_area'), /小数位数过多/);
  assert.equal(await page.getAttribute('#f-gross_area', 'aria-invalid'), 'true');
  await shot(page, 'operator-unit-validation-zh');
  await page.fill('#f-gross_area', '120.5');
  await page.fill('#f-usable_area', '96');
  await page.fill('#f-list_rent', '6.8');
  await page.selectOption('#f-facilities-biosafety_level', 'BSL-2');
  await page.check('#f-facilities-pure_water');
  await Promise.all([page.waitForURL(/\/units\/[0-9a-f-]+$/), page.click('#save')]);
  assert.match(await page.textContent('h1'), /5-5-599/);
  assert.match(await page.textContent('main'), /BSL-2/);
  await page.click('#edit');
  await page.fill('#f-list_rent', '7.25');
  await page.fill('#f-note', '南向，近货梯');
  await Promise.all([page.waitForURL(/\/units\/[0-9a-f-]+$/), page.click('#save')]);
  const main = await page.textContent('main');
  assert.match(main, /7\.25 元\/㎡\/天/);
  assert.match(main, /南向，近货梯/);
  await shot(page, 'operator-unit-edited');
  await page.close();
});

test('operator switches to English, the choice is remembered, then signs out', async () => {
  const page = await login(browser, parkos.base, 'operator');
  await Promise.all([page.waitForLoadState('load'), page.click('#switch-lang')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('nav.side a[data-nav="parks"]'), 'Parks');
  await page.goto(parkos.base + '/units?kind=lab');
  assert.match(await page.textContent('h1'), /Units/);
  await shot(page, 'operator-units-en');
  await page.close();
  const again = await login(browser, parkos.base, 'operator');
  assert.equal(await again.getAttribute('html', 'lang'), 'en', 'language remembered for the user');
  await Promise.all([again.waitForURL(/\/login\?bye=1/), again.click('#logout')]);
  assert.match(await again.textContent('main'), /signed out/);
  await again.goto(parkos.base + '/parks');
  assert.match(again.url(), /\/login\?next=%2Fparks/);
  await again.close();
});

test('a wrong password shows a clear message; tenant cannot open another enterprise', async () => {
  const page = await login(browser, parkos.base, 'tenant', 'wrong');
  assert.match(await page.textContent('#login-error'), /用户名或密码错误/);
  await page.fill('#password', 'demo');
  await Promise.all([page.waitForLoadState('load'), page.click('#login-submit')]);
  assert.match(page.url(), /\/enterprises\//);
  const res = await page.goto(parkos.base + '/enterprises/00000000-0000-0000-0000-000000000000');
  assert.equal(res.status(), 404);
  await page.close();
});

test('operator signs a lease for a vacant unit and sees the unit let, with its charge schedule', async () => {
  const page = await login(browser, parkos.base, 'operator');
  if ((await page.getAttribute('html', 'lang')) === 'en') { // an earlier test chose English
    await Promise.all([page.waitForLoadState('load'), page.click('#switch-lang')]);
  }
  await page.click('#park-cards a');
  await page.click('#buildings tbody tr:nth-child(5) td:nth-child(2) a');
  const vacant = page.locator('.unit:has(.badge.ok)').first();
  const code = (await vacant.locator('a').textContent()).trim();
  const unitHref = await vacant.locator('a').getAttribute('href');
  const unitID = unitHref.split('/').pop();
  const buildingURL = page.url();
  await page.goto(parkos.base + '/contracts/new?unit_id=' + unitID);
  await page.fill('#f-number', 'E2E-001');
  await page.selectOption('#f-enterprise_id', { index: 1 });
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10); // Asia/Shanghai
  const end = `${Number(today.slice(0, 4)) + 3}-12-31`; // a lease runs twenty years at most
  await page.fill('#f-start_on', today);
  await page.fill('#f-end_on', end);
  await page.fill('#f-price', '6.5');
  await page.check('#f-sign');
  await Promise.all([page.waitForURL(/\/contracts\/[0-9a-f-]+$/), page.click('#save')]);
  assert.match(await page.textContent('h1'), /E2E-001/);
  assert.match(await page.textContent('h1'), /生效中/);
  assert.ok(await page.$$eval('#schedule tbody tr', (rows) => rows.length) > 10, 'schedule printed');
  await shot(page, 'operator-contract-signed');
  await page.goto(buildingURL);
  const box = page.locator('.unit', { has: page.locator(`a:text-is("${code}")`) });
  assert.equal(await box.locator('.badge.info').count(), 1, `${code} now shows its tenant`);
  // A second lease of the same unit over the same days is refused with the reason.
  await page.goto(parkos.base + '/contracts/new?unit_id=' + unitID);
  await page.fill('#f-number', 'E2E-002');
  await page.selectOption('#f-enterprise_id', { index: 1 });
  await page.fill('#f-start_on', today);
  await page.fill('#f-end_on', end);
  await page.fill('#f-price', '6.5');
  await page.check('#f-sign');
  await page.click('#save');
  await page.waitForSelector('#form-errors');
  assert.match(await page.textContent('#e-unit_ids'), /E2E-001/);
  await page.close();
});

test('operator takes a lead from first contact to a signed lease and sees the park change', async () => {
  const page = await login(browser, parkos.base, 'operator');
  if ((await page.getAttribute('html', 'lang')) === 'en') {
    await Promise.all([page.waitForLoadState('load'), page.click('#switch-lang')]);
  }
  const problems = [];
  const check = async (name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  await page.click('#park-cards a');
  const parkURL = page.url();
  await page.click('#dashboard');
  await check('operator-dashboard');
  const before = parseFloat(await page.textContent('#kpi-occupancy'));

  // The stack plan today: pick a vacant unit.
  await page.goto(parkURL + '/stack');
  await check('operator-stack');
  const vacant = page.locator('svg.stack-floor a:has(rect.st-vacant)').first();
  // A box opens the unit on the plan's day: /units/ID?on=YYYY-MM-DD.
  const unitID = new URL(await vacant.getAttribute('href'), parkos.base).pathname.split('/').pop();

  // A new lead, moved along the board with its buttons.
  await page.goto(parkos.base + '/leads');
  await page.click('#new-lead');
  await page.fill('#f-company', '远岫生物（演示 E2E）');
  await page.fill('#f-min_area', '100');
  await page.fill('#f-max_area', '400');
  await page.fill('#f-budget', '6.2');
  await Promise.all([page.waitForURL(/\/leads\/[0-9a-f-]+$/), page.click('#save')]);
  const leadURL = page.url();
  await page.goto(parkos.base + '/leads');
  for (const stage of ['已联系', '已看房', '方案报价']) {
    const card = page.locator('article.lead-card', { hasText: '远岫生物（演示 E2E）' });
    await Promise.all([page.waitForLoadState('load'), card.locator('button.move-next').click()]);
    assert.equal(await page.locator(`section.column:has(article.lead-card:has-text("远岫生物")) h2`).textContent().then((t) => t.startsWith(stage)), true, `moved to ${stage}`);
  }
  await check('operator-leads-board');

  // Hold the vacant unit; the stack plan shows it held.
  await page.goto(leadURL);
  await page.selectOption('#hold-unit', unitID);
  const shanghai = (d) => new Date(Date.now() + 8 * 3600e3 + d * 86400e3).toISOString().slice(0, 10);
  await page.fill('#hold-until', shanghai(14));
  await Promise.all([page.waitForLoadState('load'), page.click('#hold')]);
  assert.equal(await page.$$eval('#holds tbody tr', (rows) => rows.length), 1);
  await page.goto(parkURL + '/stack');
  assert.equal(await page.locator(`svg.stack-floor a[href^="/units/${unitID}?"] rect`).getAttribute('class'), 'st-held');

  // Win it: the enterprise and a draft contract come from the lead, then sign.
  await page.goto(leadURL);
  await check('operator-lead');
  await page.fill('#conv-number', 'E2E-LEAD-001');
  await page.fill('#conv-start', shanghai(0));
  await page.fill('#conv-end', shanghai(3 * 365));
  await Promise.all([page.waitForURL(/\/contracts\/[0-9a-f-]+$/), page.click('#convert')]);
  assert.match(await page.textContent('h1'), /草稿/);
  await Promise.all([page.waitForLoadState('load'), page.click('#activate')]);
  assert.match(await page.textContent('h1'), /生效中/);
  await check('operator-contract');

  // The park has changed on the stack plan and the dashboard.
  await page.goto(parkURL + '/stack');
  assert.equal(await page.locator(`svg.stack-floor a[href^="/units/${unitID}?"] rect`).getAttribute('class'), 'st-leased');
  // Its box opens the unit on the plan's day: let, to whom, under which contract, until when.
  await Promise.all([page.waitForLoadState('load'), page.click(`svg.stack-floor a[href^="/units/${unitID}?"]`)]);
  const letting = await page.textContent('#letting');
  assert.match(letting, /在租/);
  assert.match(letting, /远岫生物/);
  await check('operator-unit-on-a-day');
  await page.goto(parkURL + '/dashboard');
  const after = parseFloat(await page.textContent('#kpi-occupancy'));
  assert.ok(after > before, `occupancy ${before}% → ${after}%`);
  assert.deepEqual(problems, [], 'serious or critical accessibility violations');
  await page.close();
});
