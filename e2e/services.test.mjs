// Browser test of the service desk (§7) as the tenant and the operator: the tenant browses the
// service catalog and reports a repair of one of its units; the operator sees it in the team's
// queue, assigns it, works it and resolves it; the tenant is told at each step (the bell), rates
// the work, and the request is closed with its rating. The operator's report counts it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startParkOS, launchBrowser, login, seriousA11yViolations, shot } from './harness.mjs';

let parkos, browser;
before(async () => { parkos = await startParkOS(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); parkos?.proc.kill(); });

test('tenant reports a repair, the operator assigns and resolves it, the tenant is told and rates it', async () => {
  const problems = [];
  const check = async (page, name) => {
    await shot(page, name);
    for (const v of await seriousA11yViolations(page)) problems.push(`${name}: ${v}`);
  };
  const title = '空调不制冷 ' + Date.now();
  const tenant = await login(browser, parkos.base, 'tenant');
  await Promise.all([tenant.waitForURL(/\/services$/), tenant.click('nav.side a[data-nav="services"]')]);
  assert.match(await tenant.textContent('#system-property'), /物业报修/);
  assert.match(await tenant.textContent('#platform-legal'), /合同审查/);
  await check(tenant, 'tenant-service-catalog');

  await Promise.all([tenant.waitForURL(/\/services\/requests\/new/), tenant.locator('#platform-property a', { hasText: '物业报修' }).click()]);
  await tenant.fill('#f-title', title);
  await tenant.fill('#f-body', '办公室空调开机后只吹热风。');
  await Promise.all([tenant.waitForLoadState('load'), tenant.click('#save')]);
  assert.match(await tenant.textContent('#e-unit_id'), /单元/, 'a repair without its unit is refused at the unit field');
  await check(tenant, 'tenant-repair-refused');
  const unit = await tenant.locator('#f-unit_id option').nth(1).getAttribute('value');
  await tenant.selectOption('#f-unit_id', unit);
  await tenant.fill('#f-title', title);
  await tenant.fill('#f-body', '办公室空调开机后只吹热风。');
  await Promise.all([tenant.waitForURL(/\/services\/requests\/[0-9a-f-]+$/), tenant.click('#save')]);
  const ticketURL = tenant.url();
  assert.match(await tenant.textContent('#ticket-status'), /待处理/);
  assert.match(await tenant.textContent('#ticket-provider'), /物业工程部/, 'routed to the property team');
  await check(tenant, 'tenant-repair-submitted');

  const operator = await login(browser, parkos.base, 'operator');
  await operator.goto(parkos.base + '/services/requests?queue=team');
  await Promise.all([operator.waitForURL(/\/services\/requests\/[0-9a-f-]+$/), operator.locator('table a', { hasText: title }).click()]);
  await check(operator, 'operator-ticket');
  await operator.selectOption('#assignee', 'operator');
  await Promise.all([operator.waitForLoadState('load'), operator.click('#assign')]);
  assert.match(await operator.textContent('#ticket-status'), /已分派/);
  assert.match(await operator.textContent('#ticket-assignee'), /operator/);
  await operator.fill('#comment-body', '压缩机需检查（内部）');
  await operator.check('#comment-internal');
  await Promise.all([operator.waitForLoadState('load'), operator.click('#comment')]);
  await Promise.all([operator.waitForLoadState('load'), operator.click('#start')]);
  await operator.fill('#resolve-note', '已更换压缩机电容');
  await Promise.all([operator.waitForLoadState('load'), operator.click('#resolve')]);
  assert.match(await operator.textContent('#ticket-status'), /已解决/);
  await check(operator, 'operator-ticket-resolved');

  await tenant.goto(ticketURL);
  assert.match(await tenant.textContent('#ticket-status'), /已解决/);
  assert.doesNotMatch(await tenant.textContent('#comments'), /压缩机需检查/, 'the internal note stays with the staff');
  assert.match(await tenant.textContent('#comments'), /已更换压缩机电容/);
  assert.ok(Number(await tenant.textContent('#unread')) >= 2, 'the bell counts the assignment and the resolution');
  await Promise.all([tenant.waitForURL(/\/notifications/), tenant.click('#bell')]);
  const notices = await tenant.textContent('#notifications');
  assert.match(notices, new RegExp('服务请求已分派：' + title));
  assert.match(notices, new RegExp('服务请求已解决：' + title));
  await check(tenant, 'tenant-service-notifications');

  await tenant.goto(ticketURL);
  await tenant.check('#rating-4');
  await tenant.fill('#rating-comment', '响应很快');
  await Promise.all([tenant.waitForLoadState('load'), tenant.click('#rate')]);
  assert.match(await tenant.textContent('#ticket-status'), /已关闭/);
  assert.match(await tenant.textContent('#ticket-rating'), /4 \/ 5/);
  await check(tenant, 'tenant-ticket-rated');

  await operator.goto(parkos.base + '/services/reports?by=platform');
  assert.match(await operator.textContent('#service-report'), /物业服务/);
  await check(operator, 'operator-service-report');
  assert.deepEqual(problems, [], 'no serious accessibility problems');
});
