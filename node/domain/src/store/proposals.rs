//! Offers and needs, beside their posts.

use super::{Handle, affected, on_db};
use crate::error::Result;
use crate::model::{Proposal, ProposalState, Purpose, When};
use crate::now_ms;

const COLUMNS: &str = "post_id, purpose, title, description, category, neighbourhood, when_from, when_to, expires_at, state, created_at, hours_given, thanks, for_resident, first_response_at, fulfilled_at";

/// The structured fields of a proposal, however it arrived.
pub struct ProposalRow<'a> {
    pub purpose: Purpose,
    pub title: &'a str,
    pub description: &'a str,
    pub category: &'a str,
    pub neighbourhood: Option<&'a str>,
    pub when: When,
    pub expires_at: Option<i64>,
}

pub async fn insert(db: &mut impl Handle, post_id: i64, row: &ProposalRow<'_>) -> Result<()> {
    let (from, to) = row.when.columns();
    let sql = "INSERT INTO proposals (post_id, purpose, title, description, category, neighbourhood, when_from, when_to, expires_at, state, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10) ON CONFLICT (post_id) DO NOTHING";
    affected!(db, c => sqlx::query(sql)
        .bind(post_id).bind(row.purpose.as_str()).bind(row.title).bind(row.description).bind(row.category)
        .bind(row.neighbourhood).bind(&from).bind(&to).bind(row.expires_at).bind(now_ms())
        .execute(c).await)?;
    Ok(())
}

pub async fn update(db: &mut impl Handle, post_id: i64, row: &ProposalRow<'_>) -> Result<()> {
    let (from, to) = row.when.columns();
    let sql = "UPDATE proposals SET purpose = $1, title = $2, description = $3, category = $4, neighbourhood = $5, when_from = $6, when_to = $7, expires_at = $8 WHERE post_id = $9";
    affected!(db, c => sqlx::query(sql)
        .bind(row.purpose.as_str()).bind(row.title).bind(row.description).bind(row.category)
        .bind(row.neighbourhood).bind(&from).bind(&to).bind(row.expires_at).bind(post_id)
        .execute(c).await)?;
    Ok(())
}

pub async fn by_post_id(db: &mut impl Handle, post_id: i64) -> Result<Option<Proposal>> {
    let sql = format!("SELECT {COLUMNS} FROM proposals WHERE post_id = $1");
    Ok(on_db!(db, c => sqlx::query_as::<_, Proposal>(&sql).bind(post_id).fetch_optional(c).await)?)
}

pub async fn set_state(db: &mut impl Handle, post_id: i64, state: ProposalState) -> Result<()> {
    let sql = "UPDATE proposals SET state = $1, closed_at = $2 WHERE post_id = $3";
    affected!(db, c => sqlx::query(sql).bind(state.as_str()).bind(closed_at(state)).bind(post_id).execute(c).await)?;
    Ok(())
}

/// When a proposal moving to `state` closed: now, unless it is still open or being helped
/// (the clock for keeping it, issue 17, starts there).
fn closed_at(state: ProposalState) -> Option<i64> {
    (!state.is_active()).then(now_ms)
}

/// Moves a proposal to `to` only while it is in one of `from`, in one statement, so that two
/// decisions made at once cannot both succeed. Returns whether it moved.
pub async fn transition(db: &mut impl Handle, post_id: i64, from: &[ProposalState], to: ProposalState) -> Result<bool> {
    let states = from.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
    let sql = format!("UPDATE proposals SET state = $1, closed_at = $2 WHERE post_id = $3 AND state IN ({states})");
    Ok(affected!(db, c => sqlx::query(&sql).bind(to.as_str()).bind(closed_at(to)).bind(post_id).execute(c).await)? == 1)
}

/// Local open or in-progress proposals whose expiry has passed.
pub async fn due_for_expiry(db: &mut impl Handle, now: i64) -> Result<Vec<i64>> {
    let sql = "SELECT p.post_id FROM proposals p JOIN posts ON posts.id = p.post_id
               WHERE posts.is_local AND p.state IN ('open', 'in_progress') AND p.expires_at IS NOT NULL AND p.expires_at <= $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(now).fetch_all(c).await)?)
}

/// Open proposals this node holds (its own and received), newest first.
pub async fn open(db: &mut impl Handle, purpose: Purpose, limit: i64) -> Result<Vec<Proposal>> {
    open_before(db, Some(purpose), i64::MAX, limit, false).await
}

/// Open offers or needs (`purpose`; both when `None`) older than the post `before`, newest
/// first: the next part of [`open`] when a page needs more. With `anyones_only`, only those
/// anyone may read (public or unlisted: what `ops::visibility::readable` shows a visitor who
/// is not logged in), so a visitor's page reads no rows it must leave out.
pub async fn open_before(
    db: &mut impl Handle,
    purpose: Option<Purpose>,
    before: i64,
    limit: i64,
    anyones_only: bool,
) -> Result<Vec<Proposal>> {
    let (of_purpose, limit_at) = if purpose.is_some() { ("p.purpose = $2 AND", "$3") } else { ("", "$2") };
    let open_to_anyone = if anyones_only { "posts.visibility IN ('public', 'unlisted') AND" } else { "" };
    let sql = format!(
        "SELECT {} FROM proposals p JOIN posts ON posts.id = p.post_id
         WHERE p.state = 'open' AND p.post_id < $1 AND {of_purpose} {open_to_anyone} posts.deleted_at IS NULL
         ORDER BY p.post_id DESC LIMIT {limit_at}",
        COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    );
    let purpose = purpose.map(Purpose::as_str);
    Ok(on_db!(db, c => {
        let mut query = sqlx::query_as::<_, Proposal>(&sql).bind(before);
        if let Some(purpose) = purpose {
            query = query.bind(purpose);
        }
        query.bind(limit).fetch_all(c).await
    })?)
}

/// Records that a coordinator passed a resident's need (`original`) on as `passed_on`.
pub async fn set_passed_on(db: &mut impl Handle, original: i64, passed_on: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE proposals SET passed_on_to = $1 WHERE post_id = $2").bind(passed_on).bind(original).execute(c).await)?;
    Ok(())
}

/// The resident's need that `passed_on` was passed on for, if any.
pub async fn passed_on_from(db: &mut impl Handle, passed_on: i64) -> Result<Option<i64>> {
    let sql = "SELECT post_id FROM proposals WHERE passed_on_to = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, i64>(sql).bind(passed_on).fetch_optional(c).await)?)
}

/// The need a resident's need was passed on as, if it was.
pub async fn passed_on_to(db: &mut impl Handle, original: i64) -> Result<Option<i64>> {
    let sql = "SELECT passed_on_to FROM proposals WHERE post_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, Option<i64>>(sql).bind(original).fetch_optional(c).await)?.flatten())
}

/// Forgets what a deleted proposal said and whom it was for; the facts the figures count stay.
pub async fn forget_text(db: &mut impl Handle, post_id: i64) -> Result<()> {
    let sql = "UPDATE proposals SET title = '', description = '', neighbourhood = NULL, resident = NULL, thanks = NULL WHERE post_id = $1";
    affected!(db, c => sqlx::query(sql).bind(post_id).execute(c).await)?;
    Ok(())
}

/// Records the resident a need was posted for (never federated).
pub async fn set_resident(db: &mut impl Handle, post_id: i64, resident: &str) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE proposals SET resident = $1 WHERE post_id = $2").bind(resident).bind(post_id).execute(c).await)?;
    Ok(())
}

/// The resident a need was posted for, for the coordinators of this node.
pub async fn resident(db: &mut impl Handle, post_id: i64) -> Result<Option<String>> {
    let sql = "SELECT resident FROM proposals WHERE post_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, Option<String>>(sql).bind(post_id).fetch_optional(c).await)?.flatten())
}

/// Marks a proposal fulfilled, with the hours given and the thank-you when there are.
pub async fn fulfil(db: &mut impl Handle, post_id: i64, hours: Option<f64>, thanks: Option<&str>) -> Result<()> {
    let sql = "UPDATE proposals SET state = 'fulfilled', hours_given = $1, thanks = $2, fulfilled_at = COALESCE(fulfilled_at, $3), closed_at = $3 WHERE post_id = $4";
    affected!(db, c => sqlx::query(sql).bind(hours).bind(thanks).bind(now_ms()).bind(post_id).execute(c).await)?;
    Ok(())
}

/// Marks a proposal as asked for a resident (counted in the figures, never named).
pub async fn mark_for_resident(db: &mut impl Handle, post_id: i64) -> Result<()> {
    affected!(db, c => sqlx::query("UPDATE proposals SET for_resident = TRUE WHERE post_id = $1").bind(post_id).execute(c).await)?;
    Ok(())
}

/// Records when the first response came (later ones change nothing).
pub async fn first_response(db: &mut impl Handle, post_id: i64, at: i64) -> Result<()> {
    let sql = "UPDATE proposals SET first_response_at = $1 WHERE post_id = $2 AND first_response_at IS NULL";
    affected!(db, c => sqlx::query(sql).bind(at).bind(post_id).execute(c).await)?;
    Ok(())
}

/// Counts one more helper on `side` (an initiative's id or a server's origin).
pub async fn add_helper(db: &mut impl Handle, post_id: i64, side: &str) -> Result<()> {
    let sql = "INSERT INTO proposal_helpers (post_id, side, helpers) VALUES ($1, $2, 1)
               ON CONFLICT (post_id, side) DO UPDATE SET helpers = proposal_helpers.helpers + 1";
    affected!(db, c => sqlx::query(sql).bind(post_id).bind(side).execute(c).await)?;
    Ok(())
}

/// The sides whose people help with a proposal, with how many.
pub async fn helpers(db: &mut impl Handle, post_id: i64) -> Result<Vec<(String, i64)>> {
    let sql = "SELECT side, helpers FROM proposal_helpers WHERE post_id = $1 ORDER BY side";
    Ok(on_db!(db, c => sqlx::query_as::<_, (String, i64)>(sql).bind(post_id).fetch_all(c).await)?)
}

/// Takes the facts a proposal's author states for its copy here.
pub async fn set_facts(db: &mut impl Handle, post_id: i64, facts: &crate::model::ProposalFacts) -> Result<()> {
    let sql = "UPDATE proposals SET for_resident = $1, first_response_at = $2, fulfilled_at = $3,
               hours_given = COALESCE($4, hours_given) WHERE post_id = $5";
    affected!(db, c => sqlx::query(sql).bind(facts.for_resident).bind(facts.first_response_at).bind(facts.fulfilled_at)
        .bind(facts.hours_given).bind(post_id).execute(c).await)?;
    affected!(db, c => sqlx::query("DELETE FROM proposal_helpers WHERE post_id = $1").bind(post_id).execute(c).await)?;
    for (side, helpers) in &facts.helped_by {
        let sql = "INSERT INTO proposal_helpers (post_id, side, helpers) VALUES ($1, $2, $3) ON CONFLICT (post_id, side) DO NOTHING";
        affected!(db, c => sqlx::query(sql).bind(post_id).bind(side).bind(*helpers).execute(c).await)?;
    }
    Ok(())
}

/// Every proposal this node holds with its facts (for the figures), created before `until`.
pub async fn all_until(db: &mut impl Handle, until: i64) -> Result<Vec<Proposal>> {
    let sql = format!(
        "SELECT {} FROM proposals p JOIN posts ON posts.id = p.post_id WHERE posts.deleted_at IS NULL AND p.created_at < $1 ORDER BY p.post_id",
        COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Proposal>(&sql).bind(until).fetch_all(c).await)?)
}

/// The hours recorded for a fulfilled proposal.
pub async fn hours_given(db: &mut impl Handle, post_id: i64) -> Result<Option<f64>> {
    let sql = "SELECT hours_given FROM proposals WHERE post_id = $1";
    Ok(on_db!(db, c => sqlx::query_scalar::<_, Option<f64>>(sql).bind(post_id).fetch_optional(c).await)?.flatten())
}

/// The proposals of the initiatives `coordinator_id` coordinates, with their posts' states
/// read off the caller: those still open or being helped, newest first.
pub async fn active_of_coordinated(db: &mut impl Handle, coordinator_id: i64, limit: i64) -> Result<Vec<Proposal>> {
    let sql = format!(
        "SELECT {} FROM proposals p JOIN posts ON posts.id = p.post_id
         WHERE posts.deleted_at IS NULL AND p.state IN ('open', 'in_progress') AND posts.author_id IN
               (SELECT initiative_id FROM initiative_members WHERE member_id = $1 AND role = 'coordinator')
         ORDER BY p.post_id DESC LIMIT $2",
        COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Proposal>(&sql).bind(coordinator_id).bind(limit).fetch_all(c).await)?)
}

/// Residents' own needs for the coordinators alone that nobody passed on yet, still active,
/// newest first (the caller checks which of them a coordinator may read).
pub async fn waiting_to_be_passed_on(db: &mut impl Handle, limit: i64) -> Result<Vec<Proposal>> {
    let sql = format!(
        "SELECT {} FROM proposals p JOIN posts ON posts.id = p.post_id
         WHERE posts.deleted_at IS NULL AND posts.visibility = 'coordinators' AND p.passed_on_to IS NULL
           AND p.state IN ('open', 'in_progress')
         ORDER BY p.post_id DESC LIMIT $1",
        COLUMNS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ")
    );
    Ok(on_db!(db, c => sqlx::query_as::<_, Proposal>(&sql).bind(limit).fetch_all(c).await)?)
}

/// The offers and needs among these posts.
pub async fn by_post_ids(db: &mut impl Handle, post_ids: &[i64]) -> Result<Vec<Proposal>> {
    if post_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {COLUMNS} FROM proposals WHERE post_id IN ({})", super::in_list(post_ids.len()));
    Ok(super::fetch_in!(db, Proposal, &sql, post_ids)?)
}
