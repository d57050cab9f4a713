// Browser test of park events (§8): the tenant finds the coming roadshow among the events,
// registers for the open week under way and gets a check-in code with its QR code; at the door the operator types the code
// and the tenant is checked in; the same code a second time is refused. The full training shows
// its waiting list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

test('the tenant registers for the open week and is checked in at the door with its code, once', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  const tenant = await login(browser, parkos.base, 'tenant');
  await Promise.all([tenant.waitForURL(/\/events$/), tenant.click('nav.side a[data-nav="events"]')]);
  assert.match(await tenant.textContent('#event-list'), /细胞与基因治疗项目路演/);
  await check(tenant, 'tenant-events');
  await Promise.all([tenant.waitForURL(/\/events\/[0-9a-f-]+$/), tenant.locator('#event-list a', { hasText: '科技成果开放周' }).click()]);
  const eventURL = tenant.url();
  await Promise.all([tenant.waitForLoadState('load'), tenant.click('#register')]);
  assert.match(await tenant.textContent('#my-registration-status'), /已报名/);
  const code = (await tenant.textContent('#my-code')).trim();
  assert.match(code, /^[2-9A-Z]{8}$/);
  const qr = await tenant.evaluate(() => { const i = document.getElementById('my-qr'); return i.complete && i.naturalWidth; });
  assert.ok(qr > 0, 'the QR code image loads');
  const ics = await tenant.evaluate(async (href) => (await fetch(href)).text(), (await tenant.getAttribute('#my-registration a[href$=".ics"]', 'href')));
  assert.match(ics, /BEGIN:VEVENT/);
  assert.ok(ics.includes(code), 'the calendar entry carries the code');
  await check(tenant, 'tenant-event-registered');

  const operator = await login(browser, parkos.base, 'operator');
  await operator.goto(eventURL);
  await operator.fill('#check-in-code', code.toLowerCase());
  await Promise.all([operator.waitForLoadState('load'), operator.click('#check-in')]);
  assert.match(await operator.textContent('#attendance-figures'), /已签到 1 人/);
  await operator.fill('#check-in-code', code);
  await Promise.all([operator.waitForLoadState('load'), operator.click('#check-in')]);
  assert.match(await operator.textContent('#event-error'), /签到码已使用/);
  await check(operator, 'operator-event-door');

  await tenant.goto(eventURL);
  assert.match(await tenant.textContent('#my-registration'), /签到时间/);

  await operator.goto(parkos.base + '/events');
  await Promise.all([operator.waitForURL(/\/events\/[0-9a-f-]+$/), operator.locator('#event-list a', { hasText: '医疗器械注册申报实务培训' }).click()]);
  assert.match(await operator.textContent('#event-places'), /候补 2 人/);
  assert.deepEqual(problems, []);
});
