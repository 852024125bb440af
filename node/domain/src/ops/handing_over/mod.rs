//! Handing an initiative over to another node (issue 17): each member's choice to move along
//! (kept here), the file it travels in (`format`), writing it (`export`) and taking it in on
//! the other node (`import`). Followers are not moved by this (that is `Move`), and coalition
//! membership must be asked for again.

pub mod export;
pub mod format;
pub mod import;

use crate::error::{DomainError, Result};
use crate::model::{Actor, ActorKind};
use crate::store::{self, Store};

/// Whether `member` chose to move along when her initiative moves to another node.
pub async fn moves_along(store: &Store, member: &Actor) -> Result<bool> {
    store::handing_over::moves_along(&mut store.conn().await?, member.id).await
}

/// `member` chooses whether she moves along when her initiative moves to another node.
pub async fn set_moves_along(store: &Store, member: &Actor, moves_along: bool) -> Result<()> {
    if !member.is_local || member.kind() != ActorKind::Person {
        return Err(DomainError::Forbidden);
    }
    let mut tx = store.begin().await?;
    store::handing_over::set_moves_along(&mut tx, member.id, moves_along).await?;
    tx.commit().await
}
