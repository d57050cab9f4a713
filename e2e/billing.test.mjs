// Browser test of receivables (§5) as `finance` and `tenant`: finance runs billing for next
// month, imports a bank statement paying one of the tenant's bills (matched by its account and
// the bill number in the memo) and books it, reads the aging and prints the bill's 缴费通知单
// (page and PDF); the tenant sees the bill paid and the payment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

// The first day of next month in Shanghai, as YYYY-MM-DD.
function nextMonth() {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' });
  const [y, m] = fmt.format(new Date()).split('-').map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

test('finance bills, books a bank statement, reads the aging and prints a notice; the tenant sees it paid', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  const finance = await login(browser, parkos.base, 'finance');
  await Promise.all([finance.waitForURL(/\/billing$/), finance.click('nav.side a[data-nav="billing"]')]);
  await finance.fill('#f-billing_date', nextMonth());
  await finance.check('#f-issue');
  await Promise.all([finance.waitForURL(/\/billing\/bills\?run_id=/), finance.click('#save')]);
  assert.ok(await finance.locator('table tbody tr').count() > 0, 'the run wrote bills');
  await check(finance, 'finance-run-bills');

  const tenant = await login(browser, parkos.base, 'tenant');
  await Promise.all([tenant.waitForURL(/\/billing\/mine$/), tenant.click('nav.side a[data-nav="my_billing"]')]);
  await check(tenant, 'tenant-my-billing');
  const openRow = tenant.locator('#my-bills tbody tr', { hasText: '已开出' }).first();
  const number = (await openRow.locator('td').nth(0).textContent()).trim();
  const owed = (await openRow.locator('td').nth(3).textContent()).replace(/[^0-9.]/g, '');
  assert.match(number, /^ZD-/);
  const entName = (await tenant.textContent('#inv-name') ?? '') || await tenant.inputValue('#inv-name');

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const csv = `交易日期,借方金额,贷方金额,对方户名,对方账号,摘要\n${today},,${owed},${entName},0200 0049 0920 0123 456,缴费 ${number}\n`;
  await finance.goto(parkos.base + '/billing/bank');
  await finance.setInputFiles('#bank-file', { name: 'statement.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await Promise.all([finance.waitForURL(/\/billing\/bank\/[^/]+\?park_id=/), finance.click('#bank-upload')]);
  const row = await finance.textContent('#bank-rows tbody tr');
  assert.match(row, new RegExp(number), 'the row is matched to the bill by its number');
  assert.match(row, /按账号/, 'and to the enterprise by its account');
  await check(finance, 'finance-bank-preview');
  await Promise.all([finance.waitForLoadState('load'), finance.click('#bank-commit')]);
  assert.match(await finance.textContent('#bank-done'), /已入账/);

  await Promise.all([finance.waitForURL(/\/billing\/aging/), finance.click('nav.side a[data-nav="aging"]')]);
  assert.ok(await finance.locator('#aging tbody tr').count() > 0, 'the aging lists enterprises');
  assert.doesNotMatch(await finance.textContent('#aging-overdue'), /^0\.00/, 'someone is overdue in the demo park');
  await check(finance, 'finance-aging');

  await finance.goto(parkos.base + '/billing/bills?status=paid');
  await Promise.all([finance.waitForURL(/\/billing\/bills\/[0-9a-f-]+$/), finance.locator('table a', { hasText: number }).click()]);
  assert.match(await finance.textContent('#bill-status'), /已付清/);
  await Promise.all([finance.waitForURL(/\/notice$/), finance.click('#notice-link')]);
  assert.match(await finance.textContent('#notice'), /缴费通知单/);
  await check(finance, 'finance-notice');
  await finance.emulateMedia({ media: 'print' });
  assert.equal(await finance.locator('nav.side').isVisible(), false, 'the print stylesheet hides the console');
  await shot(finance, 'finance-notice-print');
  const pdf = await finance.request.get(parkos.base + finance.url().replace(parkos.base, '') + '.pdf');
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.ok((await pdf.body()).subarray(0, 5).toString() === '%PDF-', 'a PDF document');

  await tenant.goto(parkos.base + '/billing/mine');
  assert.match(await tenant.locator('#my-bills tbody tr', { hasText: number }).textContent(), /已付清/);
  assert.match(await tenant.textContent('#my-payments'), /银行转账/);
  await check(tenant, 'tenant-bill-paid');
  assert.deepEqual(problems, [], 'no serious accessibility problems');
});
