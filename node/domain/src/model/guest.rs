//! Guests of an event: people without an account who take part, signed up on the event's
//! page (with a phone number or e-mail address to reach them) or added by an organiser
//! ("mevrouw Jansen, via de telefoon"). Their details are personal data of the event's node:
//! organisers see them, nothing else does, and they never federate.

use super::participation::{Answers, ParticipationState};
use crate::error::{Result, Say, Violation};

pub const MAX_GUEST_NAME_CHARS: usize = 100;

/// A guest as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Guest {
    pub id: i64,
    pub event_post_id: i64,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub needs_lift: Option<bool>,
    pub diet: Option<String>,
    #[sqlx(try_from = "String")]
    pub state: ParticipationState,
    /// The organiser who added the guest; `None` when the guest signed up.
    pub added_by: Option<i64>,
    pub created_at: i64,
    /// The language she signed up in, for the mails she gets (`nl`, `en`).
    pub language: String,
}

/// What a guest gives on the event's page.
#[derive(Debug, Clone, Default)]
pub struct GuestDraft {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub answers: Answers,
    /// The language of the page she signed up on.
    pub language: String,
}

impl GuestDraft {
    /// Every reason the draft cannot be taken. `valid_email` is the node's one rule for an
    /// address (`ops::mail::valid_address`).
    pub fn problems(&self, valid_email: impl Fn(&str) -> bool) -> Vec<Violation> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, message: Say| problems.push(Violation { field, message: message.into() });
        if let Err(message) = check_name(&self.name) {
            problem("name", message);
        }
        let (phone, email) = (self.phone.trim(), self.email.trim());
        if phone.is_empty() && email.is_empty() {
            problem("contact", Say::PhoneOrEmail);
        }
        if !phone.is_empty() && normal_phone(phone).is_none() {
            problem("phone", Say::NotAPhoneNumber);
        }
        if !email.is_empty() && !valid_email(email) {
            problem("email", Say::NotAnEmailAddress);
        }
        problems
    }
}

/// A name of 2 to 100 characters, as organisers will read it out.
pub fn check_name(name: &str) -> Result<(), Say> {
    let count = name.trim().chars().count();
    if (2..=MAX_GUEST_NAME_CHARS).contains(&count) && !name.chars().any(char::is_control) {
        Ok(())
    } else {
        Err(Say::GuestNameLength(MAX_GUEST_NAME_CHARS))
    }
}

/// A phone number as people write it (spaces, dashes, brackets, a leading `+`), kept as
/// typed when it holds 8 to 15 digits and nothing else.
pub fn normal_phone(text: &str) -> Option<String> {
    let text = text.trim();
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let only_allowed = body.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.'));
    (only_allowed && (8..=15).contains(&digits)).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_as_people_write_them() {
        for good in ["06 12345678", "+31 6 1234 5678", "010-4123456", "(010) 412 34 56"] {
            assert!(normal_phone(good).is_some(), "{good}");
        }
        for bad in ["bel me", "123", "06 1234567x", "+31 6 1234 5678 9999 99", "mail@example.org"] {
            assert!(normal_phone(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_guest_needs_a_name_and_a_way_to_reach_her() {
        let empty = GuestDraft::default();
        let fields: Vec<_> = empty.problems(|_| true).iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["name", "contact"]);
        let bad = GuestDraft { name: "Ans".into(), phone: "bel".into(), email: "ans".into(), ..GuestDraft::default() };
        let fields: Vec<_> = bad.problems(|e| e.contains('@')).iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["phone", "email"]);
    }
}
