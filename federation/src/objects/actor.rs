//! `ApubActor`: an [`Actor`] row as an ActivityPub actor document, both ways.

use crate::error::FederationError;
use crate::protocol::actor::{ActorJson, Endpoints, Multikey, PublicKeyJson};
use crate::state::{Context, FederationState};
use activitypub_federation::config::Data;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::{Actor as ApActor, Object};
use buurtnet_domain::model::{Actor, ActorKind, NewActor};
use buurtnet_domain::{ops, store};
use chrono::{DateTime, Utc};
use url::Url;

/// An actor with its id parsed once (activitypub_federation borrows the id as a `Url`).
#[derive(Debug, Clone)]
pub struct ApubActor(pub Actor, Url);

impl ApubActor {
    pub fn new(actor: Actor) -> Self {
        let id = actor.ap_url();
        ApubActor(actor, id)
    }
}

fn wire_type(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Application => "Application",
        ActorKind::Group => "Group",
        ActorKind::Person => "Person",
        ActorKind::Service => "Service",
        ActorKind::Coalition => "Group",
    }
}

fn kind_from_wire(kind: &str) -> ActorKind {
    match kind {
        "Group" | "Organization" => ActorKind::Group,
        "Application" => ActorKind::Application,
        "Service" => ActorKind::Service,
        _ => ActorKind::Person,
    }
}

fn parse(url: &Option<String>) -> Option<Url> {
    url.as_deref().and_then(|u| Url::parse(u).ok())
}

impl ApubActor {
    /// The document we serve for a local actor.
    pub fn to_json(&self) -> ActorJson {
        let a = &self.0;
        let id = a.ap_url();
        let assertion_method = a
            .ed25519_public_multibase
            .as_ref()
            .map(|key| {
                vec![Multikey {
                    id: format!("{id}#ed25519-key"),
                    kind: "Multikey".into(),
                    controller: id.clone(),
                    public_key_multibase: key.clone(),
                }]
            })
            .unwrap_or_default();
        ActorJson {
            kind: wire_type(a.kind()).into(),
            preferred_username: Some(a.username.clone()),
            name: Some(a.display_name.clone()),
            summary: Some(a.summary.clone()),
            inbox: Url::parse(&a.inbox).expect("stored inbox"),
            outbox: parse(&a.outbox),
            followers: parse(&a.followers),
            following: parse(&a.following),
            endpoints: Some(Endpoints { shared_inbox: parse(&a.shared_inbox) }),
            public_key: PublicKeyJson { id: a.public_key_id.clone(), owner: id.clone(), public_key_pem: a.public_key_pem.clone() },
            assertion_method,
            manually_approves_followers: Some(a.manually_approves_followers),
            discoverable: Some(a.kind() != ActorKind::Application),
            indexable: Some(false),
            url: a.url.clone().map(serde_json::Value::String),
            published: DateTime::<Utc>::from_timestamp_millis(a.created_at).map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            also_known_as: vec![],
            moved_to: a.moved_to.clone(),
            id,
        }
    }

    /// The document of a local actor with the old identities it lists (`alsoKnownAs`).
    pub async fn local_document(conn: &mut store::Conn, actor: Actor) -> Result<ActorJson, FederationError> {
        let also_known_as = store::moving::aliases(conn, actor.id).await?;
        Ok(ActorJson { also_known_as, ..ApubActor::new(actor).to_json() })
    }

    /// A remote actor document as a row to store. Its id, inbox and key must all be on the
    /// actor's own origin.
    pub fn from_remote(json: &ActorJson) -> Result<NewActor, FederationError> {
        if !json.is_actor_type() {
            return Err(FederationError::Malformed(format!("{} is not an actor type", json.kind)));
        }
        let origin = json.id.origin();
        if json.inbox.origin() != origin
            || json.public_key.owner != json.id
            || !crate::protocol::same_origin(&json.public_key.id, json.id.as_str())
        {
            return Err(FederationError::Forbidden("actor's inbox or key lives on another origin".into()));
        }
        let domain = crate::host_of(&json.id);
        let username = json
            .preferred_username
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| json.id.path().rsplit('/').next().unwrap_or_default().to_string());
        Ok(NewActor {
            ap_id: json.id.clone(),
            kind: kind_from_wire(&json.kind),
            username,
            domain,
            is_local: false,
            display_name: json.name.clone().unwrap_or_default(),
            summary: json.summary.as_deref().map(buurtnet_domain::model::html::sanitize).unwrap_or_default(),
            inbox: json.inbox.clone(),
            shared_inbox: json.endpoints.as_ref().and_then(|e| e.shared_inbox.clone()).filter(|u| u.origin() == origin),
            outbox: json.outbox.clone(),
            followers: json.followers.clone(),
            following: json.following.clone(),
            url: json.profile_url(),
            public_key_id: json.public_key.id.clone(),
            public_key_pem: json.public_key.public_key_pem.clone(),
            private_key_pem: None,
            ed25519_public_multibase: json.assertion_method.first().map(|k| k.public_key_multibase.clone()),
            ed25519_private_pkcs8: None,
            manually_approves_followers: json.manually_approves_followers.unwrap_or(false),
        })
    }
}

#[async_trait::async_trait]
impl Object for ApubActor {
    type DataType = FederationState;
    type Kind = ActorJson;
    type Error = FederationError;

    fn id(&self) -> &Url {
        &self.1
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        if self.0.is_local { None } else { DateTime::<Utc>::from_timestamp_millis(self.0.fetched_at) }
    }

    async fn read_from_id(object_id: Url, data: &Data<Self::DataType>) -> Result<Option<Self>, Self::Error> {
        let mut conn = data.store.conn().await?;
        Ok(store::actors::by_ap_id(&mut conn, object_id.as_str()).await?.map(ApubActor::new))
    }

    async fn into_json(self, _data: &Data<Self::DataType>) -> Result<Self::Kind, Self::Error> {
        Ok(self.to_json())
    }

    async fn verify(json: &Self::Kind, expected_domain: &Url, _data: &Data<Self::DataType>) -> Result<(), Self::Error> {
        if json.id.origin() != expected_domain.origin() {
            return Err(FederationError::Forbidden("actor id is on another origin than where it was fetched".into()));
        }
        Ok(())
    }

    async fn from_json(json: Self::Kind, data: &Data<Self::DataType>) -> Result<Self, Self::Error> {
        let new = ApubActor::from_remote(&json)?;
        Ok(ApubActor::new(ops::actors::learn_remote(&data.store, &new).await?))
    }
}

impl ApActor for ApubActor {
    fn public_key_pem(&self) -> &str {
        &self.0.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.0.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.0.inbox).expect("stored inbox")
    }

    fn shared_inbox(&self) -> Option<Url> {
        parse(&self.0.shared_inbox)
    }
}

/// Finds an actor by id: in the database, or fetched (and stored) from its server.
pub async fn resolve(ap_id: &str, context: &Context) -> Result<Actor, FederationError> {
    let id: ObjectId<ApubActor> = ObjectId::parse(ap_id).map_err(|e| FederationError::Malformed(format!("actor id {ap_id}: {e}")))?;
    Ok(id.dereference(context).await?.0)
}

/// Fetches an actor again, whatever we hold (its key may have changed).
pub async fn refetch(ap_id: &str, context: &Context) -> Result<Actor, FederationError> {
    let id: ObjectId<ApubActor> = ObjectId::parse(ap_id).map_err(|e| FederationError::Malformed(format!("actor id {ap_id}: {e}")))?;
    Ok(id.dereference_forced(context).await?.0)
}

/// An actor's document as its own server serves it now, checked but not stored: the inbox
/// keeps an actor only once a signature by its key holds.
pub async fn fetch_unstored(ap_id: &str, context: &Context) -> Result<NewActor, FederationError> {
    ApubActor::from_remote(&fetch_document(ap_id, context).await?)
}

/// An actor's document as its own server serves it now (signed by the instance actor,
/// bounded), when it names the id it was fetched by.
pub async fn fetch_document(ap_id: &str, context: &Context) -> Result<ActorJson, FederationError> {
    let url = Url::parse(ap_id).map_err(|e| FederationError::Malformed(format!("actor id {ap_id}: {e}")))?;
    let fetched = activitypub_federation::fetch::fetch_object_http::<_, ActorJson>(&url, context).await?;
    if fetched.object.id != url {
        return Err(FederationError::Forbidden("the actor document names another id".into()));
    }
    Ok(fetched.object)
}

/// Keeps an actor fetched by [`fetch_unstored`].
pub async fn keep(new: &NewActor, context: &Context) -> Result<Actor, FederationError> {
    Ok(ops::actors::learn_remote(&context.store, new).await?)
}

/// Finds an actor by `user@domain` through WebFinger (then fetched and stored as by id).
pub async fn resolve_handle(handle: &str, context: &Context) -> Result<Actor, FederationError> {
    let handle = handle.trim().trim_start_matches('@');
    let actor: ApubActor = activitypub_federation::fetch::webfinger::webfinger_resolve_actor(handle, context).await?;
    Ok(actor.0)
}
