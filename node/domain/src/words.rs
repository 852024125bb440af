//! What the domain tells a person, as codes ([`Say`]) that the edges put into Dutch or English
//! (the web crate's locales, `say-<code>`), so that the domain decides what is said and not in
//! which language. The domain says nothing in words of its own; the web crate may hand back
//! words it already put into the reader's language ([`Words::Plain`]).

use crate::model::DeclineReason;

/// A message for a person.
#[derive(Debug, Clone, PartialEq)]
pub enum Words {
    Say(Say),
    /// Words already in the reader's language (a page's own, from its locale), shown as they
    /// are. Only the edges make these: the domain speaks in codes.
    Plain(String),
}

/// What the domain can say, each with its own words in the locales.
#[derive(Debug, Clone, PartialEq)]
pub enum Say {
    /// A title of 3 to 120 characters is needed.
    TitleLength,
    /// A text is longer than it may be.
    AtMostChars(usize),
    ChooseCategory,
    EndBeforeStart,
    ExpiryPassed,
    /// Hours given must be between 0 and 1000.
    HoursRange,
    /// A coordinator asking for a resident named her in the title or text.
    NamesTheResident,
    /// Only a coordinator posting for the initiative can ask on behalf of a resident.
    OnBehalfOnlyForInitiative,
    NeedPassedOnAlready,
    RespondToOwn,
    ResponseAnsweredAlready,
    /// Someone is already helping, or it is no longer open.
    NoLongerOpen,
    /// The name (of a member, an initiative or a coalition's page) is in use.
    NameTaken(String),
    /// An account with that e-mail address exists.
    EmailTaken,
    /// A response came when the offer or need was closed, for this reason (its words travel
    /// to peers too, so they live with the reason).
    Closed(DeclineReason),
    /// The repeat choice on the event form is none of the offered ones.
    RepeatUnknown,
    /// A repeating event runs 1 to 104 times.
    RepeatCountRange,
    /// A repeating event's last date lies before its first.
    RepeatEndsBeforeStart,
    /// A repeating event runs at most two years.
    RepeatTooLong,
    /// The account moved to another server (the address it moved to) and posts no more here.
    Moved(String),
    UnknownTimeZone,
    /// The local time does not exist in the time zone (it falls in the hour skipped when
    /// summer time begins).
    NoSuchLocalTime,
    /// An event needs a place or an online link.
    PlaceOrOnlineLink,
    /// A web address given must start with https://.
    HttpsAddress,
    /// An event's place needs a name of at most 200 characters.
    PlaceNameLength,
    /// An event's capacity is between 1 and 100000 people.
    CapacityRange,
    /// No one can take part: all places are taken.
    EventFull,
    /// No one can sign up for the event (any more).
    RegistrationClosed,
    /// The event is someone else's: people sign up through its organisers' own link.
    SignUpThroughOrganisers,
    /// The request to take part was accepted or refused already.
    RequestAnsweredAlready,
    /// The initiative chosen to organise with is not one the member may act for.
    ChooseAnotherInitiative,
    /// A guest gave neither a phone number nor an e-mail address.
    PhoneOrEmail,
    /// What a guest gave as a phone number is not one.
    NotAPhoneNumber,
    /// What a guest gave as an e-mail address is not one.
    NotAnEmailAddress,
    /// A guest's name has 2 to this many characters.
    GuestNameLength(usize),
    /// A field of a form must not be empty.
    FillThisIn,
    /// A question to an initiative may hold no web addresses (those are spam).
    NoWebAddresses,
    /// A question is turned into a need, not into an offer.
    QuestionBecomesNeed,
    /// A text of 1 to this many characters is needed.
    OneToChars(usize),
    QuestionAnsweredAlready,
    /// A username of 1 to 30 small letters, digits or underscores.
    UsernameCharacters,
    /// A name of 1 to this many characters is needed.
    NameLength(usize),
    /// A password needs at least this many characters.
    PasswordTooShort(usize),
    /// No initiative has this short name (its slug).
    NoSuchInitiative(String),
    WrongPassword,
    /// A report names a post that is not known here.
    UnknownPost,
    /// A report names a post that the reported account did not write.
    PostOfSomeoneElse,
    /// What was given as an e-mail address is not one.
    EmailInvalid,
    FillInEmail,
    /// The e-mail address is another account's.
    EmailOfAnotherAccount,
    /// Mail cannot be sent: the account has no e-mail address.
    NoEmailOnAccount,
    /// A sign-up code is unknown, used or expired.
    CodeUnknown,
    /// A sign-up code was used by someone else a moment ago.
    CodeJustUsed,
    /// A post without text.
    WriteSomethingFirst,
    /// A direct message names no one to go to.
    DirectNeedsRecipient,
    WriteToYourself,
    FollowYourself,
    /// Only public posts can be passed on (boosted).
    OnlyPublicPassedOn,
    /// A post carries at most this many images.
    AtMostImages(usize),
    /// An image given is not known here or not the writer's.
    UnknownImage,
    /// Members of this node are talked to, not blocked.
    MembersNotBlocked,
    /// A server to block needs a name such as example.org.
    GiveServerName,
    /// The server to block is this one.
    OwnServer,
    /// A phone number holds only digits, spaces and + - ( ).
    PhoneCharacters,
    NameNeeded,
    /// How long needs are kept: one of these numbers of days.
    KeepDaysChoice(String),
    /// At most this many rules (first) of this many characters (second).
    RulesLimit(usize, usize),
    /// The way to sign up is none of the offered ones.
    ChooseSignUpWay,
    CoalitionNameNeeded,
    /// A number from 1 to this.
    NumberOneTo(usize),
    /// A number from 0 to this.
    NumberZeroTo(usize),
    /// The share of votes a coalition decision needs: 50 to 99.
    ShareRange,
    AliasOfItself,
    /// What was given is not the web address of an account (https://...).
    ActorAddress,
    /// The account (first) moved to another (second) already.
    MovedAlready(String, String),
    /// The new account (first) does not name the old one (second) as its alias.
    AliasMissing(String, String),
    /// An article title of 3 to this many characters.
    ArticleTitleLength(usize),
    ArticleTooLong,
    /// An article version named is not known here.
    VersionUnknown,
    /// A proposed change to an article was taken or refused already.
    EditHandledAlready,
    /// A change does not fit the version it starts from (why, in the diff tool's words).
    EditDoesNotFit(String),
    /// A change touches lines someone changed in the meantime (the text with the clash marked).
    EditClashes(String),
    /// A proposed change holds no changes.
    EditEmpty,
    /// No account is known by the address given.
    AccountNotFound,
    /// An initiative must be chosen.
    ChooseInitiative,
    /// A visibility given is none of the known ones.
    VisibilityUnknown,
    /// Articles, events, offers and needs are never direct messages.
    NotADirectMessage,
    /// Only a person's own need can be for the coordinators alone.
    CoordinatorsOnlyForOwnNeed,
    /// An initiative's needs are neither direct nor for the coordinators alone.
    InitiativeNeedsVisibility,
    /// An app asked for a scope this node does not know.
    UnknownScope(String),
    /// A read marker is kept for the home timeline or the notifications only.
    TimelineHomeOrNotifications,
    /// An operation for a coalition this node takes no part in.
    CoalitionNotOurs,
    /// A handover file larger than this many bytes.
    HandoverTooLarge(u64),
    /// Not a handover file (what was wrong).
    HandoverNotAFile(String),
    /// A handover file that cannot be read (what was wrong).
    HandoverDamaged(String),
    /// Another process of the node took this one's number.
    ProcessNumberTaken,
    /// `backup` copies SQLite only.
    BackupSqliteOnly,
    /// A backup path that is not UTF-8.
    PathNotUtf8,
    /// A database address of another kind.
    DatabaseUrlScheme,
    /// A handover file of a newer format than this version reads (found, newest read).
    HandoverFormat(u32, u32),
    /// A peer's document names an actor of this node, which it may never overwrite.
    LocalActor(String),
    /// A form sent with a photo was larger than this many megabytes.
    PhotoTooLarge(usize),
    /// A form sent with a photo did not arrive whole or was not a form.
    FormUnreadable,
}

impl Say {
    /// Its key in the locales, `say-<code>` (`Closed` has the reason's words instead).
    pub fn code(&self) -> &'static str {
        match self {
            Say::TitleLength => "title-length",
            Say::AtMostChars(_) => "at-most-chars",
            Say::ChooseCategory => "choose-category",
            Say::EndBeforeStart => "end-before-start",
            Say::ExpiryPassed => "expiry-passed",
            Say::HoursRange => "hours-range",
            Say::NamesTheResident => "names-the-resident",
            Say::OnBehalfOnlyForInitiative => "on-behalf-only-for-initiative",
            Say::NeedPassedOnAlready => "need-passed-on-already",
            Say::RespondToOwn => "respond-to-own",
            Say::ResponseAnsweredAlready => "response-answered-already",
            Say::NoLongerOpen => "no-longer-open",
            Say::NameTaken(_) => "name-taken",
            Say::EmailTaken => "email-taken",
            Say::Closed(_) => "closed",
            Say::RepeatUnknown => "repeat-unknown",
            Say::RepeatCountRange => "repeat-count-range",
            Say::RepeatEndsBeforeStart => "repeat-ends-before-start",
            Say::RepeatTooLong => "repeat-too-long",
            Say::Moved(_) => "moved",
            Say::UnknownTimeZone => "unknown-time-zone",
            Say::NoSuchLocalTime => "no-such-local-time",
            Say::PlaceOrOnlineLink => "place-or-online-link",
            Say::HttpsAddress => "https-address",
            Say::PlaceNameLength => "place-name-length",
            Say::CapacityRange => "capacity-range",
            Say::EventFull => "event-full",
            Say::RegistrationClosed => "registration-closed",
            Say::SignUpThroughOrganisers => "sign-up-through-organisers",
            Say::RequestAnsweredAlready => "request-answered-already",
            Say::ChooseAnotherInitiative => "choose-another-initiative",
            Say::PhoneOrEmail => "phone-or-email",
            Say::NotAPhoneNumber => "not-a-phone-number",
            Say::NotAnEmailAddress => "not-an-email-address",
            Say::GuestNameLength(_) => "guest-name-length",
            Say::FillThisIn => "fill-this-in",
            Say::NoWebAddresses => "no-web-addresses",
            Say::QuestionBecomesNeed => "question-becomes-need",
            Say::OneToChars(_) => "one-to-chars",
            Say::QuestionAnsweredAlready => "question-answered-already",
            Say::UsernameCharacters => "username-characters",
            Say::NameLength(_) => "name-length",
            Say::PasswordTooShort(_) => "password-too-short",
            Say::NoSuchInitiative(_) => "no-such-initiative",
            Say::WrongPassword => "wrong-password",
            Say::UnknownPost => "unknown-post",
            Say::PostOfSomeoneElse => "post-of-someone-else",
            Say::EmailInvalid => "email-invalid",
            Say::FillInEmail => "fill-in-email",
            Say::EmailOfAnotherAccount => "email-of-another-account",
            Say::NoEmailOnAccount => "no-email-on-account",
            Say::CodeUnknown => "code-unknown",
            Say::CodeJustUsed => "code-just-used",
            Say::WriteSomethingFirst => "write-something-first",
            Say::DirectNeedsRecipient => "direct-needs-recipient",
            Say::WriteToYourself => "write-to-yourself",
            Say::FollowYourself => "follow-yourself",
            Say::OnlyPublicPassedOn => "only-public-passed-on",
            Say::AtMostImages(_) => "at-most-images",
            Say::UnknownImage => "unknown-image",
            Say::MembersNotBlocked => "members-not-blocked",
            Say::GiveServerName => "give-server-name",
            Say::OwnServer => "own-server",
            Say::PhoneCharacters => "phone-characters",
            Say::NameNeeded => "name-needed",
            Say::KeepDaysChoice(_) => "keep-days-choice",
            Say::RulesLimit(..) => "rules-limit",
            Say::ChooseSignUpWay => "choose-sign-up-way",
            Say::CoalitionNameNeeded => "coalition-name-needed",
            Say::NumberOneTo(_) => "number-one-to",
            Say::NumberZeroTo(_) => "number-zero-to",
            Say::ShareRange => "share-range",
            Say::AliasOfItself => "alias-of-itself",
            Say::ActorAddress => "actor-address",
            Say::MovedAlready(..) => "moved-already",
            Say::AliasMissing(..) => "alias-missing",
            Say::ArticleTitleLength(_) => "article-title-length",
            Say::ArticleTooLong => "article-too-long",
            Say::VersionUnknown => "version-unknown",
            Say::EditHandledAlready => "edit-handled-already",
            Say::EditDoesNotFit(_) => "edit-does-not-fit",
            Say::EditClashes(_) => "edit-clashes",
            Say::EditEmpty => "edit-empty",
            Say::AccountNotFound => "account-not-found",
            Say::ChooseInitiative => "choose-initiative",
            Say::VisibilityUnknown => "visibility-unknown",
            Say::NotADirectMessage => "not-a-direct-message",
            Say::CoordinatorsOnlyForOwnNeed => "coordinators-only-for-own-need",
            Say::InitiativeNeedsVisibility => "initiative-needs-visibility",
            Say::UnknownScope(_) => "unknown-scope",
            Say::TimelineHomeOrNotifications => "timeline-home-or-notifications",
            Say::CoalitionNotOurs => "coalition-not-ours",
            Say::HandoverTooLarge(_) => "handover-too-large",
            Say::HandoverNotAFile(_) => "handover-not-a-file",
            Say::HandoverDamaged(_) => "handover-damaged",
            Say::ProcessNumberTaken => "process-number-taken",
            Say::BackupSqliteOnly => "backup-sqlite-only",
            Say::PathNotUtf8 => "path-not-utf8",
            Say::DatabaseUrlScheme => "database-url-scheme",
            Say::HandoverFormat(..) => "handover-format",
            Say::LocalActor(..) => "local-actor",
            Say::PhotoTooLarge(_) => "photo-too-large",
            Say::FormUnreadable => "form-unreadable",
        }
    }

    /// The values its words name.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        match self {
            Say::AtMostChars(n)
            | Say::GuestNameLength(n)
            | Say::OneToChars(n)
            | Say::NameLength(n)
            | Say::AtMostImages(n)
            | Say::NumberOneTo(n)
            | Say::NumberZeroTo(n)
            | Say::ArticleTitleLength(n)
            | Say::PhotoTooLarge(n) => vec![("max", n.to_string())],
            Say::PasswordTooShort(n) => vec![("min", n.to_string())],
            Say::NoSuchInitiative(slug) => vec![("name", slug.clone())],
            Say::KeepDaysChoice(choices) => vec![("choices", choices.clone())],
            Say::RulesLimit(rules, chars) => vec![("rules", rules.to_string()), ("max", chars.to_string())],
            Say::MovedAlready(from, target) => vec![("from", from.clone()), ("target", target.clone())],
            Say::AliasMissing(target, old) => vec![("target", target.clone()), ("old", old.clone())],
            Say::EditDoesNotFit(why) => vec![("why", why.clone())],
            Say::EditClashes(marked) => vec![("marked", marked.clone())],
            Say::NameTaken(name) => vec![("name", name.clone())],
            Say::Moved(target) => vec![("target", target.clone())],
            Say::HandoverFormat(found, max) => vec![("found", found.to_string()), ("max", max.to_string())],
            Say::LocalActor(id) => vec![("id", id.clone())],
            Say::UnknownScope(scope) => vec![("scope", scope.clone())],
            Say::HandoverTooLarge(n) => vec![("max", n.to_string())],
            Say::HandoverNotAFile(why) | Say::HandoverDamaged(why) => vec![("why", why.clone())],
            _ => vec![],
        }
    }

    /// One of each, for tests that every code has words in every language.
    pub fn examples() -> Vec<Say> {
        vec![
            Say::TitleLength,
            Say::AtMostChars(80),
            Say::ChooseCategory,
            Say::EndBeforeStart,
            Say::ExpiryPassed,
            Say::HoursRange,
            Say::NamesTheResident,
            Say::OnBehalfOnlyForInitiative,
            Say::NeedPassedOnAlready,
            Say::RespondToOwn,
            Say::ResponseAnsweredAlready,
            Say::NoLongerOpen,
            Say::NameTaken("buurtkeuken".into()),
            Say::EmailTaken,
            Say::Closed(DeclineReason::Expired),
            Say::RepeatUnknown,
            Say::RepeatCountRange,
            Say::RepeatEndsBeforeStart,
            Say::RepeatTooLong,
            Say::Moved("https://nieuw.example/initiatives/zorg".into()),
            Say::UnknownTimeZone,
            Say::NoSuchLocalTime,
            Say::PlaceOrOnlineLink,
            Say::HttpsAddress,
            Say::PlaceNameLength,
            Say::CapacityRange,
            Say::EventFull,
            Say::RegistrationClosed,
            Say::SignUpThroughOrganisers,
            Say::RequestAnsweredAlready,
            Say::ChooseAnotherInitiative,
            Say::PhoneOrEmail,
            Say::NotAPhoneNumber,
            Say::NotAnEmailAddress,
            Say::GuestNameLength(100),
            Say::FillThisIn,
            Say::NoWebAddresses,
            Say::QuestionBecomesNeed,
            Say::OneToChars(2000),
            Say::QuestionAnsweredAlready,
            Say::UsernameCharacters,
            Say::NameLength(100),
            Say::PasswordTooShort(8),
            Say::NoSuchInitiative("buurtkeuken".into()),
            Say::WrongPassword,
            Say::UnknownPost,
            Say::PostOfSomeoneElse,
            Say::EmailInvalid,
            Say::FillInEmail,
            Say::EmailOfAnotherAccount,
            Say::NoEmailOnAccount,
            Say::CodeUnknown,
            Say::CodeJustUsed,
            Say::WriteSomethingFirst,
            Say::DirectNeedsRecipient,
            Say::WriteToYourself,
            Say::FollowYourself,
            Say::OnlyPublicPassedOn,
            Say::AtMostImages(4),
            Say::UnknownImage,
            Say::MembersNotBlocked,
            Say::GiveServerName,
            Say::OwnServer,
            Say::PhoneCharacters,
            Say::NameNeeded,
            Say::KeepDaysChoice("30, 90, 365".into()),
            Say::RulesLimit(20, 500),
            Say::ChooseSignUpWay,
            Say::CoalitionNameNeeded,
            Say::NumberOneTo(20),
            Say::NumberZeroTo(60),
            Say::ShareRange,
            Say::AliasOfItself,
            Say::ActorAddress,
            Say::MovedAlready("https://oud.example/users/kees".into(), "https://nieuw.example/users/kees".into()),
            Say::AliasMissing("https://nieuw.example/users/kees".into(), "https://oud.example/users/kees".into()),
            Say::ArticleTitleLength(160),
            Say::ArticleTooLong,
            Say::VersionUnknown,
            Say::EditHandledAlready,
            Say::EditDoesNotFit("hunk 1 does not apply".into()),
            Say::EditClashes("<<<<<<< ours".into()),
            Say::EditEmpty,
            Say::AccountNotFound,
            Say::ChooseInitiative,
            Say::VisibilityUnknown,
            Say::NotADirectMessage,
            Say::CoordinatorsOnlyForOwnNeed,
            Say::InitiativeNeedsVisibility,
            Say::UnknownScope("admin:all".into()),
            Say::TimelineHomeOrNotifications,
            Say::CoalitionNotOurs,
            Say::HandoverTooLarge(1000),
            Say::HandoverNotAFile("no version".into()),
            Say::HandoverDamaged("line 1".into()),
            Say::ProcessNumberTaken,
            Say::BackupSqliteOnly,
            Say::PathNotUtf8,
            Say::DatabaseUrlScheme,
            Say::HandoverFormat(9, 2),
            Say::LocalActor("https://buurt.example/users/fatima".into()),
            Say::PhotoTooLarge(8),
            Say::FormUnreadable,
        ]
    }
}

impl From<Say> for Words {
    fn from(say: Say) -> Self {
        Words::Say(say)
    }
}

/// Words for other servers, which read no codes of ours: "English / Nederlands" in one text
/// (the reason a proposed edit was refused, kept with it and sent in the `Reject`).
pub fn both_languages(en: &str, nl: &str) -> String {
    format!("{en} / {nl}")
}

/// For the log: the code (with its values), or the words as they are.
impl std::fmt::Display for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Words::Say(Say::Closed(reason)) => write!(f, "closed: {}", reason.as_str()),
            Words::Say(say) => {
                write!(f, "{}", say.code())?;
                say.values().iter().try_for_each(|(name, value)| write!(f, " {name}={value}"))
            }
            Words::Plain(text) => f.write_str(text),
        }
    }
}
