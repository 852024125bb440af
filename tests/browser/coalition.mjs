// The coalition's page and week on a phone (issue 16), driven by tests/tests/browser.rs with
// a node NODE_A whose coalition has a busy week (fourteen meals) and open needs. At 360 px:
// axe clean, no sideways scrolling (the layout viewport: clientWidth against scrollWidth),
// the first need within two screens, the picture's names whole, apart and 12 px or more;
// the meals printed fit one A4 without navigation or forms. Prints the heights measured.
import { scenario, person, login, audit, shoot, expect, readablePicture } from './lib.mjs';

const A = process.env.NODE_A;
const measured = {};

async function noSideScroll(page, name) {
  const { client, scroll } = await page.evaluate(() => ({
    client: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth }));
  expect(scroll <= client, `${name}: the page is ${scroll} px wide in a layout viewport of ${client} px`);
}

async function coalitionOnPhone(page, who) {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${A}/coalitie/delfshaven`);
  await audit(page, `coalition-${who}-phone`);
  await noSideScroll(page, `coalition page (${who})`);
  await readablePicture(page, `coalition page (${who})`);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const need = await page.locator('section[aria-labelledby="needs-heading"] li.card').first().boundingBox();
  expect(need, `a need on the page (${who})`);
  measured[`coalition-${who}`] = { height, firstNeedTop: Math.round(need.y) };
  expect(need.y < 1500, `the first need starts at ${need.y} px (${who}), more than two screens down`);
  await shoot(page, `coalition-${who}`);
}

await scenario(async (browser, step) => {
  const visitor = await person(browser);
  await coalitionOnPhone(visitor, 'visitor');
  const coordinator = await person(browser);
  await login(coordinator, A, 'fatima');
  await coalitionOnPhone(coordinator, 'coordinator');
  await coordinator.getByRole('link', { name: /Afspraken, voorstellen en stemmen/ }).click();
  await coordinator.waitForURL(/\/afspraken$/);
  await audit(coordinator, 'coalition-agreements-phone');
  await noSideScroll(coordinator, 'agreements');

  for (const [path, name] of [['week', 'coalition-week'], ['eten', 'coalition-meals']]) {
    await visitor.goto(`${A}/coalitie/delfshaven/${path}`);
    await audit(visitor, `${name}-phone`);
    await noSideScroll(visitor, name);
    await shoot(visitor, name);
  }
  expect((await visitor.locator('.week-day li').count()) === 14, 'the fourteen meals of the week');
  await visitor.getByRole('link', { name: 'Volgende week' }).click();
  await visitor.waitForURL(/van=/);
  expect((await visitor.locator('main').innerText()).includes('geen maaltijden'), 'nothing planned the week after');

  // Printed for a notice board: A4 less 15 mm margins is 180 by 267 mm, 680 by 1009 px.
  await visitor.goBack();
  await visitor.emulateMedia({ media: 'print' });
  await visitor.setViewportSize({ width: 680, height: 1009 });
  const printed = await visitor.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    visibleNav: [...document.querySelectorAll('nav, form, header, footer')].filter((e) => e.getClientRects().length > 0).length,
  }));
  measured['meals-printed'] = printed;
  expect(printed.visibleNav === 0, 'no navigation or forms on paper');
  expect(printed.height <= 1009, `the week of meals is ${printed.height} px printed: more than one A4`);
  await visitor.pdf?.({ path: `${process.env.SCREENSHOTS_DIR}/coalition-meals.pdf`, format: 'A4' }).catch(() => {});

  return { measured };
});
