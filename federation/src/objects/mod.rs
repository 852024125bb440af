//! Where domain rows meet their wire shapes: `ApubActor(Actor)` and the `Note` converters.

pub mod actor;
pub mod article;
pub mod coalition_content;
pub mod coalition_op;
pub mod event;
pub mod fallback;
pub mod media;
pub mod note;
pub mod proposal;
pub mod reaction;
pub mod response;
pub mod rsvp;
#[cfg(test)]
pub(crate) mod samples;
pub mod shown;

use activitypub_federation::config::UrlVerifier;
use activitypub_federation::error::Error as ApError;
use buurtnet_domain::Store;
use url::Url;

/// Refuses to fetch from blocked domains.
#[derive(Clone)]
pub struct BlocklistVerifier(pub Store, pub std::sync::Arc<crate::faults::Faults>);

#[async_trait::async_trait]
impl UrlVerifier for BlocklistVerifier {
    async fn verify(&self, url: &Url) -> Result<(), ApError> {
        if self.1.is_cut_off(url) {
            return Err(ApError::UrlVerificationError("cut off (fault injection)"));
        }
        let domain = crate::host_of(url);
        let mut conn = self.0.conn().await.map_err(|_| ApError::UrlVerificationError("database unavailable"))?;
        match buurtnet_domain::store::inbox::is_blocked(&mut conn, "", &domain).await {
            Ok(false) => Ok(()),
            Ok(true) => Err(ApError::UrlVerificationError("domain is blocked")),
            Err(_) => Err(ApError::UrlVerificationError("database unavailable")),
        }
    }
}
