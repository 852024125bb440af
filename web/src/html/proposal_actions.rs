//! Closing the loop on an offer's or need's own page: the person who asked (or a coordinator
//! of the initiative) marks it helped, with the hours given and a short thank-you, withdraws
//! it, or changes it. Every copy on other nodes follows (the use cases send the `Update`).
//! A coordinator passes a resident's need that only the coordinators see on without her name.

use super::extract::{LoggedIn, MemberForm};
use super::layout::{error_page, field_errors, render, say};
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use buurtnet_domain::model::{Fulfilment, When};
use buurtnet_domain::{DomainError, ops};
use buurtnet_federation::Context;
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
pub struct HelpedForm {
    /// Hours as typed: empty for unknown; a comma is read as a decimal point.
    #[serde(default)]
    hours: String,
    #[serde(default)]
    thanks: String,
}

/// The hours a person typed ("1,5", "2", ""), or why they cannot be read.
fn hours_typed(text: &str) -> Result<Option<f64>, ()> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>().map(Some).map_err(|_| ())
}

fn back_to(id: i64, done: &str) -> Response {
    Redirect::to(&format!("/bericht/{id}?gedaan={done}")).into_response()
}

/// "Er is geholpen": marks the proposal fulfilled.
pub async fn helped(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<HelpedForm>) -> Response {
    let Ok(hours) = hours_typed(&form.hours) else {
        let problem = visitor.tr.t("helped-hours-unreadable");
        return super::posts::show(&context, &visitor, id, Some((String::new(), problem)), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let fulfilment = Fulfilment { hours, thanks: Some(form.thanks) };
    match ops::responses::fulfil(&context.store, &member, id, &fulfilment).await {
        Ok(()) => {
            context.wake_delivery();
            back_to(id, "geholpen")
        }
        Err(DomainError::Invalid(list)) => {
            let problem = list.iter().map(|v| say(&v.message, visitor.tr)).collect::<Vec<_>>().join(" ");
            super::posts::show(&context, &visitor, id, Some((String::new(), problem)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

#[derive(serde::Deserialize)]
pub struct WithdrawForm {
    /// The checkbox that says "yes, withdraw it": nothing happens without it.
    #[serde(default)]
    sure: String,
}

/// "Niet meer nodig": withdraws the proposal.
pub async fn withdraw(context: Context, Path(id): Path<i64>, MemberForm { visitor, member, form }: MemberForm<WithdrawForm>) -> Response {
    if form.sure != "ja" {
        let problem = visitor.tr.t("withdraw-not-sure");
        return super::posts::show(&context, &visitor, id, Some((String::new(), problem)), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match ops::proposals::withdraw(&context.store, &member, id).await {
        Ok(()) => {
            context.wake_delivery();
            back_to(id, "ingetrokken")
        }
        Err(e) => error_page(&context, &visitor, &e).await,
    }
}

/// The form to change a proposal, filled with what it says now.
pub async fn change_page(context: Context, LoggedIn { visitor, member }: LoggedIn, Path(id): Path<i64>) -> Response {
    let proposal = match ops::proposals::own_active_proposal(&context.store, &member, id).await {
        Ok((_, proposal)) => proposal,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let form = form_of(&proposal);
    let page = super::proposals::change_form(&context, &visitor, &member, proposal.purpose, id, form, BTreeMap::new()).await;
    render(&visitor, StatusCode::OK, &page)
}

/// Saves a change; the copies on other nodes follow.
pub async fn change(
    context: Context,
    Path(id): Path<i64>,
    MemberForm { visitor, member, form }: MemberForm<super::proposals::ProposalForm>,
) -> Response {
    let proposal = match ops::proposals::own_active_proposal(&context.store, &member, id).await {
        Ok((_, proposal)) => proposal,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let again = async |form, errors| {
        let page = super::proposals::change_form(&context, &visitor, &member, proposal.purpose, id, form, errors).await;
        render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let draft = match super::proposals::draft_of(proposal.purpose, &form, visitor.tr) {
        Ok(draft) => draft,
        Err(errors) => return again(form, errors).await,
    };
    match ops::proposals::change(&context.store, &member, id, &draft).await {
        Ok(_) => {
            context.wake_delivery();
            back_to(id, "gewijzigd")
        }
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(errors) => again(form, errors).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

/// The form to pass a resident's need (for the coordinators alone) on without her name,
/// filled in from hers.
pub async fn pass_on_page(context: Context, LoggedIn { visitor, member }: LoggedIn, Path(id): Path<i64>) -> Response {
    let proposal = match ops::proposals::readable_for_passing_on(&context.store, &member, id).await {
        Ok(proposal) => proposal,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let form = form_of(&proposal);
    let page = super::proposals::pass_on_form(&context, &visitor, &member, id, form, BTreeMap::new()).await;
    render(&visitor, StatusCode::OK, &page)
}

/// Passes it on: a need of the chosen initiative, which her own need then follows.
pub async fn pass_on(
    context: Context,
    Path(id): Path<i64>,
    MemberForm { visitor, member, form }: MemberForm<super::proposals::ProposalForm>,
) -> Response {
    let again = async |form, errors| {
        let page = super::proposals::pass_on_form(&context, &visitor, &member, id, form, errors).await;
        render(&visitor, StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let draft = match super::proposals::draft_of(buurtnet_domain::model::Purpose::Request, &form, visitor.tr) {
        Ok(draft) => draft,
        Err(errors) => return again(form, errors).await,
    };
    let initiative = match super::proposals::chosen_author(&context, &member, &form.author).await {
        Ok(initiative) => initiative,
        Err(e) => return error_page(&context, &visitor, &e).await,
    };
    let visibility = buurtnet_domain::model::Visibility::parse(&form.visibility).ok();
    match ops::proposals::pass_on(&context.store, &context.urls, &member, &initiative, id, &draft, visibility).await {
        Ok(post) => {
            context.wake_delivery();
            Redirect::to(&format!("/bericht/{}?gedaan=doorgegeven", post.id)).into_response()
        }
        Err(e) => match field_errors(e, visitor.tr) {
            Ok(errors) => again(form, errors).await,
            Err(e) => error_page(&context, &visitor, &e).await,
        },
    }
}

/// The need form filled with what `proposal` says now.
fn form_of(proposal: &buurtnet_domain::model::Proposal) -> super::proposals::ProposalForm {
    let (when, date_from, date_to) = match proposal.when() {
        When::Flexible => ("flexible", String::new(), String::new()),
        When::On(day) => ("on", day.to_string(), String::new()),
        When::Between(from, to) => ("between", from.to_string(), to.to_string()),
    };
    super::proposals::ProposalForm {
        title: proposal.title.clone(),
        description: proposal.description.clone(),
        category: proposal.category.clone(),
        neighbourhood: proposal.neighbourhood.clone().unwrap_or_default(),
        when: when.into(),
        date_from,
        date_to,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::hours_typed;

    #[test]
    fn hours_are_read_as_people_type_them() {
        assert_eq!(hours_typed(" "), Ok(None));
        assert_eq!(hours_typed("1,5"), Ok(Some(1.5)));
        assert_eq!(hours_typed("2"), Ok(Some(2.0)));
        assert_eq!(hours_typed("twee"), Err(()));
    }
}
