// Drives the controller's dashboard in headless Chromium (Debian's /usr/bin/chromium through
// playwright-core): the split bar follows a weight change, Abort (confirmed) rolls the rollout
// back, the charts draw; a screenshot is written; any console error fails the run.
// usage: node dashboard.test.mjs CONTROLLER_URL PROXY_ADMIN_URL SCREENSHOT_PATH
// With DASHBOARD_TOKEN set (a controller with controller.token_file), only the token flow runs:
// the page asks for the token, and once it is entered shows the data.
// Exit 0 = passed; otherwise the failing step is printed. Every wait is bounded.
import { chromium } from 'playwright-core';

const [controller, proxyAdmin, screenshot] = process.argv.slice(2);
if (!controller || !proxyAdmin || !screenshot) {
  console.error('usage: node dashboard.test.mjs CONTROLLER_URL PROXY_ADMIN_URL SCREENSHOT_PATH');
  process.exit(2);
}
const CHROMIUM = process.env.SWITCHYARD_CHROMIUM || '/usr/bin/chromium';
const WAIT = 15000;
const card = '.card[data-app="shop"][data-env="test"]';

function step(text) {
  console.log(`[dashboard test] ${text}`);
}

async function call(method, path, body) {
  const response = await fetch(controller + path, {
    method,
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(5000),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function proxySplit() {
  const response = await fetch(`${proxyAdmin}/v1/routes/shop`, { signal: AbortSignal.timeout(5000) });
  const route = await response.json();
  return route.split.map((e) => `${e.version}=${e.weight}`).join(',');
}

// Waits (bounded) until the card's split bar says exactly `split` ("v1=80,v2=20").
async function waitForSplit(page, split) {
  await page.waitForSelector(`${card} .split[data-split="${split}"]`, { timeout: WAIT });
}

// A controller with a token: the page asks for it, then shows the data.
async function tokenFlow(page) {
  step('loading the page of a controller that wants a token');
  await page.goto(controller + '/', { timeout: WAIT });
  await page.waitForSelector('#token-panel:not([hidden])', { timeout: WAIT });
  await page.fill('#token-input', process.env.DASHBOARD_TOKEN);
  await page.click('#token-panel button[type="submit"]');
  await waitForSplit(page, 'v1=100');
  await page.waitForSelector('#token-panel[hidden]', { state: 'attached', timeout: WAIT });
  const stored = await page.evaluate(() => sessionStorage.getItem('switchyard.token'));
  if (stored !== process.env.DASHBOARD_TOKEN) throw new Error('the token is not kept in sessionStorage');
  await page.screenshot({ path: screenshot, fullPage: true });
  step(`screenshot: ${screenshot}`);
  // Chromium reports each 401 before the token was entered as a console error: expected here.
  const unexpected = consoleErrors.filter((text) => !text.includes('401'));
  if (unexpected.length) throw new Error(`console errors: ${unexpected.join(' | ')}`);
  consoleErrors.length = 0;
}

// The split follows the weights; Abort rolls back.
async function rolloutFlow(page, dialogs) {
  step('loading the page');
  const response = await page.goto(controller + '/', { timeout: WAIT });
  if (response.status() !== 200) throw new Error(`GET / answered ${response.status()}`);
  await waitForSplit(page, 'v1=100');

  step('starting a canary rollout of v2');
  const rollout = await call('POST', '/v1/rollouts', { app: 'shop', env: 'test', version: 'v2' });
  await page.waitForSelector(`${card} .rollout h3:has-text("Rollout #${rollout.id}")`, { timeout: WAIT });
  await waitForSplit(page, 'v1=50,v2=50');
  step('the bar shows the first step (v1=50,v2=50)');

  step('changing the weights through the API');
  await call('PUT', '/v1/envs/test/routes/shop/weights', { v1: 80, v2: 20 });
  await waitForSplit(page, 'v1=80,v2=20');
  const segments = await page.locator(`${card} .split-bar .seg`).evaluateAll((nodes) =>
    nodes.map((n) => `${n.dataset.version}:${n.dataset.weight}:${Math.round(parseFloat(n.style.width))}`));
  if (segments.join(' ') !== 'v1:80:80 v2:20:20') throw new Error(`split bar segments: ${segments.join(' ')}`);
  await page.waitForSelector('#timeline li[data-kind="weights_set"]', { timeout: WAIT });
  step('the bar and the timeline show the new weights');

  step('pressing Abort');
  await page.locator(`${card} button[data-action="abort"]`).click({ timeout: WAIT });
  await page.waitForSelector(`${card} .badge[data-field="state"]:has-text("aborted")`, { timeout: WAIT });
  await waitForSplit(page, 'v1=100');
  if (dialogs.length !== 1 || !dialogs[0].startsWith(`Abort rollout #${rollout.id}`)) {
    throw new Error(`expected one confirmation for the abort, saw: ${JSON.stringify(dialogs)}`);
  }
  const split = await proxySplit();
  if (split !== 'v1=100') throw new Error(`the proxy's split after the abort is ${split}`);
  await page.waitForSelector('#timeline li[data-kind="rollout_aborted"]', { timeout: WAIT });
  await page.waitForSelector(`#history tbody tr[data-id="${rollout.id}"]`, { timeout: WAIT });
  step('the rollout shows aborted and the split is back on v1');

  // Traffic runs through the proxy the whole time: v1's request rate is drawn.
  await page.waitForSelector(`${card} .chart[data-metric="rps"] polyline[data-version="v1"]`, { timeout: WAIT });
  await page.waitForSelector('#analytics .tile[data-figure="deployments"]', { timeout: WAIT });
  await page.screenshot({ path: screenshot, fullPage: true });
  step(`screenshot: ${screenshot}`);
}

const consoleErrors = [];
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  // The test runs as root in a container: Chromium's own sandbox cannot start there.
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage'],
  timeout: 30000,
});
let failed = null;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  const dialogs = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.accept();
  });

  if (process.env.DASHBOARD_TOKEN) await tokenFlow(page);
  else await rolloutFlow(page, dialogs);
  if (consoleErrors.length) throw new Error(`console errors: ${consoleErrors.join(' | ')}`);
} catch (error) {
  failed = error;
} finally {
  await browser.close();
}
if (failed) {
  console.error(`[dashboard test] FAILED: ${failed.message}`);
  if (consoleErrors.length) console.error(`[dashboard test] console errors: ${consoleErrors.join(' | ')}`);
  process.exit(1);
}
step('passed');
