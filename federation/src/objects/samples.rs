//! Rows to build wire documents from in unit tests: an actor, a post, a proposal, a response
//! and an article's patch, with only what the builders read filled in.

use buurtnet_domain::model::{
    Actor, ActorKind, ActorKindColumn, ArticlePatch, Event, JoinMode, PatchState, Post, Proposal, ProposalState, Purpose, Response,
    ResponseState, Visibility,
};

pub fn actor(ap_id: &str) -> Actor {
    Actor {
        id: 1,
        ap_id: ap_id.into(),
        kind: ActorKindColumn(ActorKind::Person),
        username: "fatima".into(),
        domain: "a.example".into(),
        is_local: true,
        display_name: "Fatima".into(),
        summary: String::new(),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: None,
        outbox: None,
        followers: None,
        following: None,
        url: None,
        public_key_id: format!("{ap_id}#main-key"),
        public_key_pem: String::new(),
        private_key_pem: None,
        ed25519_public_multibase: None,
        ed25519_private_pkcs8: None,
        manually_approves_followers: false,
        fetched_at: 0,
        created_at: 0,
        default_need_visibility: Visibility::Public,
        moved_to: None,
    }
}

pub fn post(ap_id: &str) -> Post {
    Post {
        id: 1,
        ap_id: ap_id.into(),
        author_id: 1,
        content: "<p>Wie helpt?</p>".into(),
        source: None,
        summary: None,
        visibility: Visibility::Public,
        in_reply_to: None,
        url: None,
        published: 0,
        updated: None,
        deleted_at: None,
        is_local: true,
        created_at: 0,
        language: None,
    }
}

pub fn proposal(purpose: Purpose) -> Proposal {
    Proposal {
        post_id: 1,
        purpose,
        title: "Boodschappen".into(),
        description: String::new(),
        category: "boodschappen".into(),
        neighbourhood: None,
        when_from: None,
        when_to: None,
        expires_at: None,
        state: ProposalState::Fulfilled,
        created_at: 0,
        hours_given: None,
        thanks: None,
        for_resident: false,
        first_response_at: None,
        fulfilled_at: None,
    }
}

pub fn event(place: Option<&str>, online_url: Option<&str>) -> Event {
    Event {
        post_id: 1,
        title: "Soep op zaterdag".into(),
        description: "Samen koken".into(),
        starts_at: 1_795_000_000_000,
        ends_at: None,
        timezone: "Europe/Amsterdam".into(),
        place_name: place.map(str::to_string),
        place_address: Some("Schiedamseweg 1".into()),
        latitude: None,
        longitude: Some(4.45),
        online_url: online_url.map(str::to_string),
        capacity: Some(20),
        join_mode: JoinMode::Free,
        state: "scheduled".into(),
        created_at: 0,
        participant_count: 3,
        sequence: 0,
        updated_at: None,
        registration_closed: false,
        asks_lift: false,
        asks_diet: false,
    }
}

pub fn response(ap_id: &str, state: ResponseState) -> Response {
    Response {
        id: 1,
        ap_id: ap_id.into(),
        proposal_post_id: 1,
        responder_id: 2,
        message: String::new(),
        state,
        agreement_ap_id: None,
        created_at: 0,
        decided_at: None,
        reason: None,
    }
}

pub fn patch(ap_id: &str, state: PatchState) -> ArticlePatch {
    ArticlePatch {
        id: 1,
        ap_id: ap_id.into(),
        article_post_id: 1,
        author_id: 2,
        base_revision: "https://a.example/notes/1/revisions/1".into(),
        diff: "@@ -1 +1 @@\n-Soep\n+Soep met brood\n".into(),
        summary: "Brood erbij".into(),
        state,
        reason: None,
        created_at: 0,
    }
}

/// The document sent is the one expected: the same keys and values, in the same order.
pub fn assert_sends(sent: impl serde::Serialize, expected: serde_json::Value) {
    let sent = serde_json::to_value(sent).expect("a document serialises");
    assert_eq!(sent, expected);
    assert_eq!(sent.to_string(), expected.to_string(), "the keys in the same order");
}
