// Shared by the browser scenarios: launching Debian's Chromium, the axe-core audit,
// screenshots at phone and desktop width, and waiting for federation.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const screenshotDir = process.env.SCREENSHOTS_DIR || 'screenshots';
mkdirSync(screenshotDir, { recursive: true });
const audits = [];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A browser context of one person: Dutch unless said otherwise. axe is injected past the
 * page's CSP (bypassCSP), which the pages themselves never need. */
export async function person(browser, locale = 'nl-NL') {
  const context = await browser.newContext({ locale, bypassCSP: true, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(15000);
  return context.newPage();
}

/** Runs axe-core on the page (serious or critical violations fail the run), then
 * checks that it does not scroll sideways on a 360 px phone. */
export async function audit(page, name) {
  await axe(page, name);
  await fitsPhone(page, name);
}

async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }));
  });
  audits.push({ page: name, url: page.url(), violations: result });
  const bad = result.filter(v => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    throw new Error(`accessibility: ${name} (${page.url()}) has ${bad.length} serious or critical violations: ${JSON.stringify(bad, null, 1)}`);
  }
}

/** The page at 360 x 740 must not scroll sideways: the document's scroll width against the
 * layout viewport (clientWidth), not innerWidth (which grows when a phone zooms out). The
 * widths and the header's height are kept in the report; the widest elements are named. */
async function fitsPhone(page, name) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  const seen = await page.evaluate(() => {
    const root = document.documentElement;
    const header = document.querySelector('header.site');
    const wide = [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
      .map(e => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).split(' ').join('.') : ''} (${Math.round(e.getBoundingClientRect().right)})`)
      .slice(0, 8);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, header: header ? Math.round(header.getBoundingClientRect().height) : 0, wide };
  });
  await page.setViewportSize(before);
  Object.assign(audits[audits.length - 1], { phone: seen });
  console.log(`${name}: ${seen.scrollWidth} px wide at 360, header ${seen.header} px`);
  if (seen.header > 200) {
    throw new Error(`${name}: the header takes ${seen.header} of 740 px on a phone; about a quarter (at most 200) is the aim`);
  }
  if (seen.scrollWidth > seen.clientWidth) {
    throw new Error(`${name} (${page.url()}) scrolls sideways at 360 px: ${seen.scrollWidth} > ${seen.clientWidth}; too wide: ${seen.wide.join(', ')}`);
  }
}

/** Screenshots at desktop and phone width. */
export async function shoot(page, name) {
  const desktop = page.viewportSize();
  await page.screenshot({ path: path.join(screenshotDir, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(screenshotDir, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(desktop);
}

/** Audit and screenshots of a main page. */
export async function mainPage(page, name) {
  await audit(page, name);
  await shoot(page, name);
}

/** Reloads `url` until `check(page)` holds (federation takes a moment), for up to 30 s. */
export async function until(page, url, what, check) {
  const deadline = Date.now() + 30000;
  for (;;) {
    await page.goto(url);
    if (await check(page)) return;
    if (Date.now() > deadline) throw new Error(`waited 30 s for ${what} at ${url}`);
    await page.waitForTimeout(500);
  }
}

/** The names in "who helps whom": inside the picture, not on each other, at least 12 px high on screen. */
export async function readablePicture(page, name, { required = false } = {}) {
  const problems = await page.evaluate(() => {
    const svg = document.querySelector('svg.network-picture');
    if (!svg) return null;
    const box = svg.getBoundingClientRect();
    const scale = svg.getScreenCTM().a;
    const names = [...svg.querySelectorAll('text.name')].map((t) => t.getBoundingClientRect());
    const found = [];
    const size = 14 * scale;
    if (size < 12) found.push(`text is ${size.toFixed(1)} px`);
    names.forEach((r, i) => {
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) found.push(`name ${i} is cut off`);
      names.slice(i + 1).forEach((o, j) => {
        if (r.left < o.right && o.left < r.right && r.top < o.bottom && o.top < r.bottom) found.push(`names ${i} and ${i + j + 1} overlap`);
      });
    });
    return found;
  });
  expect(problems !== null || !required, `${name}: no picture of who helps whom`);
  expect(!problems || problems.length === 0, `${name}: ${(problems || []).join(', ')}`);
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Logs in on the node at `base` (the test's password unless another is given). */
export async function login(page, base, username, password = process.env.PASSWORD) {
  await page.goto(`${base}/inloggen`);
  await page.getByLabel('Gebruikersnaam of e-mailadres').fill(username);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.waitForURL(`${base}/`);
}

/** Runs a scenario, `body(browser, step)`, naming each step as it starts. Prints
 * `{"ok":true, steps, ...what body returns}` for tests/tests/browser.rs, or the failure with
 * the steps done; writes the axe report either way. */
export async function scenario(body) {
  const steps = [];
  const step = (name) => { steps.push(name); console.log(`step: ${name}`); };
  const browser = await launch();
  try {
    const extra = await body(browser, step);
    console.log(JSON.stringify({ ok: true, steps, ...extra }));
  } catch (error) {
    console.error(`FAILED after steps ${JSON.stringify(steps)}: ${error.stack || error}`);
    process.exitCode = 1;
  } finally {
    writeReport();
    await browser.close();
  }
}

function writeReport() {
  writeFileSync(path.join(screenshotDir, 'axe-report.json'), JSON.stringify(audits, null, 1));
}
