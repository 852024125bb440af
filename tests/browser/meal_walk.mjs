// A weekly meal from start to finish (issue 16), driven by tests/tests/browser.rs with two
// nodes in one coalition: NODE_A (the organiser's) and NODE_B (another member's).
// The organiser creates a meal that comes back every week. A neighbour without an account
// signs up on her phone. The organiser moves one date. The coalition's week on the other
// node shows the new time. Every page on the way gets the axe audit and the 360 px check.
import { scenario, person, login, audit, shoot, until, expect } from './lib.mjs';

const A = process.env.NODE_A;
const B = process.env.NODE_B;
const FIRST = process.env.FIRST_DATE;
const SECOND = process.env.SECOND_DATE;
const TITLE = 'Samen eten op dinsdag';

/** The links to the meal's dates in the node's agenda, in date order. */
async function mealDates(page, base) {
  await page.goto(`${base}/agenda`);
  const links = page.getByRole('link', { name: TITLE });
  const hrefs = [];
  for (let i = 0; i < await links.count(); i += 1) hrefs.push(await links.nth(i).getAttribute('href'));
  return hrefs.map((href) => new URL(href, base).toString());
}

await scenario(async (browser, step) => {
  step('the organiser creates a meal that comes back every week, four times');
  const organiser = await person(browser);
  await login(organiser, A, 'fatima');
  await organiser.goto(`${A}/nieuw/activiteit`);
  await organiser.getByLabel('Initiatief zorgvrijstaat').check();
  await organiser.getByLabel('Titel').fill(TITLE);
  await organiser.getByLabel('Beschrijving').fill('Aanschuiven voor 4 euro, iedereen is welkom.');
  await organiser.getByLabel('Dit is een maaltijd').check();
  await organiser.getByLabel('Datum', { exact: true }).fill(FIRST);
  await organiser.getByLabel('Begintijd').fill('17:30');
  await organiser.getByLabel('Eindtijd').fill('19:30');
  await organiser.getByLabel('Plaats', { exact: true }).fill('Buurthuis De Pijler');
  await organiser.getByLabel('Aantal plaatsen').fill('10');
  await organiser.getByLabel('Elke week').check();
  await organiser.getByLabel('Hoe vaak in totaal').fill('4');
  await audit(organiser, 'walk-new-weekly-meal');
  await organiser.getByRole('button', { name: 'Activiteit plaatsen' }).click();
  await organiser.waitForURL(/gedaan=geplaatst/);
  const dates = await mealDates(organiser, A);
  expect(dates.length === 4, `four dates in the agenda, not ${dates.length}`);
  await audit(organiser, 'walk-agenda-with-series');

  step('a neighbour without an account signs up for the first date on her phone');
  const neighbour = await person(browser);
  await neighbour.setViewportSize({ width: 360, height: 740 });
  await neighbour.goto(dates[0]);
  expect((await neighbour.locator('main').innerText()).includes('dinsdag'), 'the date with its weekday');
  await neighbour.getByRole('link', { name: 'alle datums' }).click();
  const series = await neighbour.locator('main').innerText();
  expect(series.includes('Elke week op dinsdag, 17:30'), `the series in words: ${series}`);
  await audit(neighbour, 'walk-series-phone');
  await neighbour.goto(dates[0]);
  await neighbour.getByLabel('Naam', { exact: true }).fill('Mevrouw Bakker');
  await neighbour.getByLabel('Telefoonnummer').fill('010-7654321');
  await audit(neighbour, 'walk-guest-form-phone');
  await neighbour.getByRole('button', { name: 'Ik kom' }).click();
  await neighbour.waitForURL(/aanmelden-als-gast/);
  const confirmation = await neighbour.locator('main').innerText();
  expect(confirmation.includes(TITLE), 'the confirmation names the meal');
  const cancel = neighbour.locator('a[href*="/activiteit-afmelden/"]');
  expect((await cancel.count()) === 1, 'a link to cancel');
  await audit(neighbour, 'walk-guest-signed-up-phone');
  await shoot(neighbour, 'walk-guest-signed-up');

  step('the organiser sees her on the list, with her phone number');
  await organiser.goto(dates[0]);
  await organiser.getByRole('link', { name: /^Organiseren/ }).click();
  const list = await organiser.locator('section[aria-labelledby="registrants-heading"]').innerText();
  expect(list.includes('Mevrouw Bakker') && list.includes('010-7654321'), `the guest and her number on the list: ${list}`);
  await audit(organiser, 'walk-organise');

  step('the organiser moves the second date half an hour later');
  await organiser.goto(dates[1]);
  await organiser.getByRole('link', { name: /^Organiseren/ }).click();
  await organiser.getByLabel('Begintijd').fill('18:00');
  await organiser.getByLabel('Eindtijd').fill('20:00');
  await organiser.getByRole('button', { name: 'Wijziging opslaan' }).click();
  await organiser.waitForURL(/organiseren/);
  expect((await organiser.getByRole('status').innerText()) === 'Opgeslagen.', 'the move is confirmed, once');
  await organiser.goto(dates[0]);
  expect((await organiser.locator('dl.details').innerText()).includes('17:30'), 'the first date stays at 17:30');

  step('the coalition\'s week on the other node shows the moved date, and the meals page too');
  const resident = await person(browser);
  await resident.setViewportSize({ width: 360, height: 740 });
  const week = `${B}/coalitie/delfshaven/week?van=${SECOND}`;
  await until(resident, week, 'the moved meal in the other node\'s week',
    async (p) => { const text = await p.locator('main').innerText(); return text.includes(TITLE) && text.includes('18:00 tot 20:00'); });
  expect(!(await resident.locator('main').innerText()).includes('17:30 tot 19:30'), 'the old time is gone');
  await audit(resident, 'walk-coalition-week-other-node');
  await shoot(resident, 'walk-coalition-week');
  await resident.goto(`${B}/coalitie/delfshaven/eten?van=${FIRST}`);
  const meals = await resident.locator('main').innerText();
  expect(meals.includes(TITLE) && meals.includes('17:30 tot 19:30'), `the first date among this week's meals: ${meals}`);
  await audit(resident, 'walk-coalition-meals-other-node');

});
