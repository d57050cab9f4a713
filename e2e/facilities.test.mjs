// Browser test of shared facilities (§7) as the tenant and the operator: the tenant finds the
// P2 lab, is refused without a training certificate, the operator issues one, the tenant books a
// free slot, the operator approves it, and the tenant's calendar feed — parsed with ical.js, an
// independent iCalendar parser — holds the booking at its Shanghai time; the approval arrives in
// the tenant's notifications.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

// A weekday at least two days ahead, in Shanghai, as YYYY-MM-DD.
function bookingDay() {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' });
  for (let d = 2; ; d++) {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(Date.now() + d * 86400000)).map((p) => [p.type, p.value]));
    if (parts.weekday !== 'Sat' && parts.weekday !== 'Sun' && !(parts.month === '01' && parts.day === '01')) return `${parts.year}-${parts.month}-${parts.day}`;
  }
}

test('tenant books the P2 lab after the operator certifies it, and sees the booking in its calendar feed', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  const day = bookingDay();
  const tenant = await login(browser, parkos.base, 'tenant');
  await Promise.all([tenant.waitForURL(/\/facilities$/), tenant.click('nav.side a[data-nav="facilities"]')]);
  await Promise.all([tenant.waitForURL(/\/facilities\/[0-9a-f-]+/), tenant.locator('#resources a', { hasText: 'P2 实验室 A 间' }).click()]);
  await tenant.goto(tenant.url().split('?')[0] + '?day=' + day);
  assert.ok(await tenant.locator('#week .slot.free').count() > 0, 'the week shows free slots');
  await check(tenant, 'tenant-resource-week');
  const book = async () => {
    await tenant.fill('#book-date', day);
    await tenant.fill('#book-from', '14:00');
    await tenant.fill('#book-to', '15:00');
    await Promise.all([tenant.waitForLoadState('load'), tenant.click('#book-submit')]);
  };
  await book();
  assert.match(await tenant.textContent('#booking-error'), /培训合格证/, 'refused without a certificate, naming it');
  await check(tenant, 'tenant-refused-certificate');

  const operator = await login(browser, parkos.base, 'operator');
  await operator.goto(parkos.base + '/facilities/certificates');
  await operator.fill('#cert-user', 'tenant');
  await operator.fill('#cert-kind', 'p2');
  await operator.fill('#cert-issued', '2026-01-01');
  await operator.fill('#cert-expires', '2030-12-31');
  await Promise.all([operator.waitForLoadState('load'), operator.click('#issue-submit')]);
  assert.match(await operator.textContent('#certificates'), /tenant/);
  await check(operator, 'operator-certificates');

  await tenant.goBack();
  await book();
  await tenant.waitForURL(/\/bookings/);
  assert.match(await tenant.textContent('#booked'), /已预约 1 次/);
  assert.match(await tenant.locator('#bookings tbody tr', { hasText: 'P2 实验室 A 间' }).first().textContent(), /待审批/);

  await operator.goto(parkos.base + '/bookings');
  const row = operator.locator('#bookings tbody tr', { hasText: day + ' 14:00' });
  await Promise.all([operator.waitForLoadState('load'), row.locator('button', { hasText: '批准' }).click()]);
  assert.match(await operator.locator('#bookings tbody tr', { hasText: day + ' 14:00' }).textContent(), /已确认/);
  await check(operator, 'operator-bookings');

  await tenant.goto(parkos.base + '/bookings');
  assert.ok(Number(await tenant.textContent('#unread')) >= 2, 'the bell counts the certificate and the approval');
  await Promise.all([tenant.waitForURL(/\/notifications/), tenant.click('#bell')]);
  assert.match(await tenant.textContent('#notifications'), /预约已批准：P2 实验室 A 间/);
  await check(tenant, 'tenant-notifications');
  await tenant.goto(parkos.base + '/bookings');
  await Promise.all([tenant.waitForLoadState('load'), tenant.click('#new-feed')]);
  const url = (await tenant.textContent('#feed-url')).trim();
  await check(tenant, 'tenant-bookings-feed');
  const res = await fetch(url); // no session: the address is the credential
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/calendar/);
  const cal = new ICAL.Component(ICAL.parse(await res.text()));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  const lab = events.find((e) => e.summary === 'P2 实验室 A 间' && e.startDate.toString().startsWith(day));
  assert.ok(lab, 'the feed holds the lab booking on its day');
  assert.equal(lab.startDate.hour, 14, 'it starts at 14:00 Shanghai time');
  assert.equal(lab.endDate.hour, 15);
  assert.equal(lab.component.getFirstProperty('dtstart').getParameter('tzid'), 'Asia/Shanghai');
  const [y, m, d] = day.split('-').map(Number);
  assert.equal(lab.startDate.toJSDate().getTime(), Date.UTC(y, m - 1, d, 14 - 8), 'the instant is 14:00 at UTC+8');
  assert.equal(lab.component.getFirstPropertyValue('status'), 'CONFIRMED');
  assert.deepEqual(problems, [], 'no serious accessibility problems');
});
