//! Errors of the federation edge, each with the status code a peer gets.

use crate::signatures::SignatureError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use buurtnet_domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum FederationError {
    #[error("signature: {0}")]
    Signature(#[from] SignatureError),
    #[error("malformed activity: {0}")]
    Malformed(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("blocked")]
    Blocked,
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("body too large")]
    TooLarge,
    #[error("fetching a remote object failed: {0}")]
    Fetch(String),
    #[error(transparent)]
    Domain(DomainError),
    #[error("{0}")]
    Internal(String),
}

impl From<DomainError> for FederationError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound => FederationError::NotFound,
            DomainError::Gone => FederationError::Gone,
            DomainError::Forbidden => FederationError::Forbidden("not allowed".into()),
            other => FederationError::Domain(other),
        }
    }
}

impl From<activitypub_federation::error::Error> for FederationError {
    fn from(e: activitypub_federation::error::Error) -> Self {
        use activitypub_federation::error::Error as E;
        match e {
            E::NotFound => FederationError::NotFound,
            E::ObjectDeleted(_) => FederationError::Gone,
            E::ActivitySignatureInvalid => FederationError::Signature(SignatureError::Invalid),
            E::ActivityBodyDigestInvalid => FederationError::Signature(SignatureError::BadDigest),
            E::UrlVerificationError(why) => FederationError::Forbidden(why.to_string()),
            other => FederationError::Fetch(other.to_string()),
        }
    }
}

impl FederationError {
    pub fn status(&self) -> StatusCode {
        match self {
            FederationError::Signature(_) => StatusCode::UNAUTHORIZED,
            FederationError::Malformed(_) => StatusCode::BAD_REQUEST,
            FederationError::Forbidden(_) | FederationError::Blocked => StatusCode::FORBIDDEN,
            FederationError::NotFound => StatusCode::NOT_FOUND,
            FederationError::Gone => StatusCode::GONE,
            FederationError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            // The sender's actor or object could not be fetched: their side, or the network.
            FederationError::Fetch(_) => StatusCode::BAD_REQUEST,
            FederationError::Domain(DomainError::Invalid(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            FederationError::Domain(DomainError::Conflict(_)) => StatusCode::CONFLICT,
            FederationError::Domain(_) | FederationError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A short, stable label for metrics and logs.
    pub fn reason(&self) -> &'static str {
        match self {
            FederationError::Signature(SignatureError::Missing) => "signature_missing",
            FederationError::Signature(SignatureError::BadDigest) => "digest_invalid",
            FederationError::Signature(SignatureError::Expired) => "signature_expired",
            FederationError::Signature(SignatureError::Repeated(_)) => "signature_header_repeated",
            FederationError::Signature(SignatureError::WrongHost) => "signature_for_another_host",
            FederationError::Signature(_) => "signature_invalid",
            FederationError::Malformed(_) => "malformed",
            FederationError::Forbidden(_) => "forbidden",
            FederationError::Blocked => "blocked",
            FederationError::NotFound => "not_found",
            FederationError::Gone => "gone",
            FederationError::TooLarge => "too_large",
            FederationError::Fetch(_) => "fetch_failed",
            FederationError::Domain(_) | FederationError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for FederationError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "federation request failed on our side");
            return (status, "internal error").into_response();
        }
        let signature_refused = matches!(self, FederationError::Signature(_));
        let mut response = (status, self.to_string()).into_response();
        // RFC 9421 §5.1: say what a signature must cover (the inbox adds the body's digest).
        if signature_refused {
            let accept = crate::signatures::rfc9421::accept_signature(false);
            response.headers_mut().insert("accept-signature", accept.parse().expect("an ASCII header value"));
        }
        response
    }
}

pub type Result<T, E = FederationError> = std::result::Result<T, E>;
