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
    /// What the database holds cannot be read back (an unknown state, a broken stored
    /// document): the data, not the request, is wrong.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A step of our own failed that no input can cause (hashing, signing, writing a
    /// document out).
    #[error("internal failure: {0}")]
    Internal(String),
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

    /// Whether the database could not write because its disk is full (SQLite `SQLITE_FULL`,
    /// PostgreSQL `disk_full`, or the operating system's `ENOSPC`): nothing was kept, and
    /// trying again helps once the administrator made room.
    pub fn is_storage_full(&self) -> bool {
        match self {
            DomainError::Db(sqlx::Error::Database(e)) => matches!(e.code().as_deref(), Some("13" | "53100")),
            DomainError::Db(sqlx::Error::Io(e)) => e.kind() == std::io::ErrorKind::StorageFull,
            _ => false,
        }
    }
}

pub type Result<T, E = DomainError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::DomainError;

    #[test]
    fn a_full_disk_is_told_from_other_database_errors() {
        let full = DomainError::Db(sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::StorageFull)));
        assert!(full.is_storage_full());
        let refused = DomainError::Db(sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)));
        assert!(!refused.is_storage_full());
        assert!(!DomainError::Db(sqlx::Error::RowNotFound).is_storage_full());
        assert!(!DomainError::NotFound.is_storage_full());
    }
}
