//! The domain's error type. The web and federation edges map it to status codes.

use thiserror::Error;

/// One rule that input broke, in words fit to show the person who sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: &'static str,
    pub message: String,
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
    Conflict(String),
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
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        DomainError::Invalid(vec![Violation { field, message: message.into() }])
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;
