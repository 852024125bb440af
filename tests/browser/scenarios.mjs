// End-to-end scenarios of the web pages in Chromium, driven by tests/tests/browser.rs with
// two running nodes: NODE_A (the resident's) and NODE_B (the volunteer's).
// Every main page is audited with axe-core and photographed at phone and desktop width.
import { scenario, person, login, mainPage, audit, shoot, until, expect, readablePicture } from './lib.mjs';

const A = process.env.NODE_A;
const B = process.env.NODE_B;

await scenario(async (browser, step) => {
  step('everyone sees the front page, browse, agenda, login and a missing page');
  const visitor = await person(browser);
  await visitor.goto(`${A}/`);
  expect(await visitor.locator('html').getAttribute('lang') === 'nl', 'Dutch by default');
  await mainPage(visitor, 'front');
  await visitor.goto(`${A}/hulp`);
  await mainPage(visitor, 'browse');
  await visitor.goto(`${A}/agenda`);
  await mainPage(visitor, 'agenda');
  await visitor.goto(`${A}/inloggen`);
  await mainPage(visitor, 'login');
  const missing = await visitor.goto(`${A}/bericht/999999`);
  expect(missing.status() === 404, `a missing post is 404, not ${missing.status()}`);
  await audit(visitor, 'not-found');

  step('a wrong password is refused with a clear message, the name kept');
  await visitor.goto(`${A}/inloggen`);
  await visitor.getByLabel('Gebruikersnaam of e-mailadres').fill('fatima');
  await visitor.getByLabel('Wachtwoord', { exact: true }).fill('niet-het-wachtwoord');
  await visitor.getByRole('button', { name: 'Inloggen' }).click();
  expect(await visitor.getByRole('alert').innerText() === 'De gebruikersnaam of het wachtwoord klopt niet.', 'wrong password message');
  expect(await visitor.getByLabel('Gebruikersnaam of e-mailadres').inputValue() === 'fatima', 'the name is kept');

  step('the coordinator makes an invitation code');
  const coordinator = await person(browser);
  await login(coordinator, A, 'fatima');
  await coordinator.getByRole('link', { name: 'Coördinatie' }).click();
  await coordinator.getByLabel('Voor wie').fill('Truus van de Nieuwe Binnenweg');
  await coordinator.getByRole('button', { name: 'Code maken' }).click();
  const code = (await coordinator.locator('#new-code').innerText()).trim();
  expect(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(code), `an invitation code, not ${code}`);
  await mainPage(coordinator, 'coordinate');

  step('the resident signs up with the code (a mistake first, then right)');
  const resident = await person(browser);
  await resident.goto(`${A}/aanmelden?code=${encodeURIComponent(code.toLowerCase())}`);
  await mainPage(resident, 'signup');
  await resident.getByLabel('Je naam').fill('Truus');
  await resident.getByLabel('Gebruikersnaam', { exact: false }).first().fill('truus');
  await resident.getByLabel('Wachtwoord', { exact: false }).first().fill('een lange zin als wachtwoord');
  await resident.getByLabel('Wachtwoord nog een keer').fill('iets anders');
  await resident.getByRole('button', { name: 'Account maken' }).click();
  expect((await resident.locator('#password_again-error').innerText()).includes('niet gelijk'), 'passwords differ message next to the field');
  expect(await resident.locator('#username').inputValue() === 'truus', 'what was typed is kept');
  await audit(resident, 'signup-with-errors');
  await resident.locator('#password').fill('een lange zin als wachtwoord');
  await resident.locator('#password_again').fill('een lange zin als wachtwoord');
  await resident.getByRole('button', { name: 'Account maken' }).click();
  await resident.waitForURL(/gedaan=welkom/);
  expect((await resident.getByRole('status').innerText()).includes('Welkom'), 'welcomed');

  step('the resident asks for help, with a preview first');
  await resident.getByRole('link', { name: 'Iets plaatsen' }).click();
  await mainPage(resident, 'post-something');
  await resident.getByRole('link', { name: 'Hulp vragen' }).click();
  await mainPage(resident, 'new-need');
  await resident.getByRole('button', { name: 'Hulpvraag plaatsen' }).click();
  expect((await resident.locator('#title-error').innerText()).length > 0, 'an empty title is explained next to the field');
  await resident.getByLabel('Titel').fill('Hulp bij de boodschappen');
  await resident.getByLabel('Beschrijving').fill('Ik kan slecht lopen. Wie doet op donderdag mijn boodschappen?');
  await resident.getByLabel('Categorie').selectOption('boodschappen');
  await resident.locator('#neighbourhood').fill('Oud-Mathenesse');
  expect(await resident.getByLabel(/^Alleen de coördinatoren van mijn initiatief/).isChecked(), 'her own need is for her coordinators unless she chooses');
  await resident.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
  expect((await resident.locator('main').innerText()).includes('Je naam gaat niet verder'), 'the preview says her name stays');
  await resident.getByLabel(/^De initiatieven van de coalitie/).check();
  await resident.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
  expect((await resident.locator('.preview').innerText()).includes('Hulpvraag: Hulp bij de boodschappen'), 'the preview shows the text');
  expect((await resident.locator('main').innerText()).includes('Je naam staat erbij'), 'the preview says who sees it, with her name');
  await shoot(resident, 'new-need-preview');
  await resident.getByRole('button', { name: 'Hulpvraag plaatsen' }).click();
  await resident.waitForURL(/\/bericht\/\d+\?gedaan=geplaatst/);
  const needUrl = resident.url().split('?')[0];
  expect(await resident.getByRole('heading', { level: 1 }).innerText() === 'Hulp bij de boodschappen', 'the need page');
  await mainPage(resident, 'need');

  step('a volunteer on the other node finds the need and responds');
  const volunteer = await person(browser);
  await login(volunteer, B, 'kees');
  await until(volunteer, `${B}/hulp?woorden=boodschappen`, 'the need on the other node',
    async (p) => (await p.getByRole('link', { name: 'Hulp bij de boodschappen' }).count()) > 0);
  await mainPage(volunteer, 'browse-other-node');
  await volunteer.getByRole('link', { name: 'Hulp bij de boodschappen' }).click();
  await volunteer.getByLabel('Je bericht').fill('Ik kan donderdag om 10 uur, ik woon om de hoek.');
  await volunteer.getByRole('button', { name: 'Reactie versturen' }).click();
  await volunteer.waitForURL(/gedaan=gereageerd/);

  step('the resident accepts the response');
  await until(resident, needUrl, 'the response on the need page', async (p) => (await p.getByRole('button', { name: 'Accepteren' }).count()) > 0);
  await audit(resident, 'need-with-response');
  await resident.getByRole('button', { name: 'Accepteren' }).click();
  await resident.waitForURL(/gedaan=geaccepteerd/);

  step('they exchange messages');
  await until(volunteer, `${B}/gesprekken`, 'the conversation on the other node', async (p) => (await p.getByRole('link', { name: 'Truus' }).count()) > 0);
  await mainPage(volunteer, 'conversations');
  await volunteer.getByRole('link', { name: 'Truus' }).click();
  expect((await volunteer.locator('ol.messages').innerText()).includes('fijn dat je reageert'), 'the opening message arrived');
  await volunteer.getByLabel('Schrijf Truus').fill('Tot donderdag om 10 uur!');
  await volunteer.getByRole('button', { name: 'Versturen' }).click();
  await volunteer.waitForURL(/gedaan=verstuurd/);
  await mainPage(volunteer, 'conversation');
  await until(resident, `${A}/gesprekken`, 'the conversation', async (p) => (await p.getByRole('link', { name: 'KEES' }).count()) > 0);
  await resident.getByRole('link', { name: 'KEES' }).click();
  await until(resident, resident.url(), 'the volunteer\'s answer', async (p) => (await p.locator('ol.messages').innerText()).includes('Tot donderdag'));

  step('the coordinator asks for help on behalf of a resident, who stays anonymous');
  await coordinator.goto(`${A}/nieuw/hulpvraag`);
  await coordinator.getByLabel('Initiatief zorgvrijstaat').check();
  await coordinator.getByLabel('Namens een bewoner').fill('mevrouw Jansen');
  await coordinator.getByLabel('Titel').fill('Iemand die mee wil naar het ziekenhuis');
  await coordinator.getByLabel('Categorie').selectOption('vervoer');
  await coordinator.getByRole('button', { name: 'Hulpvraag plaatsen' }).click();
  await coordinator.waitForURL(/gedaan=geplaatst/);
  expect((await coordinator.locator('dl.details').innerText()).includes('Initiatief zorgvrijstaat'), 'posted by the initiative');
  await until(volunteer, `${B}/hulp?woorden=ziekenhuis`, 'the need on the other node',
    async (p) => (await p.getByRole('link', { name: 'Iemand die mee wil naar het ziekenhuis' }).count()) > 0);
  await volunteer.getByRole('link', { name: 'Iemand die mee wil naar het ziekenhuis' }).click();
  expect(!(await volunteer.content()).includes('Jansen'), 'the resident\'s name never leaves the node');

  step('the coordinator posts a meal; the volunteer on the other node signs up and adds it to a calendar');
  await coordinator.getByRole('link', { name: 'Iets plaatsen' }).click();
  await coordinator.getByRole('link', { name: 'Activiteit plaatsen' }).click();
  await mainPage(coordinator, 'new-event');
  await coordinator.getByLabel('Initiatief zorgvrijstaat').check();
  await coordinator.getByLabel('Titel').fill('Soep op zaterdag');
  await coordinator.getByLabel('Datum', { exact: true }).fill(process.env.EVENT_DATE);
  await coordinator.getByLabel('Begintijd').fill('17:30');
  await coordinator.getByLabel('Eindtijd').fill('19:30');
  await coordinator.getByLabel('Plaats', { exact: true }).fill('Buurthuis De Pijler');
  await coordinator.getByLabel('Aantal plaatsen').fill('twaalf');
  await coordinator.getByRole('button', { name: 'Activiteit plaatsen' }).click();
  expect((await coordinator.locator('#capacity-error').innerText()).includes('getal'), 'capacity must be a number, said next to the field');
  expect(await coordinator.getByLabel('Plaats', { exact: true }).inputValue() === 'Buurthuis De Pijler', 'the place is kept');
  await coordinator.getByLabel('Aantal plaatsen').fill('12');
  await coordinator.getByRole('button', { name: 'Activiteit plaatsen' }).click();
  await coordinator.waitForURL(/gedaan=geplaatst/);
  const eventUrl = coordinator.url().split('?')[0];
  await mainPage(coordinator, 'event');
  await until(volunteer, `${B}/agenda`, 'the meal in the other node\'s agenda', async (p) => (await p.getByRole('link', { name: 'Soep op zaterdag' }).count()) > 0);
  await volunteer.getByRole('link', { name: 'Soep op zaterdag' }).click();
  const remoteEventUrl = volunteer.url();
  await volunteer.getByRole('button', { name: 'Ik doe mee' }).click();
  await until(volunteer, remoteEventUrl, 'the organiser\'s answer', async (p) => (await p.getByText('Je doet mee.').count()) > 0);
  await mainPage(volunteer, 'event-joined');
  const download = volunteer.waitForEvent('download');
  await volunteer.getByRole('link', { name: 'Zet in mijn agenda' }).click();
  const ics = await (await download).path();
  const { readFileSync } = await import('node:fs');
  const calendar = readFileSync(ics, 'utf8');
  expect(calendar.includes('BEGIN:VCALENDAR') && calendar.includes('SUMMARY:Soep op zaterdag') && calendar.includes('TZID=Europe/Amsterdam:'), `a calendar file: ${calendar}`);
  await until(coordinator, eventUrl, 'the participant on the organiser\'s page', async (p) => (await p.getByText('KEES').count()) > 0);
  expect((await coordinator.locator('dl.details').innerText()).includes('1 van 12 plaatsen bezet'), 'counted');

  step('the volunteer finds the other neighbourhood by its address');
  await volunteer.goto(`${B}/zoeken`);
  await volunteer.getByLabel('Zoek mensen, buurten of hulp').fill(`@zorgvrijstaat@${new URL(A).host}`);
  await volunteer.getByRole('button', { name: 'Zoeken' }).click();
  await mainPage(volunteer, 'search');
  await volunteer.getByRole('link', { name: 'Initiatief zorgvrijstaat' }).click();
  expect((await volunteer.getByRole('heading', { level: 1 }).innerText()) === 'Initiatief zorgvrijstaat', 'the page of a remote initiative');
  await mainPage(volunteer, 'remote-actor');

  step('the admin sees the failing peer in the federation picture and tries it again');
  await until(coordinator, `${A}/beheer/federatie`, 'the failing peer',
    async (p) => (await p.getByRole('row', { name: /localhost:9 (lukt nu niet|onbereikbaar)/ }).count()) > 0);
  expect((await coordinator.locator('svg title').textContent()).includes('andere servers'), 'the picture has a text alternative');
  expect((await coordinator.locator('svg').innerHTML()).includes('localhost:9'), 'the peer is in the picture');
  await mainPage(coordinator, 'federation');
  await coordinator.getByRole('button', { name: 'Nu opnieuw proberen: localhost:9' }).click();
  await coordinator.waitForURL(/gedaan=opnieuw/);
  expect((await coordinator.getByRole('status').innerText()).includes('opnieuw geprobeerd'), 'the retry is confirmed');

  step('the coordinator shares knowledge: an article with a preview, an edit, its history');
  await coordinator.goto(`${A}/nieuw/artikel`);
  await coordinator.getByLabel('Titel').fill('Zo organiseer je een buurtmaaltijd');
  await coordinator.getByLabel('Tekst', { exact: false }).fill('# Voorbereiding\n\n- Vraag de buurtkeuken\n- Zet het in de agenda\n');
  await coordinator.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
  expect((await coordinator.locator('.preview h1').innerText()) === 'Voorbereiding', 'markdown in the preview');
  await mainPage(coordinator, 'new-article');
  await coordinator.getByRole('button', { name: 'Artikel plaatsen' }).click();
  await coordinator.waitForURL(/gedaan=geplaatst/);
  await mainPage(coordinator, 'article');
  await coordinator.getByRole('link', { name: 'Bewerken' }).click();
  await coordinator.getByLabel('Tekst', { exact: false }).fill('# Voorbereiding\n\n- Vraag de buurtkeuken\n- Zet het in de agenda\n- Nodig de buren persoonlijk uit\n');
  await coordinator.getByLabel('Wat heb je veranderd?').fill('persoonlijk uitnodigen');
  await coordinator.getByRole('button', { name: 'Opslaan' }).click();
  await coordinator.waitForURL(/gedaan=bewerkt/);
  expect((await coordinator.locator('.article').innerText()).includes('Nodig de buren persoonlijk uit'), 'the new version');
  await coordinator.getByRole('link', { name: 'Geschiedenis' }).click();
  expect((await coordinator.locator('main').innerText()).includes('persoonlijk uitnodigen'), 'the history names the change');
  await mainPage(coordinator, 'article-history');
  await coordinator.goto(`${A}/kennis`);
  await mainPage(coordinator, 'knowledge');

  step('the member and coordinator pages pass the audit too');
  await resident.goto(`${A}/meldingen`);
  expect((await resident.locator('main').innerText()).includes('reageerde op je hulpvraag'), 'the response was notified');
  await mainPage(resident, 'notifications');
  await resident.goto(`${A}/mijn-gegevens`);
  await mainPage(resident, 'my-data');
  await coordinator.goto(`${A}/coordinatie/moderatie`);
  await mainPage(coordinator, 'moderation');
  await coordinator.goto(`${A}/beheer/instellingen`);
  await mainPage(coordinator, 'settings');

  step('the coalition the two initiatives formed has its pages');
  await coordinator.goto(`${A}/coalities`);
  await mainPage(coordinator, 'coalitions');
  await coordinator.getByRole('link', { name: 'Welzijnscoalitie Delfshaven' }).first().click();
  const coalition = await coordinator.locator('main').innerText();
  expect(coalition.includes('Wie helpt wie') && coalition.includes('Deze week'), 'the coalition page shows this week and who helps whom');
  expect(coalition.includes('Hulp bij boodschappen') || coalition.includes('Hulpvragen van de leden'), 'and their needs');
  await mainPage(coordinator, 'coalition');

  step('a coordinator gives the resident a link for a new password');
  await coordinator.goto(`${A}/coordinatie`);
  await coordinator.getByRole('button', { name: 'Nieuw wachtwoord voor Truus' }).click();
  const resetLink = await coordinator.locator('#reset-link').getAttribute('href');
  const stranger = await person(browser);
  await stranger.goto(resetLink);
  await mainPage(stranger, 'new-password');
  await stranger.locator('#password').fill('een nieuwe lange zin');
  await stranger.locator('#password_again').fill('een nieuwe lange zin');
  await stranger.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
  await stranger.waitForURL(/gedaan=wachtwoord/);
  await login(stranger, A, 'truus', 'een nieuwe lange zin');

  step('a visitor without an account asks for help on a phone ("Vraag het ons"); the coordinator makes it a need');
  const asker = await person(browser);
  await asker.setViewportSize({ width: 390, height: 844 });
  await asker.goto(`${A}/`);
  await asker.getByRole('link', { name: 'Ik zoek hulp' }).click();
  await asker.waitForURL(/\/vraag-het-ons$/);
  await audit(asker, 'ask-us-phone');
  await asker.getByRole('link', { name: /^Stel je vraag aan/ }).first().click();
  await asker.waitForURL(/\/initiatives\//);
  await audit(asker, 'initiative-phone');
  await shoot(asker, 'initiative');
  await asker.getByLabel('Je naam').fill('Mevrouw Bakker');
  await asker.getByLabel('Hoe bereiken we je?').fill('010-7654321');
  await asker.getByLabel('Je vraag', { exact: false }).fill('Mijn tuin groeit dicht en ik kan niet meer bukken.');
  const sum = (await asker.locator('label[for="answer"]').innerText()).match(/Hoeveel is (\d+) plus (\d+)\?/);
  expect(sum, 'the form asks a sum');
  await asker.locator('#answer').fill(String(Number(sum[1]) + Number(sum[2])));
  await asker.getByRole('button', { name: 'Verstuur mijn vraag' }).click();
  await asker.getByRole('heading', { name: 'Je vraag is verstuurd' }).waitFor();
  expect((await asker.locator('main').innerText()).includes('010-7654321'), 'the thank-you page says how she will be reached');
  await audit(asker, 'asked-phone');
  await shoot(asker, 'asked');
  await coordinator.goto(`${A}/coordinatie`);
  expect((await coordinator.locator('#vragen').innerText()).includes('Mevrouw Bakker'), 'the coordinator reads the question');
  await coordinator.getByRole('link', { name: 'Maak er een hulpvraag van' }).first().click();
  expect(await coordinator.locator('#resident').inputValue() === 'Mevrouw Bakker', 'the need form names the resident');
  await mainPage(coordinator, 'need-from-question');
  await coordinator.getByLabel('Titel').fill('Wie helpt een buurvrouw in de tuin?');
  await coordinator.getByLabel('Categorie').selectOption('tuin');
  await coordinator.locator('#visibility').selectOption('coalition');
  await coordinator.getByRole('button', { name: 'Hulpvraag plaatsen' }).click();
  await coordinator.waitForURL(/gedaan=geplaatst/);
  const gardenUrl = coordinator.url().split('?')[0];

  step('a volunteer on the other node helps; the coordinator marks it helped with hours and thanks');
  await until(volunteer, `${B}/hulp?woorden=tuin`, 'the garden need on the other node',
    async (p) => (await p.getByRole('link', { name: 'Wie helpt een buurvrouw in de tuin?' }).count()) > 0);
  await volunteer.getByRole('link', { name: 'Wie helpt een buurvrouw in de tuin?' }).click();
  expect(!(await volunteer.content()).includes('Bakker'), 'the resident\'s name never leaves the node');
  await volunteer.getByLabel('Je bericht').fill('Ik kom zaterdag met een snoeischaar.');
  await volunteer.getByRole('button', { name: 'Reactie versturen' }).click();
  await volunteer.waitForURL(/gedaan=gereageerd/);
  const gardenAtB = volunteer.url().split('?')[0];
  await until(coordinator, gardenUrl, 'the response on the garden need', async (p) => (await p.getByRole('button', { name: 'Accepteren' }).count()) > 0);
  await coordinator.getByRole('button', { name: 'Accepteren' }).click();
  await coordinator.waitForURL(/gedaan=geaccepteerd/);
  await coordinator.goto(gardenUrl);
  await coordinator.getByLabel('Hoeveel uur is er geholpen?').fill('2,5');
  await coordinator.getByLabel('Een kort bedankje voor wie hielp').fill('De tuin is weer mooi, dank je wel!');
  await coordinator.getByRole('button', { name: 'Ja, er is geholpen' }).click();
  await coordinator.waitForURL(/gedaan=geholpen/);
  expect((await coordinator.locator('dl.details').innerText()).includes('geholpen, 2,5 uur'), 'helped, with the hours');
  await mainPage(coordinator, 'need-helped');
  await until(volunteer, gardenAtB, 'the thanks on the volunteer\'s node',
    async (p) => (await p.locator('main').innerText()).includes('De tuin is weer mooi'));
  await mainPage(volunteer, 'helped-thanks');

  step('who helps whom: the coalition page draws the help between the two initiatives, readable on a phone');
  const phone = await person(browser);
  await phone.setViewportSize({ width: 360, height: 740 });
  await phone.goto(`${A}/coalitie/delfshaven`);
  await readablePicture(phone, 'coalition page after help', { required: true });
  await shoot(phone, 'coalition-with-help');

  step('the figures page counts it, and its CSV opens in a spreadsheet');
  await coordinator.goto(`${A}/initiatives/zorgvrijstaat/cijfers`);
  const figures = await coordinator.locator('main').innerText();
  expect(figures.includes('Uren hulp gegeven') && figures.includes('2,5'), 'the hours are counted');
  expect(!figures.includes('Bakker'), 'no names in the figures');
  await mainPage(coordinator, 'figures');
  const csv = await coordinator.request.get(`${A}/initiatives/zorgvrijstaat/cijfers.csv`);
  expect(csv.headers()['content-type'].startsWith('text/csv'), 'a CSV file');
  const rows = (await csv.text()).trim().split(/\r\n/).map((line) => line.split(','));
  expect(rows[0].join(',') === 'key,label,category,value' && rows.every((r) => r.length === 4), 'every row has four fields');
  expect(rows.some((r) => r[0] === 'hours_given' && r[3] === '2.5'), 'the hours in the CSV');
  await coordinator.goto(`${A}/coordinatie/initiatief/zorgvrijstaat`);
  await mainPage(coordinator, 'initiative-details');

  step('the pages speak English when asked');
  await stranger.getByRole('link', { name: 'English' }).click();
  expect(await stranger.locator('html').getAttribute('lang') === 'en', 'switched to English');
  expect((await stranger.getByRole('navigation', { name: 'My neighbourhood' }).innerText()).includes('Conversations'), 'the menu is in English');
  await stranger.goto(`${A}/`);
  await mainPage(stranger, 'front-english');
  await stranger.getByRole('link', { name: 'Nederlands' }).click();
  expect(await stranger.locator('html').getAttribute('lang') === 'nl', 'and back to Dutch');

});
