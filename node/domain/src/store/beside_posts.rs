//! What goes beside a post in tables of their own: whom it is addressed to, its hashtags, the
//! actors it mentions and its conversation (FEP-7888 `context`), and the notifications of the
//! local members it names. Written for one post or a whole batch of received notes
//! ([`super::received`]) by the same statements, one per table, and held to the same caps.

use super::{Handle, ROWS_PER_STATEMENT, affected, value_rows};
use crate::error::Result;
use crate::now_ms;

/// Hashtags kept of a post's text, and as many again of those a peer gives beside it.
pub const TAGS_KEPT: usize = 20;
/// Mentions kept of a post.
pub const MENTIONS_KEPT: usize = 50;

/// A table beside `posts`, one `(post id, value)` pair per row.
#[derive(Debug, Clone, Copy)]
pub enum Beside {
    Recipients,
    /// Lowercase.
    Tags,
    Mentions,
    Contexts,
}

impl Beside {
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            Beside::Recipients => ("post_recipients", "actor_ap_id"),
            Beside::Tags => ("post_tags", "tag"),
            Beside::Mentions => ("post_mentions", "actor_ap_id"),
            Beside::Contexts => ("post_contexts", "context"),
        }
    }
}

/// Adds rows beside posts; rows there already are left as they are.
pub async fn add(db: &mut impl Handle, what: Beside, pairs: &[(i64, &str)]) -> Result<()> {
    let (table, column) = what.table_and_column();
    for chunk in pairs.chunks(ROWS_PER_STATEMENT) {
        let sql = format!("INSERT INTO {table} (post_id, {column}) VALUES {} ON CONFLICT DO NOTHING", value_rows(chunk.len(), 2, 1, None));
        affected!(db, c => {
            let mut query = sqlx::query(&sql);
            for (post_id, value) in chunk {
                query = query.bind(*post_id).bind(*value);
            }
            query.execute(c).await
        })?;
    }
    Ok(())
}

/// A notification of `kind` for each local member a post names: `(post id, author id, named
/// actor's id)` per row, each named actor once per post. Unknown and remote actors are passed
/// over, and nobody is told of their own post.
pub async fn notify_named(db: &mut impl Handle, kind: &str, named: &[(i64, i64, &str)]) -> Result<()> {
    for chunk in named.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO notifications (recipient_id, kind, post_id, actor_id, created_at)
             SELECT a.id, $1, v.column1, v.column2, $2 FROM (VALUES {}) AS v JOIN actors a ON a.ap_id = v.column3
             WHERE a.is_local AND a.kind = 'person' AND a.id <> v.column2 ORDER BY v.column1, a.ap_id",
            value_rows(chunk.len(), 3, 3, None)
        );
        affected!(db, c => {
            let mut query = sqlx::query(&sql).bind(kind).bind(now_ms());
            for (post_id, author_id, ap_id) in chunk {
                query = query.bind(*post_id).bind(*author_id).bind(*ap_id);
            }
            query.execute(c).await
        })?;
    }
    Ok(())
}
