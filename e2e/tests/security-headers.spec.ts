import { expect, type Page } from '@playwright/test';
import { URLS, staffLogin, test } from './env';

/** Collects CSP violations (DOM events and console reports) and page errors while a test runs. */
async function watchViolations(page: Page) {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|CSP violation|Refused to (execute|load|apply|evaluate)/i.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

test('pages carry a nonce-based CSP, frame-ancestors none, nosniff and the other security headers', async ({ page }) => {
  const res = await page.goto(`${URLS.web}/`);
  const h = res!.headers();
  const csp = h['content-security-policy'];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain('unsafe-eval'); // production build
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("img-src 'self' data: blob:");
  expect(h['x-frame-options']).toBe('DENY');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('strict-origin-when-cross-origin');
  expect(h['permissions-policy']).toContain('camera=()');
  // Next.js put the same nonce on its scripts; a second request gets another one.
  const nonce = csp.match(/'nonce-([^']+)'/)![1];
  expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
  expect(await page.evaluate(() => (document.querySelector('script[nonce]') as HTMLScriptElement).nonce)).toBe(nonce);
  const again = await page.request.get(`${URLS.web}/`);
  expect(again.headers()['content-security-policy']).not.toContain(nonce);
});

test('the staff login page hydrates and logs in under the CSP, without violations', async ({ page }) => {
  const problems = await watchViolations(page);
  await page.goto(`${URLS.web}/staff/login`);
  await staffLogin(page, 'agent01', '/staff');
  await expect(page.getByTestId('staff-name')).toBeVisible();
  expect(problems).toEqual([]);
});

test('the /trpc proxy refuses cross-site mutations and oversized bodies, and answers no-store', async ({ request }) => {
  const url = `${URLS.web}/trpc/auth.passwordLogin`;
  const data = { username: 'agent01', password: 'whatever' };
  const foreign = await request.post(url, { headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, data });
  expect(foreign.status()).toBe(403);
  const body = (await foreign.json()) as { error: { message: string; data: { code: string } } };
  expect(body.error.data.code).toBe('FORBIDDEN');
  expect(body.error.message).toMatch(/请求来源不受信任/);
  // No Origin but the browser says cross-site.
  const noOrigin = await request.post(url, { headers: { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }, data });
  expect(noOrigin.status()).toBe(403);
  // Our own origin reaches the API (and is refused there for the wrong password).
  const own = await request.post(url, { headers: { origin: URLS.web, 'content-type': 'application/json' }, data });
  expect(own.status()).toBe(401);
  expect(own.headers()['cache-control']).toBe('no-store');
  // Bodies above 15 MB never reach the API.
  const huge = await request.post(url, {
    headers: { origin: URLS.web, 'content-type': 'application/json' },
    data: { username: 'x'.repeat(16 * 1024 * 1024), password: 'y' },
  });
  expect(huge.status()).toBe(413);
  expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(/请求内容过大/);
});
