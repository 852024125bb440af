//! The domain's error type. The web and federation edges map it to status codes.

pub use crate::words::{Say, Words};
use thiserror::Error;

/// One rule that input broke, in words fit to show the person who sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub field: &'static str,
    pub message: Words,
}

#[derive(Debug, Error)]
pub enum DomainError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("invalid input: {}", .0.iter().map(|v| format!("{}: {}", v.field, v.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Violation>),
    #[error("conflict: {0}")]
    Conflict(Words),
    #[error("gone")]
    Gone,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The coalition's rules do not allow the operation (the code says which rule).
    #[error("the coalition's rules do not allow this: {0}")]
    CoalitionRefused(crate::model::coalition::Refusal),
}

impl DomainError {
    /// Something clashes with what is there already, said in words for the person.
    pub fn conflict(message: impl Into<Words>) -> Self {
        DomainError::Conflict(message.into())
    }

    pub fn invalid(field: &'static str, message: impl Into<Words>) -> Self {
        DomainError::Invalid(vec![Violation { field, message: message.into() }])
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;
