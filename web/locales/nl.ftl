# Buurtnet: Nederlandse teksten (standaardtaal). Houd en.ftl gelijk: een test vergelijkt de sleutels.

## Kader
skip-to-content = Naar de inhoud
nav-label = Hoofdmenu
nav-home = Start
nav-help = Hulpvragen en aanbod
nav-agenda = Agenda
nav-ask = Hulp vragen
nav-offer = Hulp aanbieden
nav-coordinate = Coördinatie
nav-login = Inloggen
nav-logout = Uitloggen
nav-signup = Aanmelden
other-language = English
other-language-code = en
footer-text = Buurtnet is van de bewoners en initiatieven die het samen draaien. Wat je openbaar plaatst, kunnen ook andere buurten zien.
back-home = Terug naar de startpagina
by = door

## Meldingen na een formulier
notice-geplaatst = Je bericht staat erop.
notice-gereageerd = Je reactie is verstuurd. Je hoort het als er antwoord is.
notice-goedgekeurd = De aanmelding is goedgekeurd.
notice-uitgelogd = Je bent uitgelogd.
notice-welkom = Welkom! Je account is klaar en je bent ingelogd.
notice-geaccepteerd = Je hebt de reactie geaccepteerd. Jullie kunnen nu met elkaar afspreken.
notice-afgewezen = Je hebt de reactie afgewezen.

## Fouten
error-not-found = Niet gevonden
error-not-found-text = Deze pagina bestaat niet (meer), of je mag hem niet zien.
error-gone = Verwijderd
error-gone-text = Dit bericht is verwijderd.
error-forbidden = Dat mag hier niet
error-forbidden-text = Je hebt hier geen toestemming voor, of het formulier was te lang open. Ga terug, laad de pagina opnieuw en probeer het nog eens.
error-bad-request = Dat lukte niet
error-ours = Er ging iets mis
error-ours-text = Er ging iets mis aan onze kant. Probeer het later nog eens.
error-ours-short = Er ging iets mis aan onze kant.
api-too-many = Te veel verzoeken; probeer het over { $seconds } s opnieuw
error-full = Er kon niets bewaard worden
error-full-text = De opslag van deze website is vol, dus er kon niets bewaard worden. Probeer het later nog eens. Blijft het zo, laat het dan de beheerder weten.

## Startpagina
front-title = Start
front-heading = Welkom bij { $site }
front-intro = Hier vragen en bieden buren elkaar hulp, en vind je de volgende gezamenlijke maaltijd of ontmoeting.
cta-ask = Ik zoek hulp
cta-offer = Ik wil helpen
front-needs = Hulpvragen
front-no-needs = Er staan nu geen open hulpvragen.
front-all-needs = Alle hulpvragen
front-offers = Hulpaanbod
front-no-offers = Er is nu geen open hulpaanbod.
front-all-offers = Al het hulpaanbod
front-events = Binnenkort
front-no-events = Er staan geen activiteiten in de agenda.
front-all-events = De hele agenda
front-news = Nieuws uit de buurt
front-initiatives = Initiatieven in deze buurt
front-no-initiatives = Nog geen initiatieven.
kind-need = Hulpvraag
kind-offer = Hulpaanbod
kind-needs = Hulpvragen
kind-offers = Hulpaanbod

## Zoeken en filteren
browse-title = Hulpvragen en aanbod
browse-filter = Filter
browse-kind = Soort
browse-kind-all = Alles
browse-category-all = Alle categorieën
browse-words = Woorden
browse-show = Tonen
browse-results = { $count ->
    [0] Niets gevonden
    [one] 1 gevonden
   *[other] { $count } gevonden
}
browse-offer-instead = Staat er niets bij wat jij kunt doen?
browse-offer-instead-link = Zet zelf neer wat je wilt aanbieden
browse-none = Probeer het met minder filters.

## Agenda
agenda-title = Agenda
agenda-intro = Maaltijden, ontmoetingen en activiteiten van de initiatieven hier en van de buurten die ze volgen.
calendar-feed = Agenda (iCal)
calendar-subscribe = Agenda in je eigen agenda-app zetten (iCal)

## Inloggen en aanmelden
login-title = Inloggen
login-submit = Inloggen
login-wrong = De gebruikersnaam of het wachtwoord klopt niet.
login-waiting = Je aanmelding wacht nog op goedkeuring door een coördinator.
login-too-many = Te veel pogingen achter elkaar. Wacht even en probeer het dan opnieuw.
login-forgot = Wachtwoord vergeten? Vraag een coördinator van je initiatief om een nieuw.
login-no-account = Nog geen account? Meld je aan.
signup-title = Aanmelden
signup-intro-invitation = Met de code die je van een coördinator kreeg maak je hier een account.
signup-intro-approval = Vertel kort wie je bent; een coördinator keurt je aanmelding goed. Heb je een code? Dan kun je meteen beginnen.
signup-closed = Aanmelden kan hier nu niet. Vraag een coördinator.
signup-code-needed = Vul de code in die je van een coördinator kreeg.
signup-passwords-differ = De twee wachtwoorden zijn niet gelijk.
signup-waiting = Dank je! Een coördinator bekijkt je aanmelding. Daarna kun je inloggen.
signup-submit = Account maken
field-code = Uitnodigingscode
field-code-optional = (als je er een hebt)
field-application = Wie ben je?
field-application-hint = Bijvoorbeeld: waar je woont en hoe je ons kent.
field-display-name = Je naam
field-display-name-hint = Zoals anderen je zien. Alleen je voornaam mag ook.
field-username = Gebruikersnaam
field-username-hint = Kleine letters, cijfers en _; hiermee log je in.
field-username-or-email = Gebruikersnaam of e-mailadres
field-email = E-mailadres
field-email-hint = Niet verplicht.
field-password = Wachtwoord
field-password-hint = Minstens 8 tekens. Een zin van een paar woorden is goed te onthouden.
field-password-again = Wachtwoord nog een keer

## Hulp vragen en aanbieden
new-need-title = Hulp vragen
new-offer-title = Hulp aanbieden
new-need-intro = Iedereen heeft wel eens hulp nodig. Beschrijf wat je zoekt; je kunt eerst een voorbeeld bekijken.
new-offer-intro = Beschrijf wat je wilt doen voor je buren; je kunt eerst een voorbeeld bekijken.
field-post-as = Plaatsen als
post-as-myself = Mijzelf
field-resident = Namens een bewoner
field-resident-hint = Alleen voor coördinatoren. De naam blijft hier; anderen zien alleen het initiatief.
field-title = Titel
field-title-hint-need = Kort: waar zoek je hulp bij?
field-title-hint-offer = Kort: wat bied je aan?
field-description = Beschrijving
field-description-hint = Niet verplicht. Zet hier geen adres of telefoonnummer.
field-category = Categorie
field-category-choose = Kies een categorie
field-neighbourhood = Buurt
field-neighbourhood-hint = Niet verplicht, bijvoorbeeld Oud-Mathenesse.
field-when = Wanneer
when-flexible-choice = In overleg
when-on-choice = Op één dag
when-between-choice = In een periode
field-date-from = Datum (of eerste dag)
field-date-to = Laatste dag (bij een periode)
field-visibility = Wie mag het zien?
visibility-default-need = Zoals het initiatief het heeft ingesteld
visibility-default-offer = Iedereen
visibility-public = Iedereen
visibility-coalition = De initiatieven waar we mee samenwerken
visibility-followers = Alleen wie ons volgt
visibility-local = Alleen wie hier bij ons meedoet
form-preview = Voorbeeld bekijken
form-publish-need = Hulpvraag plaatsen
form-publish-offer = Aanbod plaatsen
form-check-fields = Bijna goed: kijk bij de velden hieronder wat er nog moet.
form-date-needed = Kies een datum.
form-dates-needed = Kies een eerste en een laatste dag.
preview-heading = Voorbeeld
preview-hint = Zo zien anderen het. Klopt het? Plaats het dan hieronder.
when-flexible = in overleg
when-on = op { $date }
when-between = van { $from } tot en met { $to }

## Een bericht
field-state = Stand
state-open = open
state-in-progress = er wordt al geholpen
state-fulfilled = geholpen
state-withdrawn = ingetrokken
state-expired = verlopen
posted-by = Geplaatst door
posted-at = Geplaatst op
post-original = Bekijk het origineel waar het geplaatst is
respond-heading-need = Ik kan helpen
respond-heading-offer = Dit wil ik graag
respond-message = Je bericht
respond-message-hint = Alleen de plaatser ziet dit.
respond-submit = Reactie versturen
respond-login = Log in om te reageren
responses-heading = Reacties
responses-none = Nog geen reacties.
response-pending = wacht op je antwoord
response-accepted = geaccepteerd
response-declined = afgewezen
response-accept = Accepteren
response-decline = Afwijzen

# Figures (issue 13)
figures-title = Wat { $whose } deed
figures-period = Van { $from } tot en met { $to }
figures-from = Van
figures-to = Tot en met
figures-show = Toon deze periode
figures-csv = Download als spreadsheet (CSV)
figures-print-hint = Om af te drukken: kies Afdrukken in je browser. Alles past op één A4.
figures-caption = In deze periode
figures-by-category = Hulpvragen per soort
figures-asked = gevraagd
figures-helped = geholpen
figures-who-helps-whom = Wie helpt wie
figures-no-names = Geteld, nooit met namen: wie hulp vroeg of gaf, staat hier niet.
figures-needs-asked = Hulpvragen gesteld
figures-needs-helped = Hulpvragen geholpen
figures-residents-helped = Bewoners geholpen (hulpvragen voor bewoners)
figures-hours-given = Uren hulp gegeven
figures-times-helped = Keren dat iemand hielp
figures-volunteers = Vrijwilligers die hielpen
figures-first-response = Tijd tot de eerste reactie (middelste waarde)
figures-hours = { $hours } uur
figures-offers-made = Hulpaanbod geplaatst
figures-offers-taken = Hulpaanbod gebruikt
figures-events-held = Activiteiten gehouden
figures-participants = Deelnemers aan activiteiten
figures-first-response-hours = Uren tot de eerste reactie (middelste waarde)
figures-link = Wat we deden: de cijfers

# The coordinator's desk (issue 13)
desk-heading = Hulp
desk-to-pass-on = Hulpvragen van bewoners, alleen voor jullie: nog door te geven
desk-waiting = Reacties die op jullie besluit wachten
desk-waiting-none = Er wacht geen reactie op een besluit.
desk-unanswered = Nog geen reactie na { $days } dagen
desk-unanswered-none = Alle open hulpvragen en aanbiedingen hebben een reactie, of staan er nog maar kort.
desk-for-residents = Hulpvragen die jullie voor bewoners plaatsten
desk-for-residents-hint = Alleen coördinatoren van jullie initiatief zien voor wie.
desk-for-residents-none = Er staan nu geen hulpvragen voor bewoners open.
desk-decide = Beslis over de reacties
desk-wrap-up = Afronden, wijzigen of intrekken
desk-for = Voor:
desk-suggestions = Dit past misschien bij elkaar
desk-fits = past bij:
desk-days-ago = { $count ->
    [0] vandaag geplaatst
    [one] 1 dag geleden geplaatst
   *[other] { $count } dagen geleden geplaatst
}
desk-responses = { $count ->
    [0] nog geen reactie
    [one] 1 reactie
   *[other] { $count } reacties
}
desk-pending = { $count ->
    [one] 1 wacht op jullie
   *[other] { $count } wachten op jullie
}

# Who may see a need (issue 13)
who-may-see = Wie mag je hulpvraag zien?
who-coordinators = Alleen de coördinatoren van mijn initiatief. Zij zoeken iemand en geven je vraag door zonder je naam.
who-local = Mijn buurtinitiatief: iedereen die hier meedoet.
who-coalition = De initiatieven van de coalitie waar wij bij horen.
who-everyone = Iedereen, ook buiten de buurt.
audience-heading = Wie ziet dit?
audience-coordinators = Alleen { $people } ({ $initiatives }) ziet dit.
audience-local = Iedereen die meedoet bij { $initiatives } ziet dit.
audience-coalition = De mensen van { $initiatives } zien dit.
audience-followers = Wie jou volgt, ziet dit.
audience-everyone = Iedereen kan dit zien, ook buiten de buurt.
audience-name-shown = Je naam staat erbij.
audience-name-stays = Je naam gaat niet verder: wie zij vragen om te helpen, ziet je naam niet.
audience-nobody-yet = nog niemand
and = en
pass-on-heading = Doorgeven zonder naam
pass-on-intro = Alleen jij en de andere coördinatoren zien deze hulpvraag. Geef hem door als hulpvraag van het initiatief; de naam van de bewoner gaat niet mee. Schrijf de titel en de tekst zo dat niemand weet om wie het gaat.
pass-on-button = Doorgeven zonder naam
pass-on-see = Bekijk de doorgegeven hulpvraag
pass-on-submit = Doorgeven
pass-on-done = Je coördinator heeft je vraag doorgegeven, zonder je naam.
notice-doorgegeven = Doorgegeven. De bewoner ziet wat ermee gebeurt.
notice-kind-helper-found = Er is iemand gevonden die je helpt. { $who } houdt contact met je.

# E-mail (issue 13)
mail-greeting = Hallo { $name },
mail-look = Bekijk het op { $site }:
mail-footer-why = Je krijgt deze e-mail omdat je dat zelf hebt gekozen op { $site }.
mail-footer-stop = Liever geen e-mail meer? Zet het hier uit:
mail-footer-choose = Of kies iets anders bij Mijn gegevens:
mail-notice-subject = { $site }: { $what }
mail-digest-subject = Wat er nieuw is op { $site }
mail-digest-intro = Dit is er nieuw voor je op { $site }:
mail-reminder-subject = Herinnering: { $title }
mail-reminder-text = Even een herinnering: je doet mee aan "{ $title }" op { $when }.
mail-reminder-text-place = Even een herinnering: je doet mee aan "{ $title }" op { $when }, in { $place }.
mail-answer-subject = Antwoord van { $initiative }
mail-answer-your-question = Je vroeg ons:
mail-answer-from = Met vriendelijke groet, { $initiative } (via { $site })
mail-test-subject = Proefmail van { $site }
mail-test-text = Deze e-mail komt van { $site }. Je leest hem, dus e-mail werkt.
account-mail-heading = E-mail
account-mail-text = Wil je een e-mail krijgen als iemand op je hulpvraag of aanbod reageert, je een bericht stuurt, of als een activiteit waar je aan meedoet morgen is of verandert? Kies hier hoe vaak.
account-mail-node-off = Deze buurtsite verstuurt nog geen e-mail. Vraag de beheerder om het aan te zetten.
account-mail-address = Je e-mailadres
account-mail-choice = Hoe vaak wil je e-mail?
account-mail-mode-off = Geen e-mail
account-mail-mode-each = Bij elk bericht een e-mail
account-mail-mode-daily = Eén keer per dag een overzicht
account-mail-save = Opslaan
account-moving-heading = Als ons initiatief verhuist
account-moving-text = Soms gaat een initiatief naar een andere plek op internet: als de vrijwilliger die deze buurtsite bijhoudt stopt, of als het initiatief bij een grotere buurtsite gaat. Zet je hieronder een vinkje, dan gaan je naam, je e-mailadres en je wachtwoord mee, zodat je daar op dezelfde manier inlogt. Zonder vinkje blijft je account hier en gaat er niets van jou mee.
account-moving-choice = Verhuis mee als ons initiatief naar een andere plek gaat
account-moving-save = Opslaan
unsubscribe-title = Geen e-mail meer
unsubscribe-text = Wil je geen e-mail meer krijgen van { $site }? Druk dan op de knop. Je hoeft niet in te loggen.
unsubscribe-button = Geen e-mail meer
unsubscribe-done = Klaar. Je krijgt geen e-mail meer van ons. Wil je later toch weer e-mail? Kies het bij Mijn gegevens.
unsubscribe-unknown = Deze link werkt niet (meer). Log in en kies bij Mijn gegevens of je e-mail wilt.
admin-mail-heading = E-mail
admin-mail-on = E-mail staat aan. Mails gaan via { $relay } met afzender { $from }.
admin-mail-off = E-mail staat uit. Leden krijgen geen e-mail en antwoorden op "Vraag het ons" moeten coördinatoren zelf doorgeven (bellen).
admin-mail-how = Zet het aan met een blok [mail] in buurtnet.toml (host, port, from, tls, en zo nodig username en password) en start de node opnieuw. De README legt elke instelling uit.
admin-mail-queue = Wachtend: { $waiting } · verstuurd: { $sent } · opgegeven: { $failed }
admin-mail-test = Stuur mij een proefmail
question-answer-label = Antwoord (kort)
question-answer-hint = Heeft de vrager een e-mailadres opgegeven, dan mailen we het antwoord. Anders bel je zelf.
question-answer-send = Antwoord versturen
question-answered-by = Beantwoord door { $who } op { $when }:
question-answered-mailed = Het antwoord is gemaild naar { $contact }.
question-answered-call = Dit antwoord is niet gemaild. Bel { $name } zelf: { $contact }.
notice-antwoord-gemaild = Je antwoord is onderweg per e-mail.
notice-antwoord-bellen = Je antwoord is bewaard, maar niet gemaild. Bel de vrager zelf; het nummer staat bij de vraag.
notice-mail-gekozen = Opgeslagen. Je kunt dit altijd weer veranderen.
notice-verhuizen-gekozen = Opgeslagen. Je kunt dit altijd weer veranderen.
notice-proefmail = Proefmail staat klaar. Hij komt binnen een minuut.

# Closing the loop (issue 13)
change-need-title = Hulpvraag wijzigen
change-offer-title = Aanbod wijzigen
form-save-change = Wijziging opslaan
response-undelivered = niet aangekomen
response-yours-heading = Jouw reactie
response-yours-pending = Je reactie is verstuurd. Je hoort het als er antwoord is.
response-yours-accepted = Je hulp is welkom! Spreek samen af hoe en wanneer; kijk bij je gesprekken.
response-yours-declined = Deze keer is er voor iemand anders gekozen. Dank je wel voor je aanbod!
response-yours-undelivered = Je reactie is niet aangekomen bij het initiatief. Neem op een andere manier contact op, bijvoorbeeld met de telefoon.
decline-reason-other-chosen = Er helpt al iemand anders. Dank je wel voor je aanbod!
decline-reason-in-progress = Er werd al geholpen toen je reactie aankwam. Dank je wel voor je aanbod!
decline-reason-fulfilled = Er was al geholpen toen je reactie aankwam. Dank je wel voor je aanbod!
decline-reason-withdrawn = Deze vraag of dit aanbod is ingetrokken.
decline-reason-expired = Deze vraag of dit aanbod is verlopen.
manage-heading = Afronden
helped-heading = Is er geholpen?
helped-hours = Hoeveel uur is er geholpen?
helped-hours-hint = (mag leeg blijven; bijvoorbeeld 1,5)
helped-hours-unreadable = Vul het aantal uren in als getal, bijvoorbeeld 1,5, of laat het leeg.
helped-thanks = Een kort bedankje voor wie hielp
helped-thanks-hint = (mag leeg blijven; alleen wie hielp ziet het)
helped-submit = Ja, er is geholpen
helped-thanks-shown = Bedankje:
helped-with-hours = geholpen, { $hours } uur
withdraw-heading = Niet meer nodig?
withdraw-confirm = Ja, ik trek dit in
withdraw-not-sure = Zet eerst het vinkje als je het echt wilt intrekken.
withdraw-submit = Intrekken
change-link = Wijzigen
notice-geholpen = Gemarkeerd als geholpen. Wie hielp, hoort het.
notice-ingetrokken = Ingetrokken. Wie reageerde, hoort het.
notice-gewijzigd = De wijziging staat erop.
notice-kind-response-closed = Je reactie is niet meer nodig. Op de pagina staat waarom.
notice-kind-response-undelivered = Je reactie is niet aangekomen. Neem op een andere manier contact op.
notice-kind-proposal-fulfilled = { $who } laat weten dat er geholpen is. Dank je wel!
notice-kind-proposal-closed = { $who } heeft iets ingetrokken waar je bij zou helpen.
notice-kind-join-undelivered = Je aanmelding voor een activiteit is niet aangekomen. Neem op een andere manier contact op met de organisatie.
notice-kind-patch-undelivered = Je voorstel voor een wijziging is niet aangekomen bij het initiatief van het artikel.

## Activiteiten
event-starts = Begint
event-ends = Eindigt
event-place = Waar
event-online = Online
event-participants = Deelnemers
event-organiser = Organisatie
event-cancelled = Afgelast
event-add-to-calendar = Zet in mijn agenda
participants-count = { $count ->
    [one] 1 deelnemer
   *[other] { $count } deelnemers
}
participants-of = { $count } van { $capacity } plaatsen bezet

## Profielen
profile-follow-hint = Volg vanaf je eigen Mastodon of buurtnode met
profile-proposals = Open hulpvragen en aanbod
profile-posts = Berichten
profile-no-posts = Nog geen openbare berichten.

## Coördinatie
coordinate-title = Coördinatie
invite-heading = Nieuwe leden uitnodigen
invite-made = De uitnodiging is klaar. Geef deze code door (hij werkt 14 dagen, één keer):
invite-link = Of stuur deze link:
invite-initiative = Lid worden van
invite-note = Voor wie
invite-note-hint = Alleen voor jezelf, om te onthouden voor wie de code was.
invite-submit = Code maken
invite-list = Gemaakte uitnodigingen
invite-made-at = Gemaakt
invite-status = Stand
invitation-used = gebruikt
invitation-expired = verlopen
invitation-valid-until = geldig tot { $date }
waiting-heading = Aanmeldingen die wachten
waiting-none = Er wacht niemand.
waiting-approve = Goedkeuren

## Categorieën
category-boodschappen = boodschappen
category-klussen = klussen
category-vervoer = vervoer
category-gezelschap = gezelschap
category-maaltijd = maaltijd
category-geldzorg = geldzorg
category-digitale-hulp = digitale hulp
category-administratie = administratie
category-tuin = tuin
category-overig = overig

## Gesprekken
nav-conversations = Gesprekken
notice-verstuurd = Je bericht is verstuurd.
conversations-title = Gesprekken
conversations-intro = Persoonlijke berichten met mensen met wie je iets afspreekt. Alleen jullie tweeën zien ze.
conversations-none = Nog geen gesprekken. Een gesprek begint als een reactie op een hulpvraag of aanbod is geaccepteerd.
conversations-back = Alle gesprekken
conversation-title = Gesprek met { $name }
conversation-private = alleen jullie tweeën zien dit
conversation-me = Ik
conversation-write = Schrijf { $name }
conversation-send = Versturen

## Activiteiten plaatsen en meedoen
nav-event = Activiteit plaatsen
new-event-title = Activiteit plaatsen
new-event-intro = Een maaltijd, ontmoeting of activiteit. Buren hier en in gevolgde buurten kunnen zich aanmelden.
field-date = Datum
field-start = Begintijd
field-time-hint = Bijvoorbeeld 17:30.
field-end = Eindtijd
field-end-hint = Niet verplicht.
field-place = Plaats
field-address = Adres
field-online-url = Online link
field-online-url-hint = Niet verplicht; voor een online bijeenkomst.
field-capacity = Aantal plaatsen
field-capacity-hint = Leeg laten als er geen grens is.
field-join-mode = Aanmelden
join-mode-free = Iedereen kan zich aanmelden zolang er plaats is
join-mode-approval = De organisatie keurt elke aanmelding goed
join-mode-external = Aanmelden gaat ergens anders
form-publish-event = Activiteit plaatsen
form-time-needed = Vul een tijd in, zoals 17:30.
form-number-needed = Vul een getal in.
rsvp-heading = Meedoen
rsvp-join = Ik doe mee
rsvp-leave = Ik kan toch niet
rsvp-login = Log in om je aan te melden
rsvp-you-are-in = Je doet mee.
rsvp-you-asked = Je hebt je aangemeld; de organisatie laat weten of het lukt.
rsvp-you-were-refused = Het lukte deze keer niet (vol, of de organisatie kon je niet plaatsen).
rsvp-participants = Aanmeldingen
rsvp-no-participants = Nog niemand.
rsvp-state-pending = wacht op je besluit
rsvp-state-accepted = doet mee
rsvp-state-rejected = afgewezen
rsvp-accept = Toelaten
rsvp-decline = Afwijzen
notice-aangemeld = Je bent aangemeld. Zet het in je agenda!
notice-aangevraagd = Je aanmelding is verstuurd. De organisatie laat weten of het lukt.
notice-afgemeld = Je bent afgemeld.
notice-beslist = Je besluit is doorgegeven.

## Beheer: federatie
nav-admin = Beheer
federation-title = Federatie
federation-summary = { $healthy } buurtnodes en servers bereikbaar, { $troubled } met problemen.
federation-picture-title = Deze buurtnode en { $count } andere servers waarmee hij berichten uitwisselt
federation-legend = Doorgetrokken groene lijn: bereikbaar. Gestreepte oranje lijn: het lukt nu niet, er wordt opnieuw geprobeerd. Gestippelde rode lijn: al lang niet bereikbaar.
federation-table = Servers, wat er klaarstaat en wat niet lukte
federation-none = Deze buurtnode heeft nog met geen andere server berichten uitgewisseld.
peer-host = Server
peer-state = Stand
peer-pending = Klaar om te versturen
peer-failed = Opgegeven
peer-since = Sinds
peer-last-success = Laatst gelukt
peer-last-error = Laatste fout
peer-action = Actie
peer-retry = Nu opnieuw proberen
peer-retry-label = Nu opnieuw proberen: { $host }
peer-healthy = bereikbaar
peer-failing = lukt nu niet
peer-unreachable = onbereikbaar
never = nooit
notice-opnieuw = Wordt nu opnieuw geprobeerd.

## Zoeken en volgen
nav-search = Zoeken
search-title = Zoeken
search-label = Zoek mensen, buurten of hulp
search-hint = Een naam, een woord, of een adres zoals @wijkpaleis@buurt.nl.
search-submit = Zoeken
search-people = Mensen en initiatieven
search-no-people = Niemand gevonden.
search-proposals = Hulpvragen en aanbod
search-not-found = Dat adres kon niet worden gevonden. Klopt het?
search-login-to-find = Log in om mensen en buurten op andere servers te zoeken.
actor-initiative = initiatief
actor-original = Bekijk op de eigen server
moved-initiative = Dit initiatief is verhuisd naar
moved-person = Dit account is verhuisd naar
actor-no-posts = Hier zijn nog geen berichten van bekend.
follow-heading = Volgen
follow-state-following = volgt
follow-state-pending = gevraagd, wacht op goedkeuring
follow-state-none = volgt niet
follow-as = Volgen als { $who }
unfollow-as = Niet meer volgen als { $who }
notice-gevolgd = Je volgt nu mee.
notice-volgen-gevraagd = Gevraagd; je volgt zodra het is goedgekeurd.
notice-ontvolgd = Je volgt niet meer.
remote-follow-heading = Volgen vanaf een andere server
remote-follow-label = Je eigen adres
remote-follow-hint = Bijvoorbeeld @naam@mastodon.nl. Je gaat naar je eigen server om het te bevestigen.
remote-follow-submit = Verder op mijn server
remote-follow-failed = Via dat adres lukte volgen niet. Controleer het adres, of zoek dit account op je eigen server.

## Meldingen
nav-notices = Meldingen
nav-notices-unread = { $count ->
    [one] Meldingen (1 nieuw)
   *[other] Meldingen ({ $count } nieuw)
}
notices-title = Meldingen
notices-none = Geen meldingen.
notices-new = nieuw
notices-clear = Alle meldingen wissen
notice-gewist = De meldingen zijn gewist.
someone = Iemand
notice-kind-other = Er is iets gebeurd.
notice-kind-mention = { $who } schreef je een bericht.
notice-kind-match = Er is een hulpvraag of aanbod dat hierbij past.
notice-kind-admin-report = { $who } is gemeld.
notice-kind-event-moved = Een activiteit waar je aan meedoet is verplaatst.
notice-kind-event-cancelled = Een activiteit waar je aan meedoet is afgelast.
notice-kind-co-organiser-asked = Je initiatief wordt gevraagd mee te organiseren.
notice-kind-response = { $who } reageerde op je hulpvraag of aanbod.
notice-kind-response-accepted = { $who } heeft je reactie geaccepteerd.
notice-kind-response-declined = { $who } heeft je reactie afgewezen.
notice-kind-favourite = { $who } vond je bericht fijn.
notice-kind-reblog = { $who } deelde je bericht.
notice-kind-rsvp-request = Iemand wil meedoen aan je activiteit.
notice-kind-rsvp-accepted = Je doet mee aan de activiteit.
notice-kind-rsvp-rejected = Het lukte niet om mee te doen aan de activiteit.
notice-kind-rsvp-removed = De organisatie heeft je afgemeld voor de activiteit.
notice-kind-follow = { $who } volgt je nu.
notice-kind-follow-request = { $who } wil je volgen.
notice-kind-follow-undelivered = Je volgverzoek is niet aangekomen bij { $who }. Je volgt { $who } dus niet. Je kunt het later nog eens proberen.
notice-kind-patch-proposed = Er is een wijziging voorgesteld voor een artikel.
notice-kind-patch-merged = Je wijziging van een artikel is overgenomen.
notice-kind-patch-rejected = Je wijziging van een artikel kon niet worden overgenomen.

## Mijn gegevens
nav-profile = Mijn profiel
nav-account = Mijn gegevens
account-title = Mijn gegevens
account-export-heading = Alles downloaden
account-export-text = Een bestand met je profiel, je initiatieven, wie je volgt en wie jou volgt, je berichten en de persoonlijke berichten die je kreeg.
account-export = Mijn gegevens downloaden
account-delete-heading = Account verwijderen
account-delete-text = Je berichten verdwijnen, hier en bij de andere buurten die ze kregen. Je gebruikersnaam blijft bezet, zodat niemand zich voor jou kan uitgeven. Dit kan niet ongedaan worden gemaakt.
account-delete-confirm = Typ je gebruikersnaam ({ $username }) ter bevestiging
account-delete-confirm-wrong = Typ je gebruikersnaam precies zo ter bevestiging.
account-delete = Mijn account verwijderen
notice-verwijderd = Je account is verwijderd. Het ga je goed!
nav-member-label = Mijn buurtnet

## Leden en wachtwoorden
members-heading = Leden
members-caption = Leden van de initiatieven die je coördineert
members-name = Naam
members-role = Rol
role-coordinator = coördinator
role-member = lid
reset-button = Nieuw wachtwoord
reset-for = Nieuw wachtwoord voor { $name }
reset-made = Geef { $name } deze link. Daarmee kiest { $name } een nieuw wachtwoord (één keer, binnen 24 uur):
reset-title = Nieuw wachtwoord kiezen
reset-intro = Hallo { $name }, kies hier je nieuwe wachtwoord. Daarna log je opnieuw in.
reset-submit = Wachtwoord opslaan
reset-unusable = Deze link werkt niet (meer). Vraag je coördinator om een nieuwe.
notice-wachtwoord = Je nieuwe wachtwoord is opgeslagen. Log nu in.

## Moderatie
moderation-title = Volgverzoeken, meldingen en blokkades
moderation-link = Volgverzoeken, meldingen, blokkades en suggesties
moderation-back = Terug naar coördinatie
requests-heading = Volgverzoeken
requests-none = Er wacht niemand om te volgen.
request-text = { $who } wil { $initiative } volgen.
request-accept = Toelaten
request-decline = Weigeren
reports-heading = Meldingen van leden
reports-none = Geen open meldingen.
report-by = Gemeld door { $who } op { $when }
report-handled = Afgehandeld
report-block-account = Dit account blokkeren
report-block-domain = Heel { $domain } blokkeren
blocks-heading = Blokkades
blocks-intro = Van geblokkeerde accounts en servers neemt deze buurtnode niets meer aan. Geldt voor de hele buurtnode.
block-what = Wat blokkeren
block-kind-actor = Eén account
block-kind-domain = Een hele server
block-address = Adres
block-address-hint = Een account zoals @naam@server.nl, of een server zoals server.nl.
block-reason = Reden
block-submit = Blokkeren
blocks-caption = Geblokkeerd
unblock = Opheffen
unblock-label = Blokkade opheffen: { $what }
suggestions-heading = Suggesties
suggestions-intro = Hulpvragen en aanbod die bij elkaar lijken te passen. Breng de mensen met elkaar in contact als het klopt.
suggestions-none = Nog geen suggesties.
suggestion-fits = past misschien bij
notice-volger-toegelaten = De volger is toegelaten.
notice-volger-geweigerd = Het volgverzoek is geweigerd.
notice-afgehandeld = De melding is afgehandeld.
notice-geblokkeerd = Geblokkeerd.
notice-gedeblokkeerd = De blokkade is opgeheven.
news-feed = Nieuws
feeds-follow = Volgen in een nieuwslezer of agenda:

## Gedeelde kennis
nav-knowledge = Kennis
kind-article = Artikel
knowledge-title = Gedeelde kennis
knowledge-intro = Handleidingen, lessen en afspraken die initiatieven met elkaar delen. Iedereen die het mag lezen kan een verbetering voorstellen.
knowledge-none = Nog geen artikelen.
new-article-title = Artikel schrijven
new-article-intro = Schrijf wat je weet, zodat anderen het kunnen gebruiken. Opmaak met markdown: # kop, **vet**, - opsomming.
field-article-text = Tekst
field-article-text-hint = Markdown: # kop, **vet**, *schuin*, - opsomming, [link](https://…).
field-edit-policy = Wie mag het aanpassen?
edit-policy-author = Alleen de schrijver (of de coördinatoren van het initiatief)
edit-policy-initiative = Ook de leden van het initiatief; anderen stellen voor
edit-policy-open = Iedereen die het leest, ook in andere buurten
form-publish-article = Artikel plaatsen
article-version = versie { $version }, { $when }
article-edit = Bewerken
article-propose = Verbetering voorstellen
article-history = Geschiedenis
article-waiting = Voorgestelde wijzigingen
article-merge = Overnemen
article-decline = Niet overnemen
article-fork-as = Overnemen in onze eigen kennis, als
article-fork = Kopie maken
edit-title = { $title } bewerken
edit-intro-direct = Je wijziging wordt meteen de nieuwe versie. Past iemand anders het tegelijk aan, dan worden beide wijzigingen samengevoegd.
edit-intro-propose = Je stelt een wijziging voor; wie het artikel beheert, neemt het over of niet.
field-edit-summary = Wat heb je veranderd?
field-edit-summary-hint = Kort, voor de geschiedenis.
edit-save = Opslaan
edit-propose = Voorstel versturen
edit-back = Terug naar het artikel
edit-conflict = Iemand anders veranderde dezelfde regels. Je tekst staat hieronder nog; pas hem aan en sla opnieuw op.
history-title = Geschiedenis van { $title }
revision-heading = Versie { $version }, { $when }
revision-changes = Wat er veranderde
notice-bewerkt = De nieuwe versie staat erop.
notice-voorgesteld = Je voorstel is verstuurd.
notice-overgenomen = De wijziging is overgenomen.
notice-niet-overgenomen = De wijziging is niet overgenomen.
notice-overgenomen-kopie = Het artikel staat nu ook in onze eigen kennis.

## Berichten schrijven
nav-note = Bericht schrijven
nav-article = Artikel schrijven
new-note-title = Bericht schrijven
new-note-intro = Nieuws, een bedankje of een oproep. Het gaat naar wie jou (of het initiatief) volgt.
field-note-text = Bericht
field-note-text-hint = #hashtags en @naam@server werken zoals op Mastodon.
field-content-warning = Waarschuwing vooraf
field-content-warning-hint = Niet verplicht; lezers zien eerst alleen dit.
form-publish-note = Bericht plaatsen

## Iets plaatsen
nav-new = Iets plaatsen
new-title = Wat wil je plaatsen?
new-ask-hint = Je zoekt hulp, voor jezelf of voor een buur.
new-offer-hint = Je wilt iets doen voor anderen.
new-event-hint = Een maaltijd, ontmoeting of activiteit.
new-note-hint = Nieuws, een bedankje of een oproep.
new-article-hint = Een handleiding, les of afspraak om te delen.
browse-date = Op welke dag
browse-date-hint = Niet verplicht; wat 'in overleg' is, komt er ook bij.
agenda-from = Vanaf datum

## Instellingen
settings-title = Instellingen van de buurtnode
settings-intro = Naam, beschrijving en regels zien bezoekers hier en in Mastodon-apps.
settings-name = Naam
settings-name-hint = Bijvoorbeeld Buurtnet Bospolder. Leeg: het adres van de buurtnode.
settings-description = Beschrijving
settings-rules = Huisregels
settings-rules-hint = Eén regel per regel.
settings-registrations = Hoe word je lid?
settings-registrations-default = Zoals in het configuratiebestand
settings-registrations-invitation = Met een uitnodigingscode van een coördinator
settings-registrations-approval = Iedereen kan zich aanmelden; een coördinator keurt goed
settings-registrations-closed = Aanmelden is gesloten
settings-save = Opslaan
settings-fixed = Vast in het configuratiebestand
notice-opgeslagen = Opgeslagen.

image-legend = Foto (niet verplicht)
image-file = Foto kiezen
image-file-hint = PNG, JPEG, WebP of GIF, hoogstens 8 MB. Gegevens als de plaats van opname halen we eraf.
image-description = Wat staat er op de foto?
image-description-hint = Voor wie de foto niet kan zien. Verplicht bij een foto.
image-description-needed = Beschrijf wat er op de foto staat, voor wie hem niet kan zien.
image-refused-too-large = de foto is te groot (hoogstens 8 MiB)
image-refused-unknown-format = geen afbeelding die we kennen
image-refused-format-not-taken = alleen PNG, JPEG, WebP en GIF
image-refused-unreadable = de afbeelding is niet te lezen: { $why }
image-refused-too-many-pixels = de afbeelding heeft te veel pixels
image-refused-animation-too-long = de animatie is te lang
attachment-file = Bijlage: { $name }

## Een app toegang geven
consent-title = { $app } wil je account gebruiken
consent-asks = De app { $app } vraagt toegang tot je account:
consent-explain = Sta het alleen toe als jij deze app net hebt geopend. Je kunt de toegang altijd weer intrekken.
consent-as = Je bent ingelogd als { $name } (@{ $handle }).
consent-other-account = Met een ander account
consent-allow = Toestaan
consent-deny = Weigeren
consent-done = Gelukt
consent-copy-code = Kopieer deze code naar de app:
consent-unknown-app = Deze app is hier niet bekend, of het adres klopt niet.

## Coalities
nav-coalitions = Coalities
coalitions-title = Coalities
coalitions-intro = Een coalitie is een samenwerking van initiatieven uit verschillende buurten. Niemand is de baas: de leden beslissen samen volgens hun afspraken.
coalitions-none = Deze buurt doet nog niet mee aan een coalitie.
coalition-members-count = { $count ->
    [one] 1 initiatief doet mee
   *[other] { $count } initiatieven doen mee
}
coalition-kind = Coalitie
coalition-all = Alle coalities
coalition-see-below = Dat lukte niet: kijk hieronder wat er nog moet.
coalition-rules-heading = Afspraken
coalition-rule-sponsors = { $count ->
    [one] 1 initiatief moet voorstellen of steunen
   *[other] { $count } initiatieven moeten voorstellen of steunen
}
coalition-rule-objection = { $count ->
    [0] niemand maakt bezwaar (er is geen wachttijd)
    [one] niemand maakt binnen 1 dag bezwaar
   *[other] niemand maakt binnen { $count } dagen bezwaar
}
coalition-rule-admission = Nieuwe leden: { $sponsors } en { $objection }.
coalition-rule-majority = Een lid verwijderen of de afspraken wijzigen: meer dan de helft van de leden stemt voor.
coalition-members-heading = { $count ->
    [one] Leden (1 initiatief)
   *[other] Leden ({ $count } initiatieven)
}
coalition-replicas-heading = Ook te vinden bij
coalition-replicas-none = Deze coalitie staat nog alleen op deze website.
coalition-follow-hint = Volg de coalitie met je eigen Mastodon-app of -server: alles wat de leden openbaar delen komt dan bij je binnen. Het adres:
coalition-replicas-intro = Elk initiatief dat meedoet, heeft de coalitie ook op zijn eigen website. Overal staat hetzelfde:
coalition-proposals-heading = Voorstellen
coalition-proposals-none = Er zijn nu geen open voorstellen.
coalition-proposed-by = Voorgesteld door
coalition-proposal-admit = Nieuw lid: { $who }
coalition-proposal-remove = Lid verwijderen: { $who }
coalition-proposal-charter = Nieuwe afspraken voor “{ $name }”
coalition-sponsors = Gesteund door
coalition-objections = Bezwaar van
coalition-votes-for = Voor
coalition-votes-against = Tegen
coalition-nobody = nog niemand
coalition-status-objectable = Bezwaar maken kan tot { $date }.
coalition-status-needs-sponsors = Wacht op steun: { $have } van de { $needed } nodig.
coalition-status-about-to-be-admitted = Genoeg steun en geen bezwaar: wordt binnenkort toegelaten.
coalition-status-objected = Er is bezwaar gemaakt: niet toegelaten.
coalition-invited = Jullie initiatief is uitgenodigd om lid te worden. Doen jullie mee?
coalition-invitation-yes = Ja, wij doen mee
coalition-invitation-no = Nee, liever niet
coalition-status-awaits-answer = Uitgenodigd, genoeg steun en geen bezwaar: wacht op het ja van het uitgenodigde initiatief.
coalition-status-declined = Het uitgenodigde initiatief zei nee.
coalition-status-admitted = Toegelaten.
coalition-status-voting = Stemmen loopt: { $for } voor, { $against } tegen. Aangenomen bij { $needed } stemmen voor.
coalition-status-passed = Aangenomen.
coalition-decided-heading = Eerder besloten
coalition-sponsor = Steunen
coalition-object = Bezwaar maken
coalition-vote-for = Voor stemmen
coalition-vote-against = Tegen stemmen
coalition-act-as = Namens
coalition-act-heading = Meedoen in de coalitie
coalition-admission-heading = Een nieuw lid voorstellen
coalition-admission-intro = Het initiatief wordt lid als het genoeg steun krijgt en niemand op tijd bezwaar maakt.
coalition-candidate = Adres van het initiatief
coalition-candidate-hint = Bijvoorbeeld @buurthuis@andere-buurt.nl of https://andere-buurt.nl/initiatives/buurthuis
coalition-admission-submit = Voorstellen
coalition-removal-heading = Een lid laten verwijderen
coalition-removal-intro = Het lid gaat eruit als meer dan de helft van de leden voor stemt.
coalition-removal-member = Welk lid?
coalition-removal-choose = Kies een lid
coalition-removal-submit = Verwijderen voorstellen
coalition-charter-heading = De afspraken wijzigen
coalition-charter-intro = Pas aan wat anders moet. De nieuwe afspraken gelden als meer dan de helft van de leden voor stemt.
coalition-charter-submit = Wijziging voorstellen
coalition-leave-heading = De coalitie verlaten
coalition-leave-intro = Jullie initiatief is dan geen lid meer. Weer meedoen kan alleen door je opnieuw aan te melden.
coalition-leave-confirm = Ik begrijp dat dit niet ongedaan gemaakt kan worden.
coalition-leave-submit = Coalitie verlaten
coalition-leave-confirm-needed = Zet eerst een vinkje als je zeker weet dat jullie de coalitie willen verlaten.
coalition-only-coordinators = Alleen coördinatoren van initiatieven die lid zijn kunnen hier voorstellen doen, steunen of stemmen.
coalition-field-name = Naam van de coalitie
coalition-field-description = Waar gaat de coalitie over?
coalition-field-description-hint = Een paar zinnen voor bezoekers. Mag leeg blijven.
coalition-field-sponsors = Hoeveel leden moeten een nieuw lid steunen?
coalition-field-sponsors-hint = Meestal 1.
coalition-field-days = Hoeveel dagen kunnen leden bezwaar maken tegen een nieuw lid?
coalition-field-days-hint = Meestal 7. Bij 0 kan een nieuw lid meteen worden toegelaten.
coalition-number-needed = Vul een getal in, zoals 1 of 7.
coalition-refused-members-only = Dat kan alleen een initiatief dat lid is van de coalitie.
coalition-refused-already-member = Dit initiatief is al lid van de coalitie.
coalition-refused-unknown-proposal = Dat voorstel kennen we hier niet (meer). Laad de pagina opnieuw.
coalition-refused-too-early = De tijd om bezwaar te maken is nog niet voorbij.
coalition-refused-objected = Er is bezwaar gemaakt tegen dit voorstel.
coalition-refused-sponsors = Dit voorstel heeft nog niet genoeg steun.
coalition-refused-charter-out-of-bounds = Deze afspraken vragen iets wat niet kan, bijvoorbeeld een te lange naam of meer dan 90 dagen voor bezwaar.
coalition-refused-other = Dat kan volgens de afspraken van de coalitie niet.
coalition-refused-founded-already = Deze coalitie is al opgericht.
coalition-refused-founder-not-among-founders = Wie een coalitie opricht, hoort zelf bij de oprichters.
coalition-refused-not-founded = Deze coalitie is nog niet opgericht.
coalition-refused-invitation-decided = Over deze uitnodiging is al besloten.
coalition-refused-objections-for-admissions = Bezwaar maken kan alleen tegen een nieuw lid.
coalition-refused-admissions-sponsored = Over een nieuw lid stem je niet: je kunt het steunen of er bezwaar tegen maken.
coalition-refused-only-admissions-admitted = Alleen een nieuw lid kan worden toegelaten.
coalition-refused-not-accepted = Het uitgenodigde initiatief heeft nog geen ja gezegd.
coalition-candidate-needed = Vul het adres in van het initiatief dat lid moet worden.
coalition-candidate-not-found = Op dat adres vonden we geen initiatief. Kijk of het adres klopt.
coalition-candidate-not-initiative = Dat adres is van een persoon. Alleen initiatieven kunnen lid worden.
coalition-candidate-already-proposed = Dit initiatief is al voorgesteld. Steun het voorstel hierboven.
coalition-member-needed = Kies welk lid je wilt laten verwijderen.
coalition-part-member = { $count ->
    [one] lid (nog het enige lid)
   *[other] lid (de coalitie heeft { $count } leden)
}
coordinate-coalitions-none = Jullie initiatieven zijn nog geen lid van een coalitie.
coalition-found-heading = Een coalitie oprichten
coalition-found-intro = Jullie initiatief wordt het eerste lid. Daarna kunnen andere initiatieven zich aanmelden.
coalition-found-initiative = Welk initiatief richt de coalitie op?
coalition-field-slug = Korte naam voor het adres
coalition-field-slug-hint = Kleine letters, cijfers en _, zoals delfshaven. Het adres wordt dan …/coalitie/delfshaven
coalition-found-submit = Coalitie oprichten
coalition-initiative-needed = Kies een initiatief waarvoor je coördinator bent.
coalition-slug-invalid = Gebruik 1 tot 30 kleine letters (a-z), cijfers of _, zonder spaties.
coalition-slug-taken = Die korte naam is hier al in gebruik. Kies een andere.
coalition-join-heading = Aansluiten bij een coalitie
coalition-join-intro = Vraag het adres aan een initiatief dat al lid is. De leden beslissen of jullie erbij komen.
coalition-join-initiative = Welk initiatief wil zich aansluiten?
coalition-join-replica = Adres van de coalitie
coalition-join-replica-hint = Bijvoorbeeld https://andere-buurt.nl/coalitions/delfshaven
coalition-join-submit = Aanmelden
coalition-replica-needed = Vul het adres van de coalitie in.
coalition-replica-not-found = Op dat adres vonden we geen coalitie. Kijk of het adres klopt, of probeer het later nog eens.
notice-coalitie-opgericht = De coalitie is opgericht. Jullie initiatief is het eerste lid.
notice-coalitie-aangemeld = Jullie aanmelding is verstuurd. De leden beslissen of jullie erbij komen.
notice-coalitie-gesteund = Je steun is doorgegeven.
notice-coalitie-bezwaar = Je bezwaar is doorgegeven.
notice-coalitie-gestemd = Je stem is doorgegeven.
notice-coalitie-voorgesteld = Je voorstel staat erop. De andere leden krijgen het te zien.
notice-uitnodiging-aangenomen = Jullie ja is doorgegeven. Het lidmaatschap gaat verder volgens de afspraken van de coalitie.
notice-uitnodiging-afgeslagen = Jullie nee is doorgegeven.
notice-coalitie-verlaten = Jullie initiatief heeft de coalitie verlaten.

coalition-needs-heading = Hulpvragen van de leden
coalition-offers-heading = Hulpaanbod van de leden
coalition-none-open = Op dit moment staat er niets open.
coalition-agenda-heading = Agenda van de leden
coalition-agenda-none = Er staat nog niets in de agenda.
coalition-network-heading = Wie helpt wie
coalition-network-title = Hulp tussen de initiatieven van de coalitie
coalition-network-caption = Elke pijl wijst van het initiatief dat hielp naar het initiatief dat geholpen werd; een dikkere pijl betekent vaker.
coalition-network-none = Er is nog geen hulp tussen de initiatieven bekend.
coalition-network-times = { $count ->
    [one] één keer
   *[other] { $count } keer
}
coalition-network-row = { $from } hielp { $to } { $times }
coalition-field-removal = Welk deel van de leden moet voor het verwijderen van een lid stemmen (in procent)?
coalition-field-change = Welk deel van de leden moet voor een wijziging van de afspraken stemmen (in procent)?
coalition-field-percent-hint = Meer dan dit deel moet voor zijn. Meestal 50: meer dan de helft. 99 betekent: iedereen.
coalition-rule-votes = Een lid verwijderen: { $removal } van de leden stemt voor. De afspraken wijzigen: { $change } van de leden stemt voor.
coalition-rule-share-half = meer dan de helft
coalition-rule-share-percent = meer dan { $percent }%

## Zo bereik je ons, Vraag het ons (issue 13)
reach-heading = Zo bereik je ons
reach-none = Dit initiatief heeft nog geen telefoonnummer of adres opgegeven. Je kunt wel je vraag sturen.
reach-phone = Telefoon
reach-address = Adres
reach-walk-in = Inloop
ask-heading = Vraag het ons
ask-intro = Je hebt geen account nodig. Schrijf op waar je hulp bij zoekt; een coördinator van { $name } neemt contact met je op.
ask-field-name = Je naam
ask-field-name-hint = Je voornaam of een bijnaam is genoeg.
ask-field-contact = Hoe bereiken we je?
ask-field-contact-hint = Een telefoonnummer of een e-mailadres.
ask-field-question = Je vraag
ask-field-question-hint = Waar zoek je hulp bij? Zet er geen internetadressen in.
ask-field-trap = Laat dit veld leeg
ask-field-sum = Hoeveel is { $left } plus { $right }?
ask-field-sum-hint = Zo weten we dat een mens dit invult. Schrijf het antwoord in cijfers.
ask-submit = Verstuur mijn vraag
ask-privacy = Alleen de coördinatoren van { $name } zien je naam en hoe ze je bereiken.
ask-too-many = Er zijn vanaf dit adres net veel vragen verstuurd. Probeer het over een uur nog eens, of bel ons.
ask-wrong-answer = Dat antwoord klopt niet. Reken de nieuwe som uit en probeer het nog eens.
asked-title = Je vraag is verstuurd
asked-thanks = Dank je, { $name }. Je vraag is aangekomen bij de coördinatoren van { $initiative }.
asked-contact = Een coördinator van { $initiative } neemt contact met je op via:
asked-privacy = Je naam en hoe we je bereiken zien alleen de coördinatoren van { $initiative }. Ze geven die niet door aan anderen.
asked-reach-heading = Liever zelf bellen of langskomen?
asked-back = Terug naar { $initiative }
ask-us-title = Hulp vragen
ask-us-intro = Je hebt geen account nodig om hulp te vragen. Kies een initiatief bij jou in de buurt. Je kunt bellen, langskomen of je vraag opschrijven; een coördinator neemt dan contact met je op.
ask-us-write = Stel je vraag aan { $name }
ask-us-members = Heb je een account?
ask-us-members-link = Zet zelf een hulpvraag op de site.
front-ask-without-account = Geen account? Je kunt toch hulp vragen.
front-ask-without-account-link = Zo bereik je de initiatieven.
initiative-edit-link = Gegevens en contact aanpassen
initiative-edit-for = Gegevens en contact van { $name } aanpassen
initiative-edit-title = { $name }: gegevens en contact
initiative-edit-intro = Wat je hier invult, ziet iedereen op de pagina van het initiatief, ook bezoekers zonder account.
initiative-field-name = Naam van het initiatief
initiative-field-description = Beschrijving
initiative-field-description-hint = Een paar zinnen: wat doen jullie, en voor wie?
initiative-reach-hint = Laat leeg wat je niet wilt geven.
initiative-field-walk-in-hint = Bijvoorbeeld: dinsdag 10–12 uur in het buurthuis.
initiative-field-contact-text = Nog iets over contact
initiative-field-contact-text-hint = Bijvoorbeeld: bel gerust, we bellen terug als we er niet zijn.
initiative-edit-submit = Opslaan
initiative-edit-cancel = Niet aanpassen
notice-gegevens = De gegevens zijn opgeslagen.
initiative-keep-heading = Hoe lang bewaren we verlopen en afgeronde hulpvragen?
initiative-keep-hint = Een hulpvraag zegt iets over iemands leven. Als een hulpvraag of hulpaanbod van jullie initiatief is verlopen, ingetrokken of geholpen, halen we die na deze tijd weg: hier en bij de andere initiatieven die hem kregen.
initiative-keep-label = Bewaren na afloop
initiative-keep-days = { $days } dagen
initiative-keep-submit = Bewaartijd opslaan
notice-bewaren = Opgeslagen. Verlopen en afgeronde hulpvragen bewaren we nu zo lang als je koos.
questions-heading = Recente vragen
questions-intro = Vragen van mensen zonder account ("Vraag het ons"). Alleen coördinatoren van het initiatief zien ze.
questions-none = Er zijn nog geen vragen.
question-handled-by = Afgehandeld door { $who } op { $when }
question-need-link = de hulpvraag
question-to-need = Maak er een hulpvraag van
question-handled = Afgehandeld
question-handled-for = Vraag van { $name } afgehandeld
question-form-note = Deze hulpvraag komt uit "Vraag het ons". De naam blijft bij ons; schrijf een titel zonder naam.
notice-vraag-afgehandeld = De vraag is afgehandeld.
notice-kind-question = Er is een nieuwe vraag voor { $who }.
make-coordinator = Maak coördinator
make-coordinator-for = Maak { $name } coördinator van { $initiative }
notice-coordinator = Het lid is nu coördinator.
signup-code-heading = Waar krijg je een code?
signup-code-where = Een coördinator van een initiatief bij jou in de buurt geeft je de code. Bel, mail of loop even binnen.
signup-code-initiatives = Zo bereik je de initiatieven.
signup-code-no-account = Zoek je alleen hulp? Daarvoor heb je geen account nodig.
signup-code-ask-us = Stel je vraag aan een initiatief.

# A coalition's week (issue 16)
week-day-heading = { $weekday ->
    [mon] maandag
    [tue] dinsdag
    [wed] woensdag
    [thu] donderdag
    [fri] vrijdag
    [sat] zaterdag
   *[sun] zondag
} { $day } { $month ->
    [jan] januari
    [feb] februari
    [mar] maart
    [apr] april
    [may] mei
    [jun] juni
    [jul] juli
    [aug] augustus
    [sep] september
    [oct] oktober
    [nov] november
   *[dec] december
}
week-time-range = { $from } tot { $until }
week-title = Deze week bij { $name }
week-meals-title = Waar kan ik deze week eten?
week-period = { $from } tot en met { $until }
week-all-link = Alle activiteiten van deze week
week-meals-link = Waar kan ik deze week eten?
week-back = Naar de pagina van { $name }
week-calendar-link = Zet deze agenda in je telefoon of computer
week-none = In deze week staan geen activiteiten van de leden.
week-meals-none = In deze week staan geen maaltijden van de leden.
week-meals-hint = Organiseer je een maaltijd? Zet #samenEten in de beschrijving, dan staat hij hier.
week-nav-label = Andere weken
week-previous = Vorige week
week-next = Volgende week
coalition-week-heading = Deze week
coalition-week-none = Deze week staat er niets in de agenda van de leden.
coalition-week-more = Alle activiteiten van deze week
coalition-governance-link = Afspraken, voorstellen en stemmen (voor coördinatoren)
coalition-governance-title = Afspraken van { $name }
coalition-governance-intro = Hier beslissen de coördinatoren van de leden samen: wie er lid wordt, wie eruit gaat en welke afspraken gelden.
coalition-governance-back = Terug naar { $name }
week-meal-mark = samen eten

# Issue 16: organisers of an activity, and guests without an account
event-questions = Vragen aan wie meedoet
event-questions-hint = (niet verplicht om te beantwoorden)
event-asks-lift = Vraag of iemand vervoer nodig heeft
event-asks-diet = Vraag naar een dieetwens
event-meal = Dit is een maaltijd
event-meal-hint = Dan staat hij bij samen eten in de buurt.
event-repeat = Herhalen
repeat-none = Niet, één keer
repeat-weekly = Elke week
repeat-fortnightly = Elke twee weken
repeat-monthly-day = Elke maand op dezelfde dag (bijvoorbeeld elke 15e)
repeat-monthly-weekday = Elke maand op dezelfde weekdag (bijvoorbeeld elke eerste dinsdag)
repeat-until = Tot en met
repeat-end-hint = (of vul hieronder in hoe vaak)
repeat-count = Hoe vaak in totaal
join-needs-lift = Ik heb vervoer nodig
join-diet = Dieetwens (bijvoorbeeld vegetarisch, geen varkensvlees)
rsvp-closed = Aanmelden is gesloten.
organise-link = Organiseren: deelnemers, wijzigen, afgelasten
organise-title = Organiseren: { $title }
organise-back = Terug naar de activiteit
organise-state-left = afgemeld
organise-needs-lift = Heeft vervoer nodig
organise-diet = Dieetwens: { $diet }
organise-guest = zonder account
organise-guest-added = door jullie aangemeld
organise-contact = Bereikbaar via:
organise-add-guest = Iemand aanmelden
organise-add-guest-intro = Voor wie geen account heeft, bijvoorbeeld iemand die belde. Schrijf erbij hoe jullie haar of hem bereiken.
organise-add-guest-submit = Aanmelden
organise-registration = Aanmelden open of dicht
organise-registration-open = Iedereen kan zich nu aanmelden.
organise-registration-closed = Aanmelden is gesloten. Wie zich al aanmeldde, doet nog mee.
organise-reopen = Aanmelden weer openen
organise-close = Aanmelden sluiten
organise-change = Wijzigen of verzetten
organise-change-intro = Wie meedoet krijgt bericht als de tijd of plek verandert.
organise-cancel = Afgelasten
organise-cancel-sure = Ja, deze activiteit gaat niet door
organise-cancel-sure-needed = Vink aan dat de activiteit niet doorgaat.
organise-series = Deze activiteit komt terug
organise-series-intro = Verplaatsen doe je hierboven, per datum. Gaat een datum niet door, kies hem hier; wie zich had aangemeld krijgt bericht.
organise-series-skip-date = Datum die niet doorgaat
organise-series-skip = Deze datum overslaan
organise-series-stop-sure = Ja, na vandaag komt de activiteit niet meer terug
organise-series-stop = Stoppen met herhalen
organise-series-stop-sure-needed = Vink aan dat de activiteit niet meer terugkomt.
organise-cancel-submit = Afgelasten
organise-remove = Afmelden
organise-remove-sure = Ja, afmelden
organise-remove-sure-needed = Vink "Ja, afmelden" aan bij wie u afmeldt.
guest-heading = Aanmelden zonder account
guest-intro = Geef je naam en hoe we je kunnen bereiken: een telefoonnummer of e-mailadres.
guest-name = Naam
guest-contact-hint = Vul minstens één van de twee in.
guest-phone = Telefoonnummer
guest-email = E-mailadres
guest-submit = Ik kom
guest-privacy = Alleen de organisatie ziet je telefoonnummer en e-mailadres.
guest-too-many = Er zijn vanaf dit adres net veel aanmeldingen verstuurd. Probeer het over een uur nog eens, of bel de organisatie.
guest-signed-up-title = Aangemeld
guest-you-are-in = Je bent aangemeld voor { $title }. Tot dan!
guest-waiting = Je aanmelding voor { $title } is binnen. De organisatie laat weten of het lukt.
guest-thanks = Dank je wel.
guest-cancel-heading = Kun je toch niet?
guest-cancel-explained = Met deze link meld je je weer af, zodat een ander je plek kan krijgen:
guest-link-mailed = We hebben deze link ook naar je gemaild.
guest-keep-link = Bewaar deze link, of bel de organisatie als je toch niet kunt.
guest-back-to-event = Terug naar de activiteit
guest-cancel-title = Afmelden
guest-cancel-question = Kun je niet komen naar { $title }? Meld je dan hier af.
guest-cancel-submit = Ik kan toch niet
guest-cancelled = Je bent afgemeld voor { $title }. Je plek is vrij voor een ander.
mail-guest-subject = Aangemeld: { $title }
mail-guest-signed-up = Je bent aangemeld voor { $title }:
mail-guest-cancel = Kun je toch niet? Meld je dan af met deze link:
mail-guest-accepted-subject = Je kunt komen: { $title }
mail-guest-accepted = Goed nieuws: je kunt komen naar { $title }:
mail-guest-refused-subject = Het lukt niet: { $title }
mail-guest-refused = Het spijt ons: er is deze keer geen plek voor je bij { $title }:
mail-guest-moved-subject = Gewijzigd: { $title }
mail-guest-moved = De tijd of plek van { $title } is veranderd. Het is nu:
mail-guest-cancelled-subject = Gaat niet door: { $title }
mail-guest-cancelled = Het spijt ons: { $title } gaat niet door. Het zou zijn op:
mail-guest-removed-subject = Afgemeld: { $title }
mail-guest-removed = De organisatie heeft je afgemeld voor { $title }:
mail-guest-questions = Vragen? Bel of mail de organisatie. Meer over de activiteit:
organise-phone-only = Geen e-mail: bel zelf als er iets verandert.

## What the domain says (buurtnet_domain::words::Say), by code
say-title-length = Geef een titel van 3 tot 120 tekens.
say-at-most-chars = Hoogstens { $max } tekens.
say-choose-category = Kies een van de categorieën.
say-end-before-start = Het einde ligt voor het begin.
say-expiry-passed = De einddatum is al voorbij.
say-hours-range = Tussen 0 en 1000 uur.
say-names-the-resident = De titel of tekst noemt de bewoner. Laat de naam weg, want anderen lezen mee.
say-on-behalf-only-for-initiative = Alleen een coördinator die voor het initiatief schrijft, kan namens een bewoner vragen.
say-need-passed-on-already = Deze hulpvraag is al doorgegeven.
say-respond-to-own = Je kunt niet reageren op je eigen vraag of aanbod.
say-response-answered-already = Op deze reactie is al geantwoord.
say-no-longer-open = Er wordt al geholpen, of het staat niet meer open.
say-name-taken = De naam { $name } is al in gebruik.
say-email-taken = Er is al een account met dit e-mailadres.
say-repeat-unknown = Kies hoe vaak de activiteit terugkomt: niet, elke week, elke twee weken of elke maand.
say-repeat-count-range = Kies een aantal keer van 1 tot 104.
say-repeat-ends-before-start = De laatste datum ligt voor de eerste.
say-repeat-too-long = Een herhaling loopt hoogstens twee jaar.
say-moved = Dit account is verhuisd naar { $target } en plaatst hier niets meer.
say-unknown-time-zone = Deze tijdzone kennen we niet.
say-no-such-local-time = Dit tijdstip bestaat niet in die tijdzone.
say-place-or-online-link = Geef een plek of een online link.
say-https-address = Geef een webadres dat begint met https://
say-place-name-length = Geef de plek een naam van hoogstens 200 tekens.
say-capacity-range = Kies een aantal plaatsen tussen 1 en 100000.
say-event-full = Deze activiteit is vol.
say-registration-closed = Aanmelden is gesloten.
say-sign-up-through-organisers = Meld je aan via de link van de organisatie.
say-request-answered-already = Op dit verzoek is al geantwoord.
say-choose-another-initiative = Kies een ander initiatief.
say-phone-or-email = Geef een telefoonnummer of een e-mailadres.
say-not-a-phone-number = Geef een telefoonnummer zoals 06 12345678.
say-not-an-email-address = Geef een e-mailadres zoals naam@voorbeeld.nl.
say-guest-name-length = Geef een naam van 2 tot { $max } tekens.
say-fill-this-in = Vul dit in.
say-no-web-addresses = Zet er geen internetadressen in.
say-question-becomes-need = Van een vraag wordt een hulpvraag.
say-one-to-chars = Van 1 tot { $max } tekens.
say-question-answered-already = Deze vraag is al beantwoord.
say-username-characters = gebruik 1 tot 30 letters (a-z), cijfers of liggende streepjes
say-name-length = geef een naam van 1 tot { $max } tekens
say-password-too-short = gebruik minstens { $min } tekens
say-no-such-initiative = initiatief "{ $name }" bestaat niet
say-wrong-password = het wachtwoord klopt niet
say-unknown-post = onbekend bericht
say-post-of-someone-else = een bericht van iemand anders
say-email-invalid = dit is geen e-mailadres
say-fill-in-email = vul je e-mailadres in
say-email-of-another-account = dit adres hoort bij een ander account
say-no-email-on-account = je account heeft geen e-mailadres
say-code-unknown = deze code is onbekend, gebruikt of verlopen
say-code-just-used = deze code is net gebruikt
say-write-something-first = schrijf eerst iets
say-direct-needs-recipient = een persoonlijk bericht heeft een ontvanger nodig
say-write-to-yourself = je kunt jezelf niet schrijven
say-follow-yourself = je kunt jezelf niet volgen
say-only-public-passed-on = alleen openbare berichten kun je doorsturen
say-at-most-images = hoogstens { $max } afbeeldingen
say-unknown-image = onbekende afbeelding
say-members-not-blocked = leden van deze buurtnode blokkeer je niet
say-give-server-name = geef een servernaam zoals voorbeeld.nl
say-own-server = dit is onze eigen server
say-phone-characters = alleen cijfers, spaties en + - ( )
say-name-needed = een naam is nodig
say-keep-days-choice = een van { $choices } dagen
say-rules-limit = hoogstens { $rules } regels van { $max } tekens
say-choose-sign-up-way = kies een van de manieren van aanmelden
say-coalition-name-needed = Geef de coalitie een naam.
say-number-one-to = Vul een getal in van 1 tot en met { $max }.
say-number-zero-to = Vul een getal in van 0 tot en met { $max }.
say-share-range = Vul een deel in van 50 (meer dan de helft) tot 99 (iedereen).
say-alias-of-itself = een account is geen alias van zichzelf
say-actor-address = geen adres van een account (https://...)
say-moved-already = { $from } is al verhuisd naar { $target }
say-alias-missing = { $target } noemt { $old } niet als alias: voeg die eerst toe op de nieuwe node
say-article-title-length = geef een titel van 3 tot { $max } tekens
say-article-too-long = het artikel zou te lang worden
say-version-unknown = die versie is hier niet bekend
say-edit-handled-already = deze wijziging is al behandeld
say-edit-does-not-fit = de wijziging past niet op de versie waarvan ze uitgaat: { $why }
say-edit-clashes = iemand anders heeft intussen dezelfde regels gewijzigd:
    { $marked }
say-edit-empty = de wijziging past niet op de versie waarvan ze uitgaat: er staat geen wijziging in
say-account-not-found = dit account is niet gevonden
say-choose-initiative = kies een initiatief
say-visibility-unknown = gebruik public, unlisted, followers, direct, coalition, local of coordinators
say-not-a-direct-message = dit kan geen persoonlijk bericht zijn
say-coordinators-only-for-own-need = alleen de eigen hulpvraag van een bewoner kan alleen voor de coördinatoren zijn
say-initiative-needs-visibility = de hulpvragen van een initiatief zijn niet persoonlijk en niet alleen voor de coördinatoren
say-unknown-scope = onbekende toegang { $scope }
say-timeline-home-or-notifications = kies home of meldingen
say-coalition-not-ours = een coalitie waar deze node niet aan meedoet
say-handover-too-large = het bestand is groter dan { $max } bytes
say-handover-not-a-file = dit is geen overdrachtsbestand van een initiatief, of het is beschadigd ({ $why })
say-handover-damaged = het overdrachtsbestand is beschadigd ({ $why })
say-process-number-taken = een ander proces nam het nummer van dit proces; start het opnieuw
say-backup-sqlite-only = een kopie met VACUUM INTO is voor SQLite; PostgreSQL kopieer je met pg_dump
say-path-not-utf8 = het pad van de kopie moet geldige UTF-8 zijn
say-database-url-scheme = moet beginnen met sqlite: of postgres://
say-handover-format = dit bestand heeft formaat { $found }; deze Buurtnet leest formaat { $max } en ouder: importeer het met een nieuwere versie
say-local-actor = { $id } is een actor van deze node
say-photo-too-large = de foto is te groot (hoogstens { $max } MB)
say-form-unreadable = het formulier kwam niet goed aan; probeer het nog eens

## The page of a repeating event
weekday-name = { $weekday ->
    [mon] maandag
    [tue] dinsdag
    [wed] woensdag
    [thu] donderdag
    [fri] vrijdag
    [sat] zaterdag
   *[sun] zondag
}
series-title = Alle datums: { $title }
series-rule = { $repeat ->
    [weekly] Elke week op { $weekday }, { $time }
    [fortnightly] Elke twee weken op { $weekday }, { $time }
    [monthly_day] Elke maand op de { $day }e, { $time }
   *[monthly_weekday] Elke { $nth ->
        [first] eerste
        [second] tweede
        [third] derde
        [fourth] vierde
       *[last] laatste
    } { $weekday } van de maand, { $time }
}
series-comes-back = { $repeat ->
    [weekly] Komt elke week terug
    [fortnightly] Komt elke twee weken terug
   *[other] Komt elke maand terug
}
series-all-dates = alle datums
series-dates = Datums
series-not-happening = gaat niet door
series-moved-to = verplaatst naar { $time }
series-stopped = Deze activiteit komt niet meer terug.
series-add-to-calendar = Zet alle datums in je agenda
organise-series-choose = Kies een datum
organise-series-other-date = Of een latere datum
notice-afgelast = De activiteit is afgelast. Wie meedeed krijgt bericht.
notice-gast-toegevoegd = Aangemeld.
notice-gestopt = De activiteit komt niet meer terug. Wie zich had aangemeld krijgt bericht.
notice-overgeslagen = Die datum gaat niet door. Wie zich had aangemeld krijgt bericht.
notice-geopend = Aanmelden is weer open.
notice-gesloten = Aanmelden is gesloten.
federation-set-aside = Niet verstuurd
federation-set-aside-intro = { $count ->
    [one] Eén bericht kon niet worden verstuurd en is apart gezet, zodat de rest doorging. Meld het aan wie de node onderhoudt.
   *[other] { $count } berichten konden niet worden verstuurd en zijn apart gezet, zodat de rest doorging. Meld het aan wie de node onderhoudt.
}
federation-set-aside-stored = Zoals het is opgeslagen
notice-van-de-lijst = Afgemeld. Wie een account of e-mailadres heeft, krijgt bericht.
federation-cleared = Opgeruimd op { $when }: { $deliveries } verstuurde berichten, { $received } kenmerken van ontvangen berichten en { $mail } e-mails die ouder waren dan { $days } dagen, en { $needs } verlopen of afgeronde hulpvragen en hulpaanbod die langer geleden afliepen dan hun initiatief ze bewaart. Daarna gaf de database { $freed } MB ruimte terug. Dat gebeurt elke dag vanzelf.
federation-cleared-never = Nog niet opgeruimd. Elke dag ruimt de node vanzelf op wat klaar is en ouder dan 30 dagen.
