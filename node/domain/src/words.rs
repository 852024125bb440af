//! What the domain tells a person, as codes ([`Say`]) that the edges put into Dutch or English
//! (the web crate's locales, `say-<code>`), so that the domain decides what is said and not in
//! which language. Older messages still carry both languages in one string ("English /
//! Nederlands", [`Words::Both`]); they move to codes one area at a time (issue 14): the help
//! loop's (offers, needs and responses) first, then events and meals (taking part, guests,
//! repeating events, questions to an initiative).

use crate::model::DeclineReason;

/// A message for a person.
#[derive(Debug, Clone, PartialEq)]
pub enum Words {
    Say(Say),
    /// "English / Nederlands", in one string.
    Both(String),
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
        }
    }

    /// The values its words name.
    pub fn values(&self) -> Vec<(&'static str, String)> {
        match self {
            Say::AtMostChars(n) | Say::GuestNameLength(n) | Say::OneToChars(n) => vec![("max", n.to_string())],
            Say::NameTaken(name) => vec![("name", name.clone())],
            Say::Moved(target) => vec![("target", target.clone())],
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
        ]
    }
}

impl From<Say> for Words {
    fn from(say: Say) -> Self {
        Words::Say(say)
    }
}

impl From<&str> for Words {
    fn from(both: &str) -> Self {
        Words::Both(both.to_string())
    }
}

impl From<String> for Words {
    fn from(both: String) -> Self {
        Words::Both(both)
    }
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
            Words::Both(both) => f.write_str(both),
        }
    }
}
