// Browser test of policies and funding (§8) as the authority and as the tenant: the authority
// writes a policy with three conditions in the editor (the rule said in words as it is built),
// publishes it, sees who matches and why, approves an application and sees the totals; the
// tenant finds the industry measure it qualifies for among "policies for you" and applies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

test('the authority writes a policy in the editor, sees who matches and why, approves and totals', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  const authority = await login(browser, parkos.base, 'authority');
  await Promise.all([authority.waitForURL(/\/policies$/), authority.click('nav.side a[data-nav="policies"]')]);
  assert.match(await authority.textContent('#policy-list'), /高质量园区发展资金/);
  await check(authority, 'authority-policies');

  await Promise.all([authority.waitForURL(/\/policies\/new$/), authority.click('#new-policy')]);
  const title = '专精特新人才支持 ' + Date.now();
  await authority.fill('#title', title);
  await authority.fill('#issuer', '中关村科技园区管理委员会');
  await authority.selectOption('#amount_kind', 'fixed');
  await authority.fill('#fixed', '200000');
  // The builder starts with one condition (revenue); add a qualification and a headcount.
  const addCondition = authority.locator('#rule-builder .rb-head button', { hasText: '添加条件' }).first();
  await addCondition.click();
  await authority.locator('#rule-builder .rb-leaf').nth(1).locator('select').first().selectOption('qualification');
  await addCondition.click();
  const third = authority.locator('#rule-builder .rb-leaf').nth(2);
  await third.locator('select').first().selectOption('employees');
  await third.locator('input').fill('20');
  await third.locator('input').dispatchEvent('change');
  // The summary first shows the new condition at its default, 0, then at 20 once the change is read.
  await authority.waitForFunction(() => /从业人员（年末） ≥ 20 人/.test(document.getElementById('rule-zh').textContent));
  const zh = await authority.textContent('#rule-zh');
  assert.match(zh, /营业收入 ≥ 10,000,000\.00 元/);
  assert.match(zh, /国家高新技术企业/);
  assert.match(zh, /从业人员（年末） ≥ 20 人/);
  assert.match(await authority.textContent('#rule-en'), /Employees \(year end\) ≥ 20 people/);
  const rule = JSON.parse(await authority.inputValue('#eligibility'));
  assert.equal(rule.of.length, 3, 'the JSON the form posts holds the three conditions');
  await check(authority, 'authority-policy-editor');

  await Promise.all([authority.waitForURL(/\/policies\/[0-9a-f-]+$/), authority.click('#save-policy')]);
  assert.match(await authority.textContent('#policy-status'), /草稿/);
  await Promise.all([authority.waitForLoadState('load'), authority.click('#publish')]);
  assert.match(await authority.textContent('#policy-status'), /已发布/);
  const matches = await authority.textContent('#match-list');
  assert.match(matches, /有限公司/, 'eligible enterprises are listed');
  assert.match(matches, /取值/, 'each condition says the value it read');
  await authority.locator('#match-list details').first().click();
  await check(authority, 'authority-policy-matches');
  const eligible = Number((await authority.textContent('#uptake-eligible')).replace(/,/g, ''));
  assert.ok(eligible > 0, 'the uptake counts the eligible');

  await authority.goto(parkos.base + '/policy-applications?status=submitted');
  await check(authority, 'authority-applications');
  await Promise.all([authority.waitForURL(/\/policy-applications\/[0-9a-f-]+$/), authority.locator('#application-list a').first().click()]);
  const estimate = await authority.inputValue('#approve-amount');
  await authority.fill('#approve-amount', '1');
  await authority.fill('#approve-reason', '');
  await Promise.all([authority.waitForLoadState('load'), authority.click('#approve')]);
  assert.match(await authority.textContent('#application-error'), /理由|reason/, 'a sum other than the estimate needs a reason');
  await authority.fill('#approve-amount', estimate);
  await Promise.all([authority.waitForLoadState('load'), authority.click('#approve')]);
  assert.match(await authority.textContent('#application-status'), /已核定/);
  await check(authority, 'authority-application-approved');

  await authority.goto(parkos.base + '/policies/totals');
  assert.match(await authority.textContent('#total-approved'), /元/);
  assert.match(await authority.textContent('#totals'), /高质量园区发展资金/);
  await check(authority, 'authority-policy-totals');
  assert.deepEqual(problems, []);
});

test('the tenant finds the policy it qualifies for and applies', async () => {
  const problems = [];
  const tenant = await login(browser, parkos.base, 'tenant');
  await Promise.all([tenant.waitForURL(/\/policies$/), tenant.click('nav.side a[data-nav="policies"]')]);
  assert.match(await tenant.textContent('#for-you'), /中关村高端产业片区产业支持措施/);
  await shot(tenant, 'tenant-policies-for-you');
  for (const v of await seriousA11yViolations(tenant)) problems.push(`for you: ${v}`);
  await Promise.all([tenant.waitForURL(/\/policies\/[0-9a-f-]+$/), tenant.locator('#for-you a', { hasText: '中关村高端产业片区产业支持措施' }).click()]);
  assert.match(await tenant.textContent('#my-outcome'), /符合/);
  assert.match(await tenant.textContent('#my-standing'), /取值/);
  await tenant.fill('#statement', '2025 年研发投入强度 12%，申请产业支持。');
  await Promise.all([tenant.waitForURL(/\/policy-applications\/[0-9a-f-]+$/), tenant.click('#apply-button')]);
  assert.match(await tenant.textContent('#application-status'), /已提交/);
  assert.equal(await tenant.locator('#notes').count(), 0, 'reviewers\' notes are not shown to the applicant');
  await shot(tenant, 'tenant-application');
  for (const v of await seriousA11yViolations(tenant)) problems.push(`application: ${v}`);
  assert.deepEqual(problems, []);
});
