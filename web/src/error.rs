//! Domain errors as HTTP answers: a plain message for people, the cause only in the log.

use crate::html::i18n::{Lang, Tr};
use crate::html::layout::say;
use axum::http::StatusCode;
use buurtnet_domain::DomainError;
use buurtnet_domain::error::Words;
use buurtnet_domain::words::both_languages;

/// The status code for a domain error.
pub fn status_of(error: &DomainError) -> StatusCode {
    match error {
        _ if error.is_storage_full() => StatusCode::INSUFFICIENT_STORAGE,
        DomainError::NotFound => StatusCode::NOT_FOUND,
        DomainError::Forbidden => StatusCode::FORBIDDEN,
        DomainError::Invalid(_) | DomainError::CoalitionRefused(_) => StatusCode::UNPROCESSABLE_ENTITY,
        DomainError::Conflict(_) => StatusCode::CONFLICT,
        DomainError::Gone => StatusCode::GONE,
        DomainError::Db(_) | DomainError::Migrate(_) | DomainError::Corrupt(_) | DomainError::Internal(_) => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// What a person may be told about an error, in both languages (an API client or a feed
/// reader has no language of its own here); internal causes are logged instead.
pub fn public_message(error: &DomainError) -> String {
    let status = status_of(error);
    if status == StatusCode::INSUFFICIENT_STORAGE {
        log_storage_full(error);
        return both_languages(&Tr::new(Lang::En).t("error-full-text"), &Tr::new(Lang::Nl).t("error-full-text"));
    }
    if status.is_server_error() {
        tracing::error!(%error, "request failed on our side");
        return both_languages(&Tr::new(Lang::En).t("error-ours-short"), &Tr::new(Lang::Nl).t("error-ours-short"));
    }
    let both = |words: &Words| both_languages(&say(words, Tr::new(Lang::En)), &say(words, Tr::new(Lang::Nl)));
    match error {
        DomainError::CoalitionRefused(refusal) => {
            let key = format!("coalition-refused-{}", refusal.code());
            both_languages(&Tr::new(Lang::En).t(&key), &Tr::new(Lang::Nl).t(&key))
        }
        DomainError::Invalid(list) => list.iter().map(|v| format!("{}: {}", v.field, both(&v.message))).collect::<Vec<_>>().join("; "),
        DomainError::Conflict(words) => both(words),
        _ => error.to_string(),
    }
}

/// What a person did that could not be done, in her language (a client error: invalid
/// input, a conflict, a rule of the coalition).
pub fn said_in(error: &DomainError, tr: Tr) -> String {
    match error {
        DomainError::Invalid(list) => list.iter().map(|v| say(&v.message, tr)).collect::<Vec<_>>().join(" "),
        DomainError::Conflict(words) => say(words, tr),
        DomainError::CoalitionRefused(refusal) => tr.t(&format!("coalition-refused-{}", refusal.code())),
        other => other.to_string(),
    }
}

/// Tells the administrator, in the log, that the disk is full and what that means.
pub fn log_storage_full(error: &DomainError) {
    tracing::error!(%error, "the disk is full: nothing new can be kept until there is room again (see docs/operations.md)");
}

#[cfg(test)]
mod tests {
    use super::*;
    use buurtnet_domain::model::coalition::Refusal;

    /// A refusal given as a code reaches an API client in words, both languages, and a page
    /// in the visitor's.
    #[test]
    fn a_code_is_said_in_words() {
        use buurtnet_domain::error::Say;
        let refused = DomainError::invalid("password", Say::WrongPassword);
        assert_eq!(public_message(&refused), "password: the password is not right / het wachtwoord klopt niet");
        assert_eq!(said_in(&refused, Tr::new(Lang::Nl)), "het wachtwoord klopt niet");
        let moved = DomainError::conflict(Say::MovedAlready("https://a.example/users/kees".into(), "https://b.example/users/kees".into()));
        assert_eq!(said_in(&moved, Tr::new(Lang::En)), "https://a.example/users/kees moved to https://b.example/users/kees already");
    }

    /// Each rule of the coalition has its own words in both languages (none falls through to
    /// a general message), and the API says them with the same status as invalid input.
    #[test]
    fn every_coalition_refusal_says_which_rule() {
        let mut seen = std::collections::BTreeSet::new();
        for refusal in Refusal::ALL {
            let error = DomainError::CoalitionRefused(refusal);
            assert_eq!(status_of(&error), StatusCode::UNPROCESSABLE_ENTITY);
            let message = public_message(&error);
            let (en, nl) = message.split_once(" / ").expect("English / Dutch");
            assert!(!en.contains("coalition-refused") && !nl.contains("coalition-refused"), "{message}");
            assert_ne!(en, nl, "{message}");
            assert!(seen.insert(message.clone()), "two rules share the words {message}");
        }
    }
}
