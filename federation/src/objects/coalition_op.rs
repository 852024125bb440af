//! The wire form of a coalition operation (issue 6): a JSON-LD document of our own
//! vocabulary (`bn:` = `urn:buurtnet:ns#`, defined inline), signed by the acting
//! initiative with an FEP-8b32 proof so that any replica can forward it and every replica can
//! check it. [`to_json`] and [`sign`] make one (its shape typed in `protocol::coalition`);
//! [`parse_verified`] checks the proof against the author's key and reads it back into
//! [`Operation`].
//!
//! ```json
//! {"@context": [AS, DATA_INTEGRITY, {"bn": "urn:buurtnet:ns#", …}],
//!  "id": "https://a.example/coalitions/delfshaven/ops/…", "type": "bn:Propose",
//!  "actor": "https://a.example/initiatives/zorg", "bn:coalition": "urn:buurtnet:coalition:…",
//!  "bn:parents": ["…"], "published": "2026-11-22T10:00:00Z",
//!  "object": {"type": "bn:Admission", "bn:candidate": "https://b.example/initiatives/paleis"},
//!  "proof": {…}}
//! ```

use crate::integrity::{self, ProofError};
use crate::protocol::coalition::{ChangeJson, CharterJson, OpObject, OperationJson, Vouch};
use buurtnet_domain::model::coalition::{Change, Charter, MAJORITY, OpKind, Operation};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};

const AS: &str = "https://www.w3.org/ns/activitystreams";

fn context() -> Value {
    json!([AS, integrity::DATA_INTEGRITY_CONTEXT, {"bn": "urn:buurtnet:ns#"}])
}

fn charter_document(charter: &Charter) -> CharterJson<'_> {
    let stricter = |percent: u32| Some(percent).filter(|p| *p != MAJORITY);
    CharterJson {
        name: &charter.name,
        summary: &charter.description,
        sponsors_needed: charter.sponsors_needed,
        objection_days: charter.objection_days,
        removal_percent: stricter(charter.removal_percent),
        change_percent: stricter(charter.change_percent),
    }
}

pub fn charter_json(charter: &Charter) -> Value {
    serde_json::to_value(charter_document(charter)).expect("a charter serialises")
}

fn time(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The `type` of an operation.
fn kind_name(kind: &OpKind) -> &'static str {
    match kind {
        OpKind::Found { .. } => "bn:Found",
        OpKind::Propose(_) => "bn:Propose",
        OpKind::Sponsor { .. } => "bn:Sponsor",
        OpKind::Object { .. } => "bn:Object",
        OpKind::Vote { .. } => "bn:Vote",
        OpKind::Admit { .. } => "bn:Admit",
        OpKind::Leave => "bn:Leave",
        OpKind::Host { .. } => "bn:Host",
    }
}

/// What the operation is about: its founding, its proposed change, its vote, or the one id it names.
fn object<'a>(op: &'a Operation, coalition: &'a str) -> OpObject<'a> {
    match &op.kind {
        OpKind::Found { charter, founders } => OpObject::Founding { charter: charter_document(charter), founders },
        OpKind::Propose(Change::Admit(who)) => OpObject::Proposal(ChangeJson::Admission { candidate: who }),
        OpKind::Propose(Change::Remove(who)) => OpObject::Proposal(ChangeJson::Removal { member: who }),
        OpKind::Propose(Change::Charter(charter)) => OpObject::Proposal(ChangeJson::CharterChange { charter: charter_document(charter) }),
        OpKind::Vote { proposal, approve } => OpObject::Vote { proposal, approve: *approve },
        OpKind::Sponsor { proposal } | OpKind::Object { proposal } | OpKind::Admit { proposal } => OpObject::Id(proposal),
        OpKind::Leave => OpObject::Id(coalition),
        OpKind::Host { replica } => OpObject::Id(replica),
    }
}

/// The unsigned document of `op` in coalition `coalition` (its stable identifier).
pub fn to_json(op: &Operation, coalition: &str) -> Value {
    let document = OperationJson {
        context: context(),
        id: &op.id,
        kind: kind_name(&op.kind),
        actor: &op.author,
        coalition,
        parents: &op.parents,
        published: time(op.published),
        object: object(op, coalition),
        keys: op.keys.iter().map(|(actor, key)| Vouch { actor, key }).collect(),
    };
    serde_json::to_value(document).expect("an operation serialises")
}

/// The identifier of the coalition a founding operation founds: a hash of the founding
/// itself (its document without the identifier), so that no other founding can claim it.
pub fn coalition_id(found: &Operation) -> String {
    let mut document = to_json(found, "");
    if let Some(fields) = document.as_object_mut() {
        fields.remove("bn:coalition");
    }
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, integrity::canonical(&document).as_bytes());
    let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("urn:buurtnet:coalition:{hex}")
}

/// Signs an operation with its author's key (`{author}#ed25519-key`).
pub fn sign(op: &Operation, coalition: &str, private_pkcs8: &str) -> Result<Value, ProofError> {
    integrity::sign(&to_json(op, coalition), &format!("{}#ed25519-key", op.author), private_pkcs8, &time(op.published))
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OpError {
    #[error(transparent)]
    Proof(#[from] ProofError),
    #[error("the proof is not by the acting initiative ({0})")]
    WrongSigner(String),
    #[error("not a coalition operation: {0}")]
    Malformed(String),
}

fn text(value: &Value, what: &str) -> Result<String, OpError> {
    value.as_str().map(str::to_string).ok_or_else(|| OpError::Malformed(format!("{what} is missing")))
}

fn parse_charter(value: &Value) -> Result<Charter, OpError> {
    let number =
        |key: &str| value[key].as_u64().and_then(|n| u32::try_from(n).ok()).ok_or_else(|| OpError::Malformed(format!("{key} is missing")));
    Ok(Charter {
        name: text(&value["name"], "the charter's name")?,
        description: value["summary"].as_str().unwrap_or_default().to_string(),
        sponsors_needed: number("bn:sponsorsNeeded")?,
        objection_days: number("bn:objectionDays")?,
        removal_percent: if value.get("bn:removalPercent").is_some() { number("bn:removalPercent")? } else { MAJORITY },
        change_percent: if value.get("bn:changePercent").is_some() { number("bn:changePercent")? } else { MAJORITY },
    })
}

/// Checks the proof with `author_key` (the Multikey the acting initiative publishes as
/// `assertionMethod`) and reads the operation and its coalition. The proof must be made
/// with the actor's own key: a forwarder cannot speak for it.
pub fn parse_verified(document: &Value, author_key: &str) -> Result<(Operation, String), OpError> {
    let author = text(&document["actor"], "actor")?;
    let method = integrity::verification_method(document)?;
    if method.split('#').next() != Some(author.as_str()) {
        return Err(OpError::WrongSigner(method));
    }
    integrity::verify(document, author_key)?;
    let id = text(&document["id"], "id")?;
    if !crate::protocol::same_origin(&id, &author) {
        return Err(OpError::Malformed("the operation's id is not on its author's origin".into()));
    }
    let object = &document["object"];
    let kind = match document["type"].as_str().unwrap_or_default() {
        "bn:Found" => OpKind::Found {
            charter: parse_charter(&object["bn:charter"])?,
            founders: object["bn:founders"].as_array().into_iter().flatten().filter_map(|f| f.as_str().map(str::to_string)).collect(),
        },
        "bn:Propose" => OpKind::Propose(match object["type"].as_str().unwrap_or_default() {
            "bn:Admission" => Change::Admit(text(&object["bn:candidate"], "candidate")?),
            "bn:Removal" => Change::Remove(text(&object["bn:member"], "member")?),
            "bn:CharterChange" => Change::Charter(parse_charter(&object["bn:charter"])?),
            other => return Err(OpError::Malformed(format!("unknown proposal {other:?}"))),
        }),
        "bn:Sponsor" => OpKind::Sponsor { proposal: text(object, "proposal")? },
        "bn:Object" => OpKind::Object { proposal: text(object, "proposal")? },
        "bn:Vote" => OpKind::Vote {
            proposal: text(&object["bn:proposal"], "proposal")?,
            approve: object["bn:approve"].as_bool().ok_or_else(|| OpError::Malformed("approve is missing".into()))?,
        },
        "bn:Admit" => OpKind::Admit { proposal: text(object, "proposal")? },
        "bn:Leave" => OpKind::Leave,
        "bn:Host" => {
            let replica = text(object, "replica")?;
            if !crate::protocol::same_origin(&replica, &author) {
                return Err(OpError::Malformed("a replica must be on its host's origin".into()));
            }
            OpKind::Host { replica }
        }
        other => return Err(OpError::Malformed(format!("unknown operation {other:?}"))),
    };
    let published = DateTime::parse_from_rfc3339(document["published"].as_str().unwrap_or_default())
        .map_err(|e| OpError::Malformed(format!("published: {e}")))?
        .timestamp_millis();
    let parents = document["bn:parents"].as_array().into_iter().flatten().filter_map(|p| p.as_str().map(str::to_string)).collect();
    let mut keys = std::collections::BTreeMap::new();
    for vouch in document["bn:keys"].as_array().into_iter().flatten() {
        keys.insert(text(&vouch["bn:actor"], "the vouched actor")?, text(&vouch["publicKeyMultibase"], "the vouched key")?);
    }
    let op = Operation { id, author, parents, published, kind, keys };
    let coalition = text(&document["bn:coalition"], "coalition")?;
    if matches!(op.kind, OpKind::Found { .. }) && coalition != coalition_id(&op) {
        return Err(OpError::Malformed("a founding must found the coalition its id is the hash of".into()));
    }
    Ok((op, coalition))
}

#[cfg(test)]
mod tests {
    use super::*;
    use buurtnet_domain::model::coalition::fold;

    const COALITION: &str = "urn:buurtnet:coalition:delfshaven-1";

    fn charter_of(found: &Operation) -> Charter {
        match &found.kind {
            OpKind::Found { charter, .. } => charter.clone(),
            _ => unreachable!("a founding"),
        }
    }

    fn initiative(host: &str) -> (String, buurtnet_domain::model::ActorKeys) {
        (format!("https://{host}/initiatives/i"), crate::keys::generate())
    }

    #[test]
    fn operations_round_trip_signed_and_fold_the_same() {
        let (a, a_keys) = initiative("a.example");
        let (b, b_keys) = initiative("b.example");
        let charter = Charter {
            name: "Delfshaven".into(),
            description: "Samen zorgen".into(),
            sponsors_needed: 1,
            objection_days: 7,
            removal_percent: buurtnet_domain::model::coalition::MAJORITY,
            change_percent: buurtnet_domain::model::coalition::MAJORITY,
        };
        let day = 24 * 3600 * 1000;
        let ops = vec![
            (
                Operation {
                    id: format!("{a}/ops/1"),
                    author: a.clone(),
                    parents: vec![],
                    published: day,
                    kind: OpKind::Found { charter, founders: vec![a.clone()] },
                    keys: [(a.clone(), a_keys.ed25519_public_multibase.clone())].into(),
                },
                &a_keys,
            ),
            (
                Operation {
                    id: format!("{b}/ops/1"),
                    author: b.clone(),
                    parents: vec![format!("{a}/ops/1")],
                    published: 2 * day,
                    kind: OpKind::Propose(Change::Admit(b.clone())),
                    keys: Default::default(),
                },
                &b_keys,
            ),
            (
                Operation {
                    id: format!("{a}/ops/2"),
                    author: a.clone(),
                    parents: vec![format!("{b}/ops/1")],
                    published: 2 * day,
                    kind: OpKind::Sponsor { proposal: format!("{b}/ops/1") },
                    keys: [(b.clone(), b_keys.ed25519_public_multibase.clone())].into(),
                },
                &a_keys,
            ),
            (
                Operation {
                    id: format!("{a}/ops/3"),
                    author: a.clone(),
                    parents: vec![format!("{a}/ops/2")],
                    published: 10 * day,
                    kind: OpKind::Admit { proposal: format!("{b}/ops/1") },
                    keys: Default::default(),
                },
                &a_keys,
            ),
        ];
        let coalition = coalition_id(&ops[0].0);
        let mut read = Vec::new();
        for (op, keys) in &ops {
            let signed = sign(op, &coalition, &keys.ed25519_private_pkcs8).unwrap();
            // What travels is text; what arrives is parsed again.
            let arrived: Value = serde_json::from_str(&signed.to_string()).unwrap();
            let (back, of) = parse_verified(&arrived, &keys.ed25519_public_multibase).unwrap();
            assert_eq!(of, coalition);
            assert_eq!(&back, op);
            read.push(back);
        }
        assert_eq!(fold(&read).members.len(), 2);
        assert_eq!(read[2].keys.get(&b), Some(&b_keys.ed25519_public_multibase), "the sponsor's vouch for the newcomer's key travels");
        // A second founding that claims the same coalition is no founding of it.
        let (rival, rival_keys) = initiative("m.example");
        let mut usurper = ops[0].0.clone();
        usurper.id = format!("{rival}/ops/0");
        usurper.author = rival.clone();
        usurper.kind = OpKind::Found { charter: charter_of(&ops[0].0), founders: vec![rival.clone()] };
        let claimed = sign(&usurper, &coalition, &rival_keys.ed25519_private_pkcs8).unwrap();
        assert!(matches!(parse_verified(&claimed, &rival_keys.ed25519_public_multibase), Err(OpError::Malformed(_))));
    }

    #[test]
    fn forged_and_altered_operations_are_refused() {
        let (a, a_keys) = initiative("a.example");
        let (_, mallory) = initiative("m.example");
        let op = Operation {
            id: format!("{a}/ops/9"),
            author: a.clone(),
            parents: vec![],
            published: 0,
            kind: OpKind::Leave,
            keys: Default::default(),
        };
        let signed = sign(&op, COALITION, &a_keys.ed25519_private_pkcs8).unwrap();
        assert_eq!(
            parse_verified(&signed, &mallory.ed25519_public_multibase).unwrap_err(),
            OpError::Proof(ProofError::Invalid),
            "another key"
        );
        let mut altered = signed.clone();
        altered["type"] = json!("bn:Admit");
        altered["object"] = json!("https://a.example/initiatives/i/ops/1");
        assert_eq!(parse_verified(&altered, &a_keys.ed25519_public_multibase).unwrap_err(), OpError::Proof(ProofError::Invalid));
        // Mallory signs an operation in A's name with her own key.
        let mut posing = to_json(&op, COALITION);
        posing["actor"] = json!(a);
        let forged =
            integrity::sign(&posing, "https://m.example/initiatives/i#ed25519-key", &mallory.ed25519_private_pkcs8, "2026-01-01T00:00:00Z")
                .unwrap();
        assert!(matches!(parse_verified(&forged, &mallory.ed25519_public_multibase), Err(OpError::WrongSigner(_))));
    }

    #[test]
    fn ids_and_replicas_must_live_on_the_authors_origin() {
        let (a, a_keys) = initiative("a.example");
        let key = &a_keys.ed25519_public_multibase;
        let elsewhere = Operation {
            id: "https://m.example/ops/1".into(),
            author: a.clone(),
            parents: vec![],
            published: 0,
            kind: OpKind::Leave,
            keys: Default::default(),
        };
        let signed = sign(&elsewhere, COALITION, &a_keys.ed25519_private_pkcs8).unwrap();
        assert!(matches!(parse_verified(&signed, key), Err(OpError::Malformed(_))), "an id on another origin");
        let host = |replica: &str| Operation {
            id: format!("{a}/ops/2"),
            author: a.clone(),
            parents: vec![],
            published: 0,
            kind: OpKind::Host { replica: replica.into() },
            keys: Default::default(),
        };
        let foreign = sign(&host("https://m.example/coalitions/d"), COALITION, &a_keys.ed25519_private_pkcs8).unwrap();
        assert!(matches!(parse_verified(&foreign, key), Err(OpError::Malformed(_))), "a replica on another origin");
        let own = sign(&host("https://a.example/coalitions/d"), COALITION, &a_keys.ed25519_private_pkcs8).unwrap();
        assert_eq!(parse_verified(&own, key).unwrap().0.kind, OpKind::Host { replica: "https://a.example/coalitions/d".into() });
    }

    #[test]
    fn every_operation_is_written_as_it_always_was() {
        use crate::objects::samples::assert_sends;
        const A: &str = "https://a.example/initiatives/zorg";
        const P: &str = "https://a.example/initiatives/zorg/ops/1";
        let charter = Charter {
            name: "Delfshaven".into(),
            description: "Samen zorgen".into(),
            sponsors_needed: 1,
            objection_days: 7,
            removal_percent: 67,
            change_percent: MAJORITY,
        };
        let written = json!({"type": "bn:Charter", "name": "Delfshaven", "summary": "Samen zorgen", "bn:sponsorsNeeded": 1,
            "bn:objectionDays": 7, "bn:removalPercent": 67});
        let kinds = [
            (
                OpKind::Found { charter: charter.clone(), founders: vec![A.into()] },
                "bn:Found",
                json!({"bn:charter": written, "bn:founders": [A]}),
            ),
            (
                OpKind::Propose(Change::Admit("https://b.example/i".into())),
                "bn:Propose",
                json!({"type": "bn:Admission", "bn:candidate": "https://b.example/i"}),
            ),
            (
                OpKind::Propose(Change::Remove("https://b.example/i".into())),
                "bn:Propose",
                json!({"type": "bn:Removal", "bn:member": "https://b.example/i"}),
            ),
            (OpKind::Propose(Change::Charter(charter)), "bn:Propose", json!({"type": "bn:CharterChange", "bn:charter": written})),
            (OpKind::Sponsor { proposal: P.into() }, "bn:Sponsor", json!(P)),
            (OpKind::Object { proposal: P.into() }, "bn:Object", json!(P)),
            (OpKind::Vote { proposal: P.into(), approve: false }, "bn:Vote", json!({"bn:proposal": P, "bn:approve": false})),
            (OpKind::Admit { proposal: P.into() }, "bn:Admit", json!(P)),
            (OpKind::Leave, "bn:Leave", json!(COALITION)),
            (OpKind::Host { replica: "https://a.example/coalitions/d".into() }, "bn:Host", json!("https://a.example/coalitions/d")),
        ];
        for (kind, name, object) in kinds {
            let op = Operation {
                id: format!("{A}/ops/2"),
                author: A.into(),
                parents: vec![P.into()],
                published: 1000,
                kind,
                keys: Default::default(),
            };
            assert_sends(
                to_json(&op, COALITION),
                json!({"@context": context(), "id": op.id, "type": name, "actor": A, "bn:coalition": COALITION, "bn:parents": [P],
                    "published": "1970-01-01T00:00:01.000Z", "object": object}),
            );
        }
        let vouching = Operation {
            id: format!("{A}/ops/3"),
            author: A.into(),
            parents: vec![],
            published: 0,
            kind: OpKind::Leave,
            keys: [("https://b.example/i".to_string(), "z6Mk".to_string())].into(),
        };
        assert_sends(
            to_json(&vouching, COALITION),
            json!({"@context": [AS, integrity::DATA_INTEGRITY_CONTEXT, {"bn": "urn:buurtnet:ns#"}], "id": vouching.id, "type": "bn:Leave",
                "actor": A, "bn:coalition": COALITION, "bn:parents": [], "published": "1970-01-01T00:00:00.000Z", "object": COALITION,
                "bn:keys": [{"bn:actor": "https://b.example/i", "publicKeyMultibase": "z6Mk"}]}),
        );
    }

    #[test]
    fn stricter_majorities_travel_and_plain_ones_are_not_written() {
        let plain = Charter {
            name: "D".into(),
            description: String::new(),
            sponsors_needed: 1,
            objection_days: 7,
            removal_percent: MAJORITY,
            change_percent: MAJORITY,
        };
        assert!(charter_json(&plain).get("bn:removalPercent").is_none(), "charters from before these rules hash the same");
        let strict = Charter { removal_percent: 67, change_percent: 99, ..plain };
        let json = charter_json(&strict);
        assert_eq!((json["bn:removalPercent"].as_u64(), json["bn:changePercent"].as_u64()), (Some(67), Some(99)));
        assert_eq!(parse_charter(&json).unwrap(), strict);
        assert_eq!(
            parse_charter(&charter_json(&Charter { removal_percent: MAJORITY, change_percent: MAJORITY, ..strict }))
                .unwrap()
                .removal_percent,
            MAJORITY
        );
    }
}
