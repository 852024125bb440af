# Buurtnet: English texts. Keep the keys equal to nl.ftl: a test compares them.

## Frame
skip-to-content = Skip to content
nav-label = Main menu
nav-home = Home
nav-help = Needs and offers
nav-agenda = Agenda
nav-ask = Ask for help
nav-offer = Offer help
nav-coordinate = Coordination
nav-login = Log in
nav-logout = Log out
nav-signup = Sign up
other-language = Nederlands
other-language-code = nl
footer-text = Buurtnet belongs to the residents and initiatives that run it together. What you post publicly can be seen in other neighbourhoods too.
back-home = Back to the home page
by = by

## Notices after a form
notice-geplaatst = Your post is up.
notice-gereageerd = Your response was sent. You will hear when there is an answer.
notice-goedgekeurd = The sign-up is approved.
notice-uitgelogd = You are logged out.
notice-welkom = Welcome! Your account is ready and you are logged in.
notice-geaccepteerd = You accepted the response. You can now make arrangements together.
notice-afgewezen = You declined the response.

## Errors
error-not-found = Not found
error-not-found-text = This page does not exist (any more), or you may not see it.
error-gone = Deleted
error-gone-text = This post was deleted.
error-forbidden = Not allowed here
error-forbidden-text = You do not have permission for this, or the form was open too long. Go back, reload the page and try again.
error-bad-request = That did not work
error-ours = Something went wrong
error-ours-text = Something went wrong on our side. Please try again later.
error-ours-short = Something went wrong on our side.
api-too-many = Too many requests; try again in { $seconds } s
error-full = Nothing could be saved
error-full-text = The storage of this website is full, so nothing could be saved. Please try again later, and tell the administrator if it stays this way.

## Home page
front-title = Home
front-heading = Welcome to { $site }
front-intro = Here neighbours ask for and offer help, and you find the next shared meal or meet-up.
cta-ask = I need help
cta-offer = I want to help
front-needs = Needs
front-no-needs = There are no open needs right now.
front-all-needs = All needs
front-offers = Offers
front-no-offers = There are no open offers right now.
front-all-offers = All offers
front-events = Coming up
front-no-events = Nothing in the agenda yet.
front-all-events = The whole agenda
front-news = News from the neighbourhood
front-initiatives = Initiatives in this neighbourhood
front-no-initiatives = No initiatives yet.
kind-need = Need
kind-offer = Offer
kind-needs = Needs
kind-offers = Offers

## Browse
browse-title = Needs and offers
browse-filter = Filter
browse-kind = Kind
browse-kind-all = Everything
browse-category-all = All categories
browse-words = Words
browse-show = Show
browse-results = { $count ->
    [0] Nothing found
    [one] 1 found
   *[other] { $count } found
}
browse-offer-instead = Nothing here that you can do?
browse-offer-instead-link = Say what you would like to offer
browse-none = Try fewer filters.

## Agenda
agenda-title = Agenda
agenda-intro = Meals, meet-ups and activities of the initiatives here and of the neighbourhoods they follow.
calendar-feed = Agenda (iCal)
calendar-subscribe = Put the agenda in your own calendar app (iCal)

## Log in and sign up
login-title = Log in
login-submit = Log in
login-wrong = The username or password is not right.
login-waiting = Your sign-up is still waiting for a coordinator's approval.
login-too-many = Too many attempts in a row. Wait a little while and try again.
login-forgot = Forgot your password? Ask a coordinator of your initiative for a new one.
login-no-account = No account yet? Sign up.
signup-title = Sign up
signup-intro-invitation = With the code a coordinator gave you, you make an account here.
signup-intro-approval = Tell us briefly who you are; a coordinator approves your sign-up. Have a code? Then you can start at once.
signup-closed = Signing up is not possible here right now. Ask a coordinator.
signup-code-needed = Fill in the code a coordinator gave you.
signup-passwords-differ = The two passwords are not the same.
signup-waiting = Thank you! A coordinator will look at your sign-up. After that you can log in.
signup-submit = Create account
field-code = Invitation code
field-code-optional = (if you have one)
field-application = Who are you?
field-application-hint = For example: where you live and how you know us.
field-display-name = Your name
field-display-name-hint = As others see you. Just your first name is fine.
field-username = Username
field-username-hint = Small letters, digits and _; you log in with it.
field-username-or-email = Username or email address
field-email = Email address
field-email-hint = Not required.
field-password = Password
field-password-hint = At least 8 characters. A sentence of a few words is easy to remember.
field-password-again = Password once more

## Asking and offering help
new-need-title = Ask for help
new-offer-title = Offer help
new-need-intro = Everyone needs help sometimes. Describe what you are looking for; you can look at a preview first.
new-offer-intro = Describe what you would like to do for your neighbours; you can look at a preview first.
field-post-as = Post as
post-as-myself = Myself
field-resident = On behalf of a resident
field-resident-hint = For coordinators only. The name stays here; others only see the initiative.
field-title = Title
field-title-hint-need = Short: what do you need help with?
field-title-hint-offer = Short: what do you offer?
field-description = Description
field-description-hint = Not required. Do not put an address or phone number here.
field-category = Category
field-category-choose = Choose a category
field-neighbourhood = Neighbourhood
field-neighbourhood-hint = Not required, for example Oud-Mathenesse.
field-when = When
when-flexible-choice = To be agreed
when-on-choice = On one day
when-between-choice = During a period
field-date-from = Date (or first day)
field-date-to = Last day (for a period)
field-visibility = Who may see it?
visibility-default-need = As the initiative has set it
visibility-default-offer = Everyone
visibility-public = Everyone
visibility-coalition = The initiatives we work with
visibility-followers = Only those who follow us
visibility-local = Only those who take part here
form-preview = Show a preview
form-publish-need = Post the need
form-publish-offer = Post the offer
form-check-fields = Almost there: see below what the fields still need.
form-date-needed = Choose a date.
form-dates-needed = Choose a first and a last day.
preview-heading = Preview
preview-hint = This is how others see it. Is it right? Then post it below.
when-flexible = to be agreed
when-on = on { $date }
when-between = from { $from } to { $to }

## A post
field-state = State
state-open = open
state-in-progress = someone is helping
state-fulfilled = helped
state-withdrawn = withdrawn
state-expired = expired
posted-by = Posted by
posted-at = Posted on
post-original = See the original where it was posted
respond-heading-need = I can help
respond-heading-offer = I would like this
respond-message = Your message
respond-message-hint = Only the poster sees this.
respond-submit = Send response
respond-login = Log in to respond
responses-heading = Responses
responses-none = No responses yet.
response-pending = waiting for your answer
response-accepted = accepted
response-declined = declined
response-accept = Accept
response-decline = Decline

# Figures (issue 13)
figures-title = What { $whose } did
figures-period = From { $from } up to and including { $to }
figures-from = From
figures-to = Up to and including
figures-show = Show this period
figures-csv = Download as a spreadsheet (CSV)
figures-print-hint = To print: choose Print in your browser. It all fits on one A4.
figures-caption = In this period
figures-by-category = Requests by kind
figures-asked = asked
figures-helped = helped
figures-who-helps-whom = Who helps whom
figures-no-names = Counted, never named: who asked for or gave help is not shown here.
figures-needs-asked = Requests for help asked
figures-needs-helped = Requests helped
figures-residents-helped = Residents helped (requests for residents)
figures-hours-given = Hours of help given
figures-times-helped = Times someone helped
figures-volunteers = Volunteers who helped
figures-first-response = Time to the first response (middle value)
figures-hours = { $hours } hours
figures-offers-made = Offers of help posted
figures-offers-taken = Offers of help taken up
figures-events-held = Activities held
figures-participants = Participants in activities
figures-first-response-hours = Hours to the first response (middle value)
figures-link = What we did: the figures

# The coordinator's desk (issue 13)
desk-heading = Help
desk-to-pass-on = Residents' requests for you alone: still to pass on
desk-waiting = Responses waiting for your decision
desk-waiting-none = No response is waiting for a decision.
desk-unanswered = No response after { $days } days
desk-unanswered-none = Every open request and offer has a response, or is still new.
desk-for-residents = Requests you posted for residents
desk-for-residents-hint = Only your initiative's coordinators see for whom.
desk-for-residents-none = No requests for residents are open now.
desk-decide = Decide on the responses
desk-wrap-up = Wrap up, change or withdraw
desk-for = For:
desk-suggestions = These may fit together
desk-fits = fits:
desk-days-ago = { $count ->
    [0] posted today
    [one] posted 1 day ago
   *[other] posted { $count } days ago
}
desk-responses = { $count ->
    [0] no response yet
    [one] 1 response
   *[other] { $count } responses
}
desk-pending = { $count ->
    [one] 1 waiting for you
   *[other] { $count } waiting for you
}

# Who may see a need (issue 13)
who-may-see = Who may see your request?
who-coordinators = Only the coordinators of my initiative. They look for someone and pass your request on without your name.
who-local = My neighbourhood initiative: everyone who takes part here.
who-coalition = The initiatives of the coalition we belong to.
who-everyone = Everyone, also outside the neighbourhood.
audience-heading = Who sees this?
audience-coordinators = Only { $people } ({ $initiatives }) will see this.
audience-local = Everyone who takes part in { $initiatives } will see this.
audience-coalition = The people of { $initiatives } will see this.
audience-followers = Whoever follows you will see this.
audience-everyone = Everyone can see this, also outside the neighbourhood.
audience-name-shown = Your name is shown with it.
audience-name-stays = Your name goes no further: whoever they ask to help does not see your name.
audience-nobody-yet = nobody yet
and = and
pass-on-heading = Pass on without the name
pass-on-intro = Only you and the other coordinators see this request. Pass it on as the initiative's request; the resident's name does not go with it. Write the title and text so that nobody can tell who it is about.
pass-on-button = Pass on without the name
pass-on-see = See the request as passed on
pass-on-submit = Pass it on
pass-on-done = Your coordinator passed your request on, without your name.
notice-doorgegeven = Passed on. The resident sees what happens with it.
notice-kind-helper-found = Someone was found to help you. { $who } keeps in touch with you.

# E-mail (issue 13)
mail-greeting = Hello { $name },
mail-look = See it on { $site }:
mail-footer-why = You get this e-mail because you chose it on { $site }.
mail-footer-stop = Rather no e-mail? Turn it off here:
mail-footer-choose = Or choose something else on My details:
mail-notice-subject = { $site }: { $what }
mail-digest-subject = What is new on { $site }
mail-digest-intro = This is new for you on { $site }:
mail-reminder-subject = Reminder: { $title }
mail-reminder-text = A reminder: you take part in "{ $title }" on { $when }.
mail-reminder-text-place = A reminder: you take part in "{ $title }" on { $when }, at { $place }.
mail-answer-subject = Answer from { $initiative }
mail-answer-your-question = You asked us:
mail-answer-from = Kind regards, { $initiative } (through { $site })
mail-test-subject = Test mail from { $site }
mail-test-text = This e-mail comes from { $site }. You are reading it, so e-mail works.
account-mail-heading = E-mail
account-mail-text = Would you like an e-mail when someone responds to your need or offer, sends you a message, or when an event you take part in is tomorrow or changes? Choose how often here.
account-mail-node-off = This neighbourhood site does not send e-mail yet. Ask the administrator to turn it on.
account-mail-address = Your e-mail address
account-mail-choice = How often would you like e-mail?
account-mail-mode-off = No e-mail
account-mail-mode-each = An e-mail for each message
account-mail-mode-daily = A summary once a day
account-mail-save = Save
account-moving-heading = If our initiative moves
account-moving-text = Sometimes an initiative moves to another place on the internet: when the volunteer who looks after this neighbourhood site stops, or when the initiative joins a bigger one. If you tick the box below, your name, your e-mail address and your password go along, so you log in there the same way. Without a tick your account stays here and nothing of yours goes along.
account-moving-choice = Move along when our initiative goes to another place
account-moving-save = Save
unsubscribe-title = No more e-mail
unsubscribe-text = Would you rather get no more e-mail from { $site }? Press the button. You do not need to log in.
unsubscribe-button = No more e-mail
unsubscribe-done = Done. You will get no more e-mail from us. Want e-mail again later? Choose it on My details.
unsubscribe-unknown = This link does not work (any more). Log in and choose on My details whether you want e-mail.
admin-mail-heading = E-mail
admin-mail-on = E-mail is on. Mails go through { $relay } from { $from }.
admin-mail-off = E-mail is off. Members get no e-mail, and coordinators have to pass on answers to "Ask us" themselves (by phone).
admin-mail-how = Turn it on with a [mail] block in buurtnet.toml (host, port, from, tls, and username and password if needed) and restart the node. The README explains each setting.
admin-mail-queue = Waiting: { $waiting } · sent: { $sent } · given up: { $failed }
admin-mail-test = Send me a test mail
question-answer-label = Answer (short)
question-answer-hint = If the asker gave an e-mail address, we e-mail the answer. Otherwise, call them yourself.
question-answer-send = Send answer
question-answered-by = Answered by { $who } on { $when }:
question-answered-mailed = The answer was e-mailed to { $contact }.
question-answered-call = This answer was not e-mailed. Call { $name } yourself: { $contact }.
notice-antwoord-gemaild = Your answer is on its way by e-mail.
notice-antwoord-bellen = Your answer is saved but not e-mailed. Call the asker yourself; the number is with the question.
notice-mail-gekozen = Saved. You can always change this.
notice-verhuizen-gekozen = Saved. You can always change this.
notice-proefmail = A test mail is ready. It arrives within a minute.

# Closing the loop (issue 13)
change-need-title = Change the request
change-offer-title = Change the offer
form-save-change = Save the change
response-undelivered = not delivered
response-yours-heading = Your response
response-yours-pending = Your response was sent. You will hear when there is an answer.
response-yours-accepted = Your help is welcome! Agree together how and when; see your conversations.
response-yours-declined = Someone else was chosen this time. Thank you for offering!
response-yours-undelivered = Your response did not reach the initiative. Please get in touch another way, for example by phone.
decline-reason-other-chosen = Someone else is helping already. Thank you for offering!
decline-reason-in-progress = Someone was already helping when your response arrived. Thank you for offering!
decline-reason-fulfilled = The help had already been given when your response arrived. Thank you for offering!
decline-reason-withdrawn = This request or offer was withdrawn.
decline-reason-expired = This request or offer has expired.
manage-heading = Wrapping up
helped-heading = Was the help given?
helped-hours = How many hours of help?
helped-hours-hint = (optional; for example 1.5)
helped-hours-unreadable = Give the hours as a number, for example 1.5, or leave it empty.
helped-thanks = A short thank-you for whoever helped
helped-thanks-hint = (optional; only the helpers see it)
helped-submit = Yes, the help was given
helped-thanks-shown = Thanks:
helped-with-hours = helped, { $hours } hours
withdraw-heading = No longer needed?
withdraw-confirm = Yes, I withdraw this
withdraw-not-sure = Tick the box first if you really want to withdraw it.
withdraw-submit = Withdraw
change-link = Change
notice-geholpen = Marked as helped. The helpers will hear it.
notice-ingetrokken = Withdrawn. Whoever responded will hear it.
notice-gewijzigd = The change is online.
notice-kind-response-closed = Your response is no longer needed. The page says why.
notice-kind-response-undelivered = Your response did not arrive. Please get in touch another way.
notice-kind-proposal-fulfilled = { $who } says the help was given. Thank you!
notice-kind-proposal-closed = { $who } withdrew something you were going to help with.
notice-kind-join-undelivered = Your request to take part in an activity did not arrive. Please get in touch with the organisers another way.
notice-kind-patch-undelivered = Your proposed change did not reach the article's initiative.

## Events
event-starts = Starts
event-ends = Ends
event-place = Where
event-online = Online
event-participants = Participants
event-organiser = Organised by
event-cancelled = Cancelled
event-add-to-calendar = Add to my calendar
participants-count = { $count ->
    [one] 1 participant
   *[other] { $count } participants
}
participants-of = { $count } of { $capacity } places taken

## Profiles
profile-follow-hint = Follow from your own Mastodon or neighbourhood node with
profile-proposals = Open needs and offers
profile-posts = Posts
profile-no-posts = No public posts yet.

## Coordination
coordinate-title = Coordination
invite-heading = Invite new members
invite-made = The invitation is ready. Pass on this code (it works once, for 14 days):
invite-link = Or send this link:
invite-initiative = Become a member of
invite-note = For whom
invite-note-hint = Only for yourself, to remember whom the code was for.
invite-submit = Make a code
invite-list = Invitations made
invite-made-at = Made
invite-status = State
invitation-used = used
invitation-expired = expired
invitation-valid-until = valid until { $date }
waiting-heading = Sign-ups waiting
waiting-none = Nobody is waiting.
waiting-approve = Approve

## Categories
category-boodschappen = groceries
category-klussen = odd jobs
category-vervoer = transport
category-gezelschap = company
category-maaltijd = meals
category-geldzorg = money worries
category-digitale-hulp = digital help
category-administratie = paperwork
category-tuin = garden
category-overig = other

## Conversations
nav-conversations = Conversations
notice-verstuurd = Your message was sent.
conversations-title = Conversations
conversations-intro = Private messages with people you make arrangements with. Only the two of you see them.
conversations-none = No conversations yet. A conversation starts when a response to a need or offer is accepted.
conversations-back = All conversations
conversation-title = Conversation with { $name }
conversation-private = only the two of you see this
conversation-me = Me
conversation-write = Write to { $name }
conversation-send = Send

## Posting events and taking part
nav-event = Post an event
new-event-title = Post an event
new-event-intro = A meal, meet-up or activity. Neighbours here and in neighbourhoods that follow you can sign up.
field-date = Date
field-start = Start time
field-time-hint = For example 17:30.
field-end = End time
field-end-hint = Not required.
field-place = Place
field-address = Address
field-online-url = Online link
field-online-url-hint = Not required; for an online meeting.
field-capacity = Number of places
field-capacity-hint = Leave empty when there is no limit.
field-join-mode = Signing up
join-mode-free = Anyone can sign up while there is room
join-mode-approval = The organisers approve each sign-up
join-mode-external = Signing up happens elsewhere
form-publish-event = Post the event
form-time-needed = Fill in a time, like 17:30.
form-number-needed = Fill in a number.
rsvp-heading = Taking part
rsvp-join = I will come
rsvp-leave = I cannot come after all
rsvp-login = Log in to sign up
rsvp-you-are-in = You are taking part.
rsvp-you-asked = You signed up; the organisers will let you know.
rsvp-you-were-refused = It did not work out this time (full, or the organisers could not fit you in).
rsvp-participants = Sign-ups
rsvp-no-participants = Nobody yet.
rsvp-state-pending = waiting for your decision
rsvp-state-accepted = taking part
rsvp-state-rejected = declined
rsvp-accept = Let in
rsvp-decline = Decline
notice-aangemeld = You are signed up. Put it in your calendar!
notice-aangevraagd = Your sign-up was sent. The organisers will let you know.
notice-afgemeld = You are no longer signed up.
notice-beslist = Your decision was passed on.

## Administration: federation
nav-admin = Administration
federation-title = Federation
federation-summary = { $healthy } nodes and servers reachable, { $troubled } with problems.
federation-picture-title = This node and { $count } other servers it exchanges posts with
federation-legend = Solid green line: reachable. Dashed orange line: failing now, retries go on. Dotted red line: unreachable for a long time.
federation-table = Servers, what is waiting and what failed
federation-none = This node has not exchanged posts with any other server yet.
peer-host = Server
peer-state = State
peer-pending = Waiting to be sent
peer-failed = Given up
peer-since = Since
peer-last-success = Last success
peer-last-error = Last error
peer-action = Action
peer-retry = Try again now
peer-retry-label = Try again now: { $host }
peer-healthy = reachable
peer-failing = failing now
peer-unreachable = unreachable
never = never
notice-opnieuw = Being tried again now.

## Search and follow
nav-search = Search
search-title = Search
search-label = Find people, neighbourhoods or help
search-hint = A name, a word, or an address like @wijkpaleis@buurt.nl.
search-submit = Search
search-people = People and initiatives
search-no-people = Nobody found.
search-proposals = Needs and offers
search-not-found = That address could not be found. Is it right?
search-login-to-find = Log in to find people and neighbourhoods on other servers.
actor-initiative = initiative
actor-original = See it on its own server
moved-initiative = This initiative has moved to
moved-person = This account has moved to
actor-no-posts = No posts from here are known yet.
follow-heading = Follow
follow-state-following = following
follow-state-pending = asked, waiting for approval
follow-state-none = not following
follow-as = Follow as { $who }
unfollow-as = Stop following as { $who }
notice-gevolgd = You are following now.
notice-volgen-gevraagd = Asked; you follow once it is approved.
notice-ontvolgd = You no longer follow.
remote-follow-heading = Follow from another server
remote-follow-label = Your own address
remote-follow-hint = For example @name@mastodon.social. You go to your own server to confirm.
remote-follow-submit = Continue on my server
remote-follow-failed = Following through that address did not work. Check the address, or look this account up on your own server.

## Notifications
nav-notices = Notifications
nav-notices-unread = { $count ->
    [one] Notifications (1 new)
   *[other] Notifications ({ $count } new)
}
notices-title = Notifications
notices-none = No notifications.
notices-new = new
notices-clear = Clear all notifications
notice-gewist = The notifications are cleared.
someone = Someone
notice-kind-other = Something happened.
notice-kind-mention = { $who } wrote to you.
notice-kind-match = There is a need or offer that fits this.
notice-kind-admin-report = { $who } was reported.
notice-kind-event-moved = An event you take part in was moved.
notice-kind-event-cancelled = An event you take part in was cancelled.
notice-kind-co-organiser-asked = Your initiative is asked to co-organise.
notice-kind-response = { $who } responded to your need or offer.
notice-kind-response-accepted = { $who } accepted your response.
notice-kind-response-declined = { $who } declined your response.
notice-kind-favourite = { $who } liked your post.
notice-kind-reblog = { $who } shared your post.
notice-kind-rsvp-request = Someone wants to take part in your event.
notice-kind-rsvp-accepted = You are taking part in the event.
notice-kind-rsvp-rejected = Taking part in the event did not work out.
notice-kind-rsvp-removed = The organisers have signed you off for the event.
notice-kind-follow = { $who } follows you now.
notice-kind-follow-request = { $who } wants to follow you.
notice-kind-follow-undelivered = Your request to follow { $who } did not arrive, so you are not following { $who }. You can try again later.
notice-kind-patch-proposed = A change was proposed for an article.
notice-kind-patch-merged = Your change to an article was taken over.
notice-kind-patch-rejected = Your change to an article could not be taken over.

## My data
nav-profile = My profile
nav-account = My data
account-title = My data
account-export-heading = Download everything
account-export-text = A file with your profile, your initiatives, whom you follow and who follows you, your posts and the private messages you received.
account-export = Download my data
account-delete-heading = Delete account
account-delete-text = Your posts disappear, here and at the other neighbourhoods that received them. Your username stays taken, so that nobody can pose as you. This cannot be undone.
account-delete-confirm = Type your username ({ $username }) to confirm
account-delete-confirm-wrong = Type your username exactly like that to confirm.
account-delete = Delete my account
notice-verwijderd = Your account is deleted. All the best!
nav-member-label = My neighbourhood

## Members and passwords
members-heading = Members
members-caption = Members of the initiatives you coordinate
members-name = Name
members-role = Role
role-coordinator = coordinator
role-member = member
reset-button = New password
reset-for = New password for { $name }
reset-made = Give { $name } this link. With it { $name } chooses a new password (once, within 24 hours):
reset-title = Choose a new password
reset-intro = Hello { $name }, choose your new password here. Then log in again.
reset-submit = Save password
reset-unusable = This link does not work (any more). Ask your coordinator for a new one.
notice-wachtwoord = Your new password is saved. Log in now.

## Moderation
moderation-title = Follow requests, reports and blocks
moderation-link = Follow requests, reports, blocks and suggestions
moderation-back = Back to coordination
requests-heading = Follow requests
requests-none = Nobody is waiting to follow.
request-text = { $who } wants to follow { $initiative }.
request-accept = Let in
request-decline = Refuse
reports-heading = Reports from members
reports-none = No open reports.
report-by = Reported by { $who } on { $when }
report-handled = Handled
report-block-account = Block this account
report-block-domain = Block all of { $domain }
blocks-heading = Blocks
blocks-intro = This node takes in nothing from blocked accounts and servers. Applies to the whole node.
block-what = What to block
block-kind-actor = One account
block-kind-domain = A whole server
block-address = Address
block-address-hint = An account like @name@server.org, or a server like server.org.
block-reason = Reason
block-submit = Block
blocks-caption = Blocked
unblock = Lift
unblock-label = Lift the block: { $what }
suggestions-heading = Suggestions
suggestions-intro = Needs and offers that seem to fit each other. Put the people in touch when it is right.
suggestions-none = No suggestions yet.
suggestion-fits = may fit
notice-volger-toegelaten = The follower is let in.
notice-volger-geweigerd = The follow request is refused.
notice-afgehandeld = The report is handled.
notice-geblokkeerd = Blocked.
notice-gedeblokkeerd = The block is lifted.
news-feed = News
feeds-follow = Follow in a feed reader or calendar:

## Shared knowledge
nav-knowledge = Knowledge
kind-article = Article
knowledge-title = Shared knowledge
knowledge-intro = How-tos, lessons and agreements that initiatives share. Anyone who may read one can propose an improvement.
knowledge-none = No articles yet.
new-article-title = Write an article
new-article-intro = Write down what you know, so that others can use it. Markdown formatting: # heading, **bold**, - list.
field-article-text = Text
field-article-text-hint = Markdown: # heading, **bold**, *italic*, - list, [link](https://…).
field-edit-policy = Who may change it?
edit-policy-author = Only the author (or the initiative's coordinators)
edit-policy-initiative = Also the initiative's members; others propose
edit-policy-open = Everyone who reads it, in other neighbourhoods too
form-publish-article = Post the article
article-version = version { $version }, { $when }
article-edit = Edit
article-propose = Propose an improvement
article-history = History
article-waiting = Proposed changes
article-merge = Take over
article-decline = Do not take over
article-fork-as = Take over into our own knowledge, as
article-fork = Make a copy
edit-title = Edit { $title }
edit-intro-direct = Your change becomes the new version at once. If someone else changes it at the same time, both changes are merged.
edit-intro-propose = You propose a change; whoever looks after the article takes it over or not.
field-edit-summary = What did you change?
field-edit-summary-hint = Briefly, for the history.
edit-save = Save
edit-propose = Send the proposal
edit-back = Back to the article
edit-conflict = Someone else changed the same lines. Your text is still below; adjust it and save again.
history-title = History of { $title }
revision-heading = Version { $version }, { $when }
revision-changes = What changed
notice-bewerkt = The new version is up.
notice-voorgesteld = Your proposal was sent.
notice-overgenomen = The change was taken over.
notice-niet-overgenomen = The change was not taken over.
notice-overgenomen-kopie = The article is now in our own knowledge too.

## Writing posts
nav-note = Write a post
nav-article = Write an article
new-note-title = Write a post
new-note-intro = News, a thank-you or a call. It goes to those who follow you (or the initiative).
field-note-text = Post
field-note-text-hint = #hashtags and @name@server work as on Mastodon.
field-content-warning = Content warning
field-content-warning-hint = Not required; readers see only this at first.
form-publish-note = Post it

## Post something
nav-new = Post something
new-title = What would you like to post?
new-ask-hint = You are looking for help, for yourself or a neighbour.
new-offer-hint = You would like to do something for others.
new-event-hint = A meal, meet-up or activity.
new-note-hint = News, a thank-you or a call.
new-article-hint = A how-to, lesson or agreement to share.
browse-date = On which day
browse-date-hint = Not required; what is 'to be agreed' shows too.
agenda-from = From date

## Settings
settings-title = Settings of the node
settings-intro = Visitors see the name, description and rules here and in Mastodon apps.
settings-name = Name
settings-name-hint = For example Buurtnet Bospolder. Empty: the node's address.
settings-description = Description
settings-rules = House rules
settings-rules-hint = One rule a line.
settings-registrations = How do people become members?
settings-registrations-default = As in the config file
settings-registrations-invitation = With an invitation code from a coordinator
settings-registrations-approval = Anyone can sign up; a coordinator approves
settings-registrations-closed = Signing up is closed
settings-save = Save
settings-fixed = Fixed in the config file
notice-opgeslagen = Saved.

image-legend = Picture (not required)
image-file = Choose a picture
image-file-hint = PNG, JPEG, WebP or GIF, at most 8 MB. Data such as where it was taken is removed.
image-description = What is in the picture?
image-description-hint = For those who cannot see it. Required with a picture.
image-description-needed = Describe what is in the picture, for those who cannot see it.
image-refused-too-large = the picture is too large (at most 8 MiB)
image-refused-unknown-format = not an image we know
image-refused-format-not-taken = only PNG, JPEG, WebP and GIF
image-refused-unreadable = the image cannot be read: { $why }
image-refused-too-many-pixels = the image has too many pixels
image-refused-animation-too-long = the animation is too long
attachment-file = Attachment: { $name }

## Letting an app in
consent-title = { $app } wants to use your account
consent-asks = The app { $app } asks for access to your account:
consent-explain = Only allow it if you just opened this app. You can always take the access back.
consent-as = You are logged in as { $name } (@{ $handle }).
consent-other-account = With another account
consent-allow = Allow
consent-deny = Deny
consent-done = Done
consent-copy-code = Copy this code into the app:
consent-unknown-app = This app is not known here, or its address is wrong.

## Coalitions
nav-coalitions = Coalitions
coalitions-title = Coalitions
coalitions-intro = A coalition is a partnership of initiatives from different neighbourhoods. Nobody is in charge: the members decide together by their agreements.
coalitions-none = This neighbourhood is not in a coalition yet.
coalition-members-count = { $count ->
    [one] 1 initiative takes part
   *[other] { $count } initiatives take part
}
coalition-kind = Coalition
coalition-all = All coalitions
coalition-see-below = That did not work: see below what is still needed.
coalition-rules-heading = Agreements
coalition-rule-sponsors = { $count ->
    [one] 1 initiative must propose or support them
   *[other] { $count } initiatives must propose or support them
}
coalition-rule-objection = { $count ->
    [0] nobody objects (there is no waiting time)
    [one] nobody objects within 1 day
   *[other] nobody objects within { $count } days
}
coalition-rule-admission = New members: { $sponsors } and { $objection }.
coalition-rule-majority = Removing a member or changing the agreements: more than half of the members vote for it.
coalition-members-heading = { $count ->
    [one] Members (1 initiative)
   *[other] Members ({ $count } initiatives)
}
coalition-replicas-heading = Also found at
coalition-replicas-none = So far this coalition is only on this website.
coalition-follow-hint = Follow the coalition from your own Mastodon app or server: everything its members share publicly then reaches you. The address:
coalition-replicas-intro = Every initiative that takes part has the coalition on its own website too. They all show the same:
coalition-proposals-heading = Proposals
coalition-proposals-none = There are no open proposals now.
coalition-proposed-by = Proposed by
coalition-proposal-admit = New member: { $who }
coalition-proposal-remove = Remove a member: { $who }
coalition-proposal-charter = New agreements for “{ $name }”
coalition-sponsors = Supported by
coalition-objections = Objections from
coalition-votes-for = For
coalition-votes-against = Against
coalition-nobody = nobody yet
coalition-status-objectable = Objections are possible until { $date }.
coalition-status-needs-sponsors = Waiting for support: { $have } of the { $needed } needed.
coalition-status-about-to-be-admitted = Enough support and no objection: will be admitted shortly.
coalition-status-objected = A member objected: not admitted.
coalition-invited = Your initiative was invited to become a member. Will you join?
coalition-invitation-yes = Yes, we join
coalition-invitation-no = No, thank you
coalition-status-awaits-answer = Invited, enough support and no objection: waiting for the invited initiative to say yes.
coalition-status-declined = The invited initiative said no.
coalition-status-admitted = Admitted.
coalition-status-voting = Voting is open: { $for } for, { $against } against. Passes with { $needed } votes for.
coalition-status-passed = Passed.
coalition-decided-heading = Decided earlier
coalition-sponsor = Support
coalition-object = Object
coalition-vote-for = Vote for
coalition-vote-against = Vote against
coalition-act-as = On behalf of
coalition-act-heading = Taking part in the coalition
coalition-admission-heading = Propose a new member
coalition-admission-intro = The initiative becomes a member when it has enough support and nobody objects in time.
coalition-candidate = Address of the initiative
coalition-candidate-hint = For example @communityhouse@other-neighbourhood.nl or https://other-neighbourhood.nl/initiatives/communityhouse
coalition-admission-submit = Propose
coalition-removal-heading = Propose removing a member
coalition-removal-intro = The member is removed when more than half of the members vote for it.
coalition-removal-member = Which member?
coalition-removal-choose = Choose a member
coalition-removal-submit = Propose removal
coalition-charter-heading = Change the agreements
coalition-charter-intro = Change what should be different. The new agreements apply when more than half of the members vote for them.
coalition-charter-submit = Propose the change
coalition-leave-heading = Leave the coalition
coalition-leave-intro = Your initiative will no longer be a member. Taking part again is only possible by applying again.
coalition-leave-confirm = I understand that this cannot be undone.
coalition-leave-submit = Leave the coalition
coalition-leave-confirm-needed = First tick the box if you are sure you want to leave the coalition.
coalition-only-coordinators = Only coordinators of member initiatives can propose, support or vote here.
coalition-field-name = Name of the coalition
coalition-field-description = What is the coalition about?
coalition-field-description-hint = A few sentences for visitors. May stay empty.
coalition-field-sponsors = How many members must support a new member?
coalition-field-sponsors-hint = Usually 1.
coalition-field-days = For how many days can members object to a new member?
coalition-field-days-hint = Usually 7. With 0 a new member can be admitted straight away.
coalition-number-needed = Enter a number, such as 1 or 7.
coalition-refused-members-only = Only an initiative that is a member of the coalition can do that.
coalition-refused-already-member = This initiative is already a member of the coalition.
coalition-refused-unknown-proposal = We do not know that proposal here (any more). Reload the page.
coalition-refused-too-early = The time for objections is not over yet.
coalition-refused-objected = A member objected to this proposal.
coalition-refused-sponsors = This proposal does not have enough support yet.
coalition-refused-charter-out-of-bounds = These agreements ask for something that cannot be, such as a name that is too long or more than 90 days to object.
coalition-refused-other = The coalition's agreements do not allow that.
coalition-refused-founded-already = This coalition has already been founded.
coalition-refused-founder-not-among-founders = Whoever founds a coalition must be one of its founders.
coalition-refused-not-founded = This coalition has not been founded yet.
coalition-refused-invitation-decided = This invitation has already been decided.
coalition-refused-objections-for-admissions = Objections are only for new members.
coalition-refused-admissions-sponsored = A new member is not voted on: you can support it or object to it.
coalition-refused-only-admissions-admitted = Only a new member can be admitted.
coalition-refused-not-accepted = The invited initiative has not said yes yet.
coalition-candidate-needed = Enter the address of the initiative that should become a member.
coalition-candidate-not-found = We found no initiative at that address. Check that the address is right.
coalition-candidate-not-initiative = That address belongs to a person. Only initiatives can become members.
coalition-candidate-already-proposed = This initiative has been proposed already. Support the proposal above.
coalition-member-needed = Choose which member you want removed.
coalition-part-member = { $count ->
    [one] member (the only member so far)
   *[other] member (the coalition has { $count } members)
}
coordinate-coalitions-none = Your initiatives are not members of a coalition yet.
coalition-found-heading = Found a coalition
coalition-found-intro = Your initiative becomes the first member. Other initiatives can then apply.
coalition-found-initiative = Which initiative founds the coalition?
coalition-field-slug = Short name for the address
coalition-field-slug-hint = Small letters, digits and _, such as delfshaven. The address then becomes …/coalitie/delfshaven
coalition-found-submit = Found the coalition
coalition-initiative-needed = Choose an initiative you coordinate.
coalition-slug-invalid = Use 1 to 30 small letters (a-z), digits or _, without spaces.
coalition-slug-taken = That short name is already in use here. Choose another one.
coalition-join-heading = Join a coalition
coalition-join-intro = Ask an initiative that is a member for the address. The members decide whether you join.
coalition-join-initiative = Which initiative wants to join?
coalition-join-replica = Address of the coalition
coalition-join-replica-hint = For example https://other-neighbourhood.nl/coalitions/delfshaven
coalition-join-submit = Apply
coalition-replica-needed = Enter the address of the coalition.
coalition-replica-not-found = We found no coalition at that address. Check that the address is right, or try again later.
notice-coalitie-opgericht = The coalition has been founded. Your initiative is its first member.
notice-coalitie-aangemeld = Your application has been sent. The members decide whether you join.
notice-coalitie-gesteund = Your support has been passed on.
notice-coalitie-bezwaar = Your objection has been passed on.
notice-coalitie-gestemd = Your vote has been passed on.
notice-coalitie-voorgesteld = Your proposal is up. The other members will see it.
notice-uitnodiging-aangenomen = Your yes was passed on. Membership goes on by the coalition's rules.
notice-uitnodiging-afgeslagen = Your no was passed on.
notice-coalitie-verlaten = Your initiative has left the coalition.

coalition-needs-heading = Needs of the members
coalition-offers-heading = Offers of the members
coalition-none-open = Nothing is open right now.
coalition-agenda-heading = The members' agenda
coalition-agenda-none = Nothing on the agenda yet.
coalition-network-heading = Who helps whom
coalition-network-title = Help between the coalition's initiatives
coalition-network-caption = Each arrow points from the initiative that helped to the one that was helped; a thicker arrow means more often.
coalition-network-none = No help between the initiatives is known yet.
coalition-network-times = { $count ->
    [one] once
   *[other] { $count } times
}
coalition-network-row = { $from } helped { $to } { $times }
coalition-field-removal = What share of the members must vote to remove a member (in percent)?
coalition-field-change = What share of the members must vote to change the agreements (in percent)?
coalition-field-percent-hint = More than this share must vote for it. Usually 50: more than half. 99 means: everyone.
coalition-rule-votes = Removing a member: { $removal } of the members vote for it. Changing the agreements: { $change } of the members vote for it.
coalition-rule-share-half = more than half
coalition-rule-share-percent = more than { $percent }%

## How to reach us, Ask us (issue 13)
reach-heading = How to reach us
reach-none = This initiative has not given a phone number or address yet. You can still send your question.
reach-phone = Phone
reach-address = Address
reach-walk-in = Walk-in hours
ask-heading = Ask us
ask-intro = You do not need an account. Write down what you need help with; a coordinator of { $name } will get in touch with you.
ask-field-name = Your name
ask-field-name-hint = Your first name or a nickname is enough.
ask-field-contact = How can we reach you?
ask-field-contact-hint = A phone number or an e-mail address.
ask-field-question = Your question
ask-field-question-hint = What do you need help with? Please leave out web addresses.
ask-field-trap = Leave this field empty
ask-field-sum = What is { $left } plus { $right }?
ask-field-sum-hint = So we know a person fills this in. Write the answer in digits.
ask-submit = Send my question
ask-privacy = Only the coordinators of { $name } see your name and how to reach you.
ask-too-many = Many questions were just sent from this address. Please try again in an hour, or call us.
ask-wrong-answer = That answer is not right. Work out the new sum and try again.
asked-title = Your question was sent
asked-thanks = Thank you, { $name }. Your question reached the coordinators of { $initiative }.
asked-contact = A coordinator of { $initiative } will get in touch with you through:
asked-privacy = Only the coordinators of { $initiative } see your name and how to reach you. They do not pass them on to others.
asked-reach-heading = Rather call or drop in yourself?
asked-back = Back to { $initiative }
ask-us-title = Asking for help
ask-us-intro = You do not need an account to ask for help. Choose an initiative near you. You can call, drop in or write down your question; a coordinator will then get in touch with you.
ask-us-write = Ask { $name } your question
ask-us-members = Do you have an account?
ask-us-members-link = Post a need on the site yourself.
front-ask-without-account = No account? You can still ask for help.
front-ask-without-account-link = How to reach the initiatives.
initiative-edit-link = Change details and contact
initiative-edit-for = Change the details and contact of { $name }
initiative-edit-title = { $name }: details and contact
initiative-edit-intro = What you fill in here everyone sees on the initiative's page, visitors without an account too.
initiative-field-name = Name of the initiative
initiative-field-description = Description
initiative-field-description-hint = A few sentences: what do you do, and for whom?
initiative-reach-hint = Leave empty what you do not want to give.
initiative-field-walk-in-hint = For example: Tuesday 10–12 at the community centre.
initiative-field-contact-text = Anything else about contact
initiative-field-contact-text-hint = For example: feel free to call, we call back when we are out.
initiative-edit-submit = Save
initiative-edit-cancel = Do not change
notice-gegevens = The details were saved.
initiative-keep-heading = How long do we keep expired and finished requests for help?
initiative-keep-hint = A request for help says something about someone's life. Once a request or offer of your initiative has expired, was withdrawn or was helped, we remove it after this time: here and at the other initiatives that received it.
initiative-keep-label = Keep after it ends
initiative-keep-days = { $days } days
initiative-keep-submit = Save how long we keep them
notice-bewaren = Saved. Expired and finished requests are now kept as long as you chose.
questions-heading = Recent questions
questions-intro = Questions from people without an account ("Ask us"). Only the initiative's coordinators see them.
questions-none = No questions yet.
question-handled-by = Handled by { $who } on { $when }
question-need-link = the need
question-to-need = Make it a need
question-handled = Handled
question-handled-for = Question from { $name } handled
question-form-note = This need comes from "Ask us". The name stays with us; write a title without the name.
notice-vraag-afgehandeld = The question was handled.
notice-kind-question = There is a new question for { $who }.
make-coordinator = Make coordinator
make-coordinator-for = Make { $name } coordinator of { $initiative }
notice-coordinator = The member is a coordinator now.
signup-code-heading = Where do you get a code?
signup-code-where = A coordinator of an initiative near you gives you the code. Call, write or drop in.
signup-code-initiatives = How to reach the initiatives.
signup-code-no-account = Only looking for help? You do not need an account for that.
signup-code-ask-us = Ask an initiative your question.

# A coalition's week (issue 16)
week-day-heading = { $weekday ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
} { $day } { $month ->
    [jan] January
    [feb] February
    [mar] March
    [apr] April
    [may] May
    [jun] June
    [jul] July
    [aug] August
    [sep] September
    [oct] October
    [nov] November
   *[dec] December
}
week-time-range = { $from } to { $until }
week-title = This week at { $name }
week-meals-title = Where can I eat this week?
week-period = { $from } to { $until }
week-all-link = Everything on this week
week-meals-link = Where can I eat this week?
week-back = To the page of { $name }
week-calendar-link = Put this agenda in your phone or computer
week-none = The members have nothing on the agenda this week.
week-meals-none = The members have no meals on the agenda this week.
week-meals-hint = Organising a meal? Put #samenEten in the description and it shows here.
week-nav-label = Other weeks
week-previous = Previous week
week-next = Next week
coalition-week-heading = This week
coalition-week-none = The members have nothing on the agenda this week.
coalition-week-more = Everything on this week
coalition-governance-link = Agreements, proposals and votes (for coordinators)
coalition-governance-title = Agreements of { $name }
coalition-governance-intro = Here the members' coordinators decide together: who joins, who leaves and which agreements hold.
coalition-governance-back = Back to { $name }
week-meal-mark = shared meal

# Issue 16: organisers of an activity, and guests without an account
event-questions = Questions for those who join
event-questions-hint = (answering is optional)
event-asks-lift = Ask whether someone needs a lift
event-asks-diet = Ask for a diet wish
event-meal = This is a meal
event-meal-hint = Then it shows with the shared meals in the neighbourhood.
event-repeat = Repeat
repeat-none = No, just once
repeat-weekly = Every week
repeat-fortnightly = Every two weeks
repeat-monthly-day = Every month on the same day (for example every 15th)
repeat-monthly-weekday = Every month on the same weekday (for example every first Tuesday)
repeat-until = Up to and including
repeat-end-hint = (or fill in below how many times)
repeat-count = How many times in all
join-needs-lift = I need a lift
join-diet = Diet wish (for example vegetarian, no pork)
rsvp-closed = Registration is closed.
organise-link = Organise: participants, change, cancel
organise-title = Organise: { $title }
organise-back = Back to the activity
organise-state-left = cancelled
organise-needs-lift = Needs a lift
organise-diet = Diet wish: { $diet }
organise-guest = without an account
organise-guest-added = signed up by you
organise-contact = Reachable at:
organise-add-guest = Sign someone up
organise-add-guest-intro = For someone without an account, for example someone who phoned. Add how you reach them.
organise-add-guest-submit = Sign up
organise-registration = Registration open or closed
organise-registration-open = Anyone can sign up now.
organise-registration-closed = Registration is closed. Those who signed up still take part.
organise-reopen = Open registration again
organise-close = Close registration
organise-change = Change or move
organise-change-intro = Those who take part are told when the time or place changes.
organise-cancel = Cancel
organise-cancel-sure = Yes, this activity will not take place
organise-cancel-sure-needed = Tick that the activity will not take place.
organise-series = This activity comes back
organise-series-intro = Move a date above, one date at a time. If a date does not take place, choose it here; whoever signed up is told.
organise-series-skip-date = Date that does not take place
organise-series-skip = Skip this date
organise-series-stop-sure = Yes, after today the activity does not come back
organise-series-stop = Stop repeating
organise-series-stop-sure-needed = Tick that the activity no longer comes back.
organise-cancel-submit = Cancel the activity
organise-remove = Sign off
organise-remove-sure = Yes, sign off
organise-remove-sure-needed = Tick "Yes, sign off" for whom you sign off.
guest-heading = Sign up without an account
guest-intro = Give your name and how we can reach you: a phone number or e-mail address.
guest-name = Name
guest-contact-hint = Fill in at least one of the two.
guest-phone = Phone number
guest-email = E-mail address
guest-submit = I'm coming
guest-privacy = Only the organisers see your phone number and e-mail address.
guest-too-many = Many sign-ups were just sent from this address. Please try again in an hour, or call the organisers.
guest-signed-up-title = Signed up
guest-you-are-in = You are signed up for { $title }. See you there!
guest-waiting = Your sign-up for { $title } has arrived. The organisers will let you know whether it works out.
guest-thanks = Thank you.
guest-cancel-heading = Can't make it after all?
guest-cancel-explained = With this link you cancel, so someone else can have your place:
guest-link-mailed = We also mailed you this link.
guest-keep-link = Keep this link, or call the organisers if you cannot come after all.
guest-back-to-event = Back to the activity
guest-cancel-title = Cancel
guest-cancel-question = Can't come to { $title }? Cancel here.
guest-cancel-submit = I can't come after all
guest-cancelled = You have cancelled for { $title }. Your place is free for someone else.
mail-guest-subject = Signed up: { $title }
mail-guest-signed-up = You are signed up for { $title }:
mail-guest-cancel = Can't make it after all? Cancel with this link:
mail-guest-accepted-subject = You can come: { $title }
mail-guest-accepted = Good news: you can come to { $title }:
mail-guest-refused-subject = Not this time: { $title }
mail-guest-refused = We are sorry: there is no place for you at { $title } this time:
mail-guest-moved-subject = Changed: { $title }
mail-guest-moved = The time or place of { $title } has changed. It is now:
mail-guest-cancelled-subject = Cancelled: { $title }
mail-guest-cancelled = We are sorry: { $title } will not take place. It would have been on:
mail-guest-removed-subject = Signed off: { $title }
mail-guest-removed = The organisers have signed you off for { $title }:
mail-guest-questions = Questions? Call or mail the organisers. More about the activity:
organise-phone-only = No e-mail: call yourself when something changes.

## What the domain says (buurtnet_domain::words::Say), by code
say-title-length = Give a title of 3 to 120 characters.
say-at-most-chars = At most { $max } characters.
say-choose-category = Choose one of the categories.
say-end-before-start = The end comes before the start.
say-expiry-passed = The end date has already passed.
say-hours-range = Between 0 and 1000 hours.
say-names-the-resident = The title or text names the resident. Leave the name out: others read it too.
say-on-behalf-only-for-initiative = Only a coordinator writing for the initiative can ask on behalf of a resident.
say-need-passed-on-already = This need was passed on already.
say-respond-to-own = You cannot respond to your own need or offer.
say-response-answered-already = This response was answered already.
say-no-longer-open = Someone is already helping, or it is no longer open.
say-name-taken = The name { $name } is taken.
say-email-taken = There is already an account with this e-mail address.
say-repeat-unknown = Choose how often the activity comes back: not, every week, every two weeks or every month.
say-repeat-count-range = Choose a number of times from 1 to 104.
say-repeat-ends-before-start = The last date is before the first.
say-repeat-too-long = A repeat runs for at most two years.
say-moved = This account moved to { $target } and posts nothing here any more.
say-unknown-time-zone = We do not know this time zone.
say-no-such-local-time = This time does not exist in that time zone.
say-place-or-online-link = Give a place or an online link.
say-https-address = Give a web address that starts with https://
say-place-name-length = Give the place a name of at most 200 characters.
say-capacity-range = Choose a number of places between 1 and 100000.
say-event-full = This event is full.
say-registration-closed = Registration is closed.
say-sign-up-through-organisers = Sign up through the organisers' link.
say-request-answered-already = This request was answered already.
say-choose-another-initiative = Choose another initiative.
say-phone-or-email = Give a phone number or an e-mail address.
say-not-a-phone-number = Give a phone number such as 06 12345678.
say-not-an-email-address = Give an e-mail address such as naam@voorbeeld.nl.
say-guest-name-length = Give a name of 2 to { $max } characters.
say-fill-this-in = Please fill this in.
say-no-web-addresses = No web addresses, please.
say-question-becomes-need = A question becomes a need.
say-one-to-chars = From 1 to { $max } characters.
say-question-answered-already = This question was answered already.
say-username-characters = use 1 to 30 letters (a-z), digits or underscores
say-name-length = give a name of 1 to { $max } characters
say-password-too-short = use at least { $min } characters
say-no-such-initiative = there is no initiative "{ $name }"
say-wrong-password = the password is not right
say-unknown-post = unknown post
say-post-of-someone-else = a post of someone else
say-email-invalid = this is not an e-mail address
say-fill-in-email = fill in your e-mail address
say-email-of-another-account = this address belongs to another account
say-no-email-on-account = your account has no e-mail address
say-code-unknown = this code is unknown, used or expired
say-code-just-used = this code was just used
say-write-something-first = write something first
say-direct-needs-recipient = a direct message needs someone to go to
say-write-to-yourself = you cannot write to yourself
say-follow-yourself = you cannot follow yourself
say-only-public-passed-on = only public posts can be passed on
say-at-most-images = at most { $max } images
say-unknown-image = unknown image
say-members-not-blocked = members of this node are not blocked but talked to
say-give-server-name = give a server name such as example.org
say-own-server = this is our own server
say-phone-characters = only digits, spaces and + - ( )
say-name-needed = a name is needed
say-keep-days-choice = one of { $choices } days
say-rules-limit = at most { $rules } rules of { $max } characters
say-choose-sign-up-way = choose one of the ways to sign up
say-coalition-name-needed = Give the coalition a name.
say-number-one-to = Enter a number from 1 to { $max }.
say-number-zero-to = Enter a number from 0 to { $max }.
say-share-range = Enter a share from 50 (more than half) to 99 (everyone).
say-alias-of-itself = an account is no alias of itself
say-actor-address = not an actor's address (https://...)
say-moved-already = { $from } moved to { $target } already
say-alias-missing = { $target } does not list { $old } in alsoKnownAs: add the alias on the new node first (buurtnet alias add)
say-article-title-length = give a title of 3 to { $max } characters
say-article-too-long = the article would become too long
say-version-unknown = that version is not known here
say-edit-handled-already = this edit was already handled
say-edit-does-not-fit = the change does not fit the version it starts from: { $why }
say-edit-clashes = someone changed the same lines in the meantime:
    { $marked }
say-edit-empty = the change does not fit the version it starts from: no changes in it
say-account-not-found = this account was not found
say-choose-initiative = choose an initiative
say-visibility-unknown = use public, unlisted, followers, direct, coalition, local or coordinators
say-not-a-direct-message = this cannot be a direct message
say-coordinators-only-for-own-need = only a person's own need can be for the coordinators alone
say-initiative-needs-visibility = an initiative's needs are not direct or for coordinators alone
say-unknown-scope = unknown scope { $scope }
say-timeline-home-or-notifications = choose home or notifications
say-coalition-not-ours = a coalition this node takes no part in
say-handover-too-large = the file is larger than { $max } bytes
say-handover-not-a-file = this is not an initiative's handover file, or it is damaged ({ $why })
say-handover-damaged = the handover file is damaged ({ $why })
say-process-number-taken = another process took this process's number; start it again
say-backup-sqlite-only = a copy with VACUUM INTO is for SQLite; PostgreSQL is copied with pg_dump
say-path-not-utf8 = the backup's path must be valid UTF-8
say-database-url-scheme = must start with sqlite: or postgres://
say-handover-format = this file has format { $found }; this Buurtnet reads format { $max } and older: import it with a newer version
say-local-actor = { $id } is an actor of this node
say-photo-too-large = the photo is too large (at most { $max } MB)
say-form-unreadable = the form did not arrive whole; please try again

## The page of a repeating event
weekday-name = { $weekday ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
}
series-title = All dates: { $title }
series-rule = { $repeat ->
    [weekly] Every week on { $weekday }, { $time }
    [fortnightly] Every two weeks on { $weekday }, { $time }
    [monthly_day] Every month on day { $day }, { $time }
   *[monthly_weekday] Every { $nth ->
        [first] first
        [second] second
        [third] third
        [fourth] fourth
       *[last] last
    } { $weekday } of the month, { $time }
}
series-comes-back = { $repeat ->
    [weekly] Comes back every week
    [fortnightly] Comes back every two weeks
   *[other] Comes back every month
}
series-all-dates = all dates
series-dates = Dates
series-not-happening = does not take place
series-moved-to = moved to { $time }
series-stopped = This activity no longer comes back.
series-add-to-calendar = Put all dates in your calendar
organise-series-choose = Choose a date
organise-series-other-date = Or a later date
notice-afgelast = The activity is cancelled. Everyone taking part is told.
notice-gast-toegevoegd = Signed up.
notice-gestopt = The activity will not come back. Everyone who signed up is told.
notice-overgeslagen = That date will not take place. Everyone who signed up is told.
notice-geopend = Signing up is open again.
notice-gesloten = Signing up is closed.
federation-set-aside = Not sent
federation-set-aside-intro = { $count ->
    [one] One message could not be sent and was set aside, so the rest went on. Tell whoever maintains the node.
   *[other] { $count } messages could not be sent and were set aside, so the rest went on. Tell whoever maintains the node.
}
federation-set-aside-stored = As it is stored
notice-van-de-lijst = Taken off the list. Whoever has an account or an e-mail address is told.
federation-cleared = Cleared on { $when }: { $deliveries } deliveries, { $received } ids of received messages and { $mail } e-mails older than { $days } days, and { $needs } expired or finished requests and offers that ended longer ago than their initiative keeps them. Then the database gave { $freed } MB of space back. This happens every day by itself.
federation-cleared-never = Not cleared yet. Every day the node clears what is done and older than 30 days.
