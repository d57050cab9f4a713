// Browser test of statistical reporting: the tenant files a quarterly report through a soft
// warning, the operator returns it with a reason, the tenant corrects and resubmits, the operator
// approves, and the period's progress counts it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

const approvedCount = async (page) => Number(await page.locator('#progress tbody tr').first().locator('td').nth(5).textContent());

test('tenant submits a quarterly report through a warning; operator returns it, then approves the resubmission', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };

  const tenant = await login(browser, parkos.base, 'tenant');
  await tenant.click('nav.side a[data-nav="reports"]');
  await Promise.all([tenant.waitForURL(/\/reports\/[0-9a-f-]+$/), tenant.locator('#list a', { hasText: '2026年第3季度' }).first().click()]);
  const reportURL = tenant.url();
  const previous = (await tenant.textContent('#prev-revenue')).trim();
  assert.notEqual(previous, '—', 'the previous quarter is shown beside the field');
  await tenant.fill('#f-revenue', previous);
  await tenant.fill('#f-rd_expense', String(Number(previous.replace(/,/g, '')) + 1));
  await tenant.fill('#f-tax', '12.5');
  await tenant.fill('#f-employees', '45');
  await tenant.fill('#f-rd_staff', '20');
  await tenant.fill('#f-invention_patents_granted', '1');
  await tenant.fill('#f-invention_patents_held', '7');
  await Promise.all([tenant.waitForLoadState('load'), tenant.click('#submit-report')]);
  assert.equal(await tenant.locator('#warnings input[type=checkbox]').count(), 1, 'exactly one soft warning');
  assert.match(await tenant.textContent('#w-rd_expense'), /研发费用高于营业收入/);
  assert.equal((await tenant.textContent('#report-status')).trim(), '草稿', 'an unconfirmed warning does not submit');
  await check(tenant, 'tenant-report-warning');
  await tenant.check('#warnings input[value="rd_above_revenue"]');
  await Promise.all([tenant.waitForLoadState('load'), tenant.click('#submit-report')]);
  assert.equal((await tenant.textContent('#report-status')).trim(), '已提交');
  const company = (await tenant.textContent('h1')).split('·')[0].trim();

  const operator = await login(browser, parkos.base, 'operator');
  await operator.click('nav.side a[data-nav="periods"]');
  await Promise.all([operator.waitForURL(/\/periods\/[0-9a-f-]+$/), operator.locator('#list a', { hasText: '2026年第3季度' }).click()]);
  const periodURL = operator.url();
  const approvedBefore = await approvedCount(operator);
  await check(operator, 'operator-period-progress');
  await Promise.all([operator.waitForURL(reportURL), operator.locator('#period-reports a', { hasText: company }).click()]);
  await operator.fill('#return-reason-input', '研发费用请按加计扣除口径重新核对');
  await Promise.all([operator.waitForLoadState('load'), operator.click('#return')]);
  assert.equal((await operator.textContent('#report-status')).trim(), '已退回');

  await tenant.goto(reportURL);
  assert.match(await tenant.textContent('#return-reason'), /加计扣除口径/);
  await tenant.fill('#f-rd_expense', '3');
  await Promise.all([tenant.waitForLoadState('load'), tenant.click('#submit-report')]);
  assert.equal((await tenant.textContent('#report-status')).trim(), '已提交', 'the corrected report submits without warnings');
  await check(tenant, 'tenant-report-resubmitted');

  await operator.goto(reportURL);
  await Promise.all([operator.waitForLoadState('load'), operator.click('#approve')]);
  assert.equal((await operator.textContent('#report-status')).trim(), '已审核');
  assert.equal(await operator.locator('#report-form').count(), 0, 'an approved report has no form');
  await operator.goto(periodURL);
  assert.equal(await approvedCount(operator), approvedBefore + 1, 'progress counts the approval');

  await tenant.goto(reportURL);
  assert.equal(await tenant.locator('#report-form').count(), 0, 'the tenant can no longer edit it');
  assert.deepEqual(problems, [], 'serious or critical accessibility violations');
  await tenant.close();
  await operator.close();
});
