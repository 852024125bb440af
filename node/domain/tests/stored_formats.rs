//! The forms the node keeps in its database as JSON are pinned (issue 17): an outbox entry
//! ([`Outgoing`]) and a coalition operation ([`Operation`]) of every kind is written exactly
//! as in `tests/stored/*.json`, and what those files hold still reads back. A change that
//! breaks this breaks the rows of every running node: it needs a migration of the stored
//! rows, and only then new golden files (`BUURTNET_BLESS=1 cargo test -p buurtnet-domain
//! --test stored_formats` writes them).

use buurtnet_domain::model::coalition::{Change, Charter, OpKind, Operation};
use buurtnet_domain::outbox::Outgoing;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One of every kind of outbox entry. The match makes a new kind fail to compile here until
/// it has a sample.
fn outgoing() -> Vec<Outgoing> {
    let all = vec![
        Outgoing::PostCreated { post_id: 1 },
        Outgoing::PostUpdated { post_id: 1 },
        Outgoing::PostDeleted { post_id: 1, recipients: vec!["https://elders.example/users/kees".into()] },
        Outgoing::FollowRequested { follow_id: 2 },
        Outgoing::FollowUndone { follower_id: 3, followee_id: 4, follow_activity: "https://buurt.example/follows/5".into() },
        Outgoing::FollowAccepted { follow_id: 2 },
        Outgoing::FollowRejected { follower_id: 3, followee_id: 4, follow_activity: "https://elders.example/follows/6".into() },
        Outgoing::ResponseSent { response_id: 7 },
        Outgoing::ResponseAccepted { response_id: 7 },
        Outgoing::ResponseRejected { response_id: 7 },
        Outgoing::ProposalFulfilled { post_id: 1 },
        Outgoing::EventJoinSent { participation_id: 8 },
        Outgoing::EventJoinAnswered { participation_id: 8 },
        Outgoing::EventLeft { participation_id: 8 },
        Outgoing::Reacted { kind: "Like".into(), activity: "https://buurt.example/likes/9".into(), actor_id: 3, post_id: 1 },
        Outgoing::ReactionUndone { kind: "Announce".into(), activity: "https://buurt.example/announces/9".into(), actor_id: 3, post_id: 1 },
        Outgoing::ReplicaPassedOn { activity: "https://buurt.example/coalitions/delfshaven/passed/1".into(), replica_id: 10, post_id: 1 },
        Outgoing::ProfileUpdated { actor_id: 3 },
        Outgoing::ReportForwarded { report_id: 11 },
        Outgoing::PatchSent { patch_id: 12 },
        Outgoing::PatchAnswered { patch_id: 12 },
        Outgoing::AccountDeleted { actor_id: 3, inboxes: vec!["https://elders.example/inbox".into()] },
        Outgoing::CoalitionOperation { coalition: "delfshaven".into(), op_id: "https://buurt.example/coalitions/delfshaven/ops/1".into() },
        Outgoing::ActorMoved { actor_id: 3, target: "https://nieuw.example/initiatives/zorg".into() },
    ];
    let kinds: std::collections::BTreeSet<usize> = all.iter().map(outgoing_kind).collect();
    assert_eq!(kinds.len(), 24, "one sample of every kind");
    all
}

fn outgoing_kind(event: &Outgoing) -> usize {
    match event {
        Outgoing::PostCreated { .. } => 0,
        Outgoing::PostUpdated { .. } => 1,
        Outgoing::PostDeleted { .. } => 2,
        Outgoing::FollowRequested { .. } => 3,
        Outgoing::FollowUndone { .. } => 4,
        Outgoing::FollowAccepted { .. } => 5,
        Outgoing::FollowRejected { .. } => 6,
        Outgoing::ResponseSent { .. } => 7,
        Outgoing::ResponseAccepted { .. } => 8,
        Outgoing::ResponseRejected { .. } => 9,
        Outgoing::ProposalFulfilled { .. } => 10,
        Outgoing::EventJoinSent { .. } => 11,
        Outgoing::EventJoinAnswered { .. } => 12,
        Outgoing::EventLeft { .. } => 13,
        Outgoing::Reacted { .. } => 14,
        Outgoing::ReactionUndone { .. } => 15,
        Outgoing::ReplicaPassedOn { .. } => 16,
        Outgoing::ProfileUpdated { .. } => 17,
        Outgoing::ReportForwarded { .. } => 18,
        Outgoing::PatchSent { .. } => 19,
        Outgoing::PatchAnswered { .. } => 20,
        Outgoing::AccountDeleted { .. } => 21,
        Outgoing::CoalitionOperation { .. } => 22,
        Outgoing::ActorMoved { .. } => 23,
    }
}

fn charter() -> Charter {
    Charter {
        name: "Welzijnscoalitie Delfshaven".into(),
        description: "Samen zorgen in de wijk.".into(),
        sponsors_needed: 2,
        objection_days: 7,
        removal_percent: 50,
        change_percent: 66,
    }
}

/// One operation of every kind, and every kind of change.
fn operations() -> Vec<Operation> {
    let proposal = "https://buurt.example/coalitions/delfshaven/ops/2".to_string();
    let kinds = vec![
        OpKind::Found { charter: charter(), founders: vec!["https://buurt.example/users/zorg".into()] },
        OpKind::Propose(Change::Admit("https://elders.example/users/paleis".into())),
        OpKind::Propose(Change::Remove("https://elders.example/users/paleis".into())),
        OpKind::Propose(Change::Charter(charter())),
        OpKind::Sponsor { proposal: proposal.clone() },
        OpKind::Object { proposal: proposal.clone() },
        OpKind::Vote { proposal: proposal.clone(), approve: true },
        OpKind::Admit { proposal },
        OpKind::Leave,
        OpKind::Host { replica: "https://buurt.example/coalitions/delfshaven".into() },
    ];
    for kind in &kinds {
        // A new kind or change fails to compile here until it has a sample above.
        match kind {
            OpKind::Found { .. } | OpKind::Sponsor { .. } | OpKind::Object { .. } | OpKind::Vote { .. } => {}
            OpKind::Admit { .. } | OpKind::Leave | OpKind::Host { .. } => {}
            OpKind::Propose(Change::Admit(_) | Change::Remove(_) | Change::Charter(_)) => {}
        }
    }
    kinds
        .into_iter()
        .enumerate()
        .map(|(n, kind)| Operation {
            id: format!("https://buurt.example/coalitions/delfshaven/ops/{}", n + 1),
            author: "https://buurt.example/users/zorg".into(),
            parents: if n == 0 { vec![] } else { vec![format!("https://buurt.example/coalitions/delfshaven/ops/{n}")] },
            published: 1_765_000_000_000 + n as i64,
            kind,
            keys: if n == 0 { BTreeMap::from([("https://buurt.example/users/zorg".into(), "z6MkSample".into())]) } else { BTreeMap::new() },
        })
        .collect()
}

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/stored").join(name)
}

/// Each sample as the store writes it (`serde_json::to_string`), one per line.
fn written<T: Serialize>(samples: &[T]) -> String {
    samples.iter().map(|s| serde_json::to_string(s).expect("serialisable") + "\n").collect()
}

fn check<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(name: &str, samples: &[T]) {
    let now = written(samples);
    if std::env::var_os("BUURTNET_BLESS").is_some() {
        std::fs::write(golden(name), &now).expect("writing the golden file");
    }
    let pinned = std::fs::read_to_string(golden(name)).expect("the golden file");
    for (line, (was, is)) in pinned.lines().zip(now.lines()).enumerate() {
        assert_eq!(was, is, "{name} line {}: the stored form changed", line + 1);
    }
    assert_eq!(pinned.lines().count(), now.lines().count(), "{name}: samples added or removed");
    let read: Vec<T> = pinned.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {l}: {e}"))).collect();
    assert_eq!(read, samples, "{name}: what is stored reads back as it was written");
}

#[test]
fn outbox_entries_are_stored_as_pinned() {
    check("outgoing.jsonl", &outgoing());
}

#[test]
fn coalition_operations_are_stored_as_pinned() {
    check("coalition_operation.jsonl", &operations());
}

/// Rows written before a field existed still read: a charter without its percentages (the
/// first charters) takes "more than half".
#[test]
fn older_stored_forms_still_read() {
    let old = r#"{"name":"Coalitie","description":"","sponsors_needed":1,"objection_days":7}"#;
    let charter: Charter = serde_json::from_str(old).expect("an old charter");
    assert_eq!((charter.removal_percent, charter.change_percent), (50, 50));
}
