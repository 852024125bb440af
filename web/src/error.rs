//! Domain errors as HTTP answers: a plain message for people, the cause only in the log.

use axum::http::StatusCode;
use buurtnet_domain::DomainError;

/// The status code for a domain error.
pub fn status_of(error: &DomainError) -> StatusCode {
    match error {
        DomainError::NotFound => StatusCode::NOT_FOUND,
        DomainError::Forbidden => StatusCode::FORBIDDEN,
        DomainError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        DomainError::Conflict(_) => StatusCode::CONFLICT,
        DomainError::Gone => StatusCode::GONE,
        DomainError::Db(_) | DomainError::Migrate(_) | DomainError::Corrupt(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a person may be told about an error; internal causes are logged instead.
pub fn public_message(error: &DomainError) -> String {
    let status = status_of(error);
    if status.is_server_error() {
        tracing::error!(%error, "request failed on our side");
        return "Er ging iets mis aan onze kant. / Something went wrong on our side.".into();
    }
    error.to_string()
}
