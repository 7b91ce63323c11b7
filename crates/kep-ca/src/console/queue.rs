//! The queue: applications by status with their counts, oldest first, each with how long it
//! has waited (over two hours in a work queue is highlighted: the CA promises 1–2 hours). Which
//! queues an operator may open is the server's rule, the API's: the responsible officer's is
//! «Подтверждение личности», the reviewers' are all the others.

use super::layout::page;
use super::refusal::Refusal;
use super::session::Signed;
use super::text_ru as t;
use crate::api::AppState;
use crate::operators::OperatorRole;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kep_protocol::application::{ApplicationStatus, ApplicationView};
use maud::html;
use serde::Deserialize;

/// The queues a reviewer works through, in the order of the procedure.
const REVIEWER_QUEUES: [ApplicationStatus; 7] = [
    ApplicationStatus::InReview,
    ApplicationStatus::StatementInReview,
    ApplicationStatus::DocumentsRequired,
    ApplicationStatus::Approved,
    ApplicationStatus::StatementRejected,
    ApplicationStatus::ReadyForKey,
    ApplicationStatus::Issued,
];

/// Waiting longer than this in a work queue is overdue.
const OVERDUE_S: i64 = 2 * 3600;

/// Which queue.
#[derive(Deserialize)]
pub struct QueueQuery {
    status: Option<ApplicationStatus>,
}

/// What to look for.
#[derive(Deserialize)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
}

/// The search box every queue page starts with.
fn search_box(q: &str) -> maud::Markup {
    html! {
        form.search method="get" action="/operator/search" role="search" {
            input type="search" name="q" value=(q) placeholder=(t::SEARCH_HINT) aria-label=(t::SEARCH);
            button type="submit" { (t::SEARCH) }
        }
    }
}

/// Applications as a table: number, applicant, phone, status, waiting time (overdue in a work
/// queue highlighted).
fn table(views: &[ApplicationView], now: i64) -> maud::Markup {
    html! {
        table {
            thead { tr { th { (t::NUMBER) } th { (t::APPLICANT) } th { (t::PHONE) } th { (t::STATUS) } th { (t::AGE) } th {} } }
            tbody {
                @for view in views {
                    @let age = waited(view, now);
                    @let overdue = work_queue(view.status) && age > OVERDUE_S;
                    tr class=(if overdue { "overdue" } else { "" }) {
                        td { (view.id) }
                        td { (applicant_name(view)) }
                        td { (view.requisites.as_ref().map_or("", |r| r.phone.as_str())) }
                        td { (t::status(view.status)) }
                        td.age title=(if overdue { t::OVERDUE } else { "" }) { (t::waited(age)) }
                        td { a href=(format!("/operator/applications/{}", view.id)) { (t::OPEN) } }
                    }
                }
            }
        }
    }
}

/// GET /operator/search?q=….
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(form): Query<SearchForm>,
) -> Result<Response, Refusal> {
    let signed = super::signed(&state, &headers).await?;
    let views = state
        .applications
        .review
        .search(&form.q)
        .await
        .map_err(|e| Refusal::of(e, &signed))?;
    let now = crate::clock::Clock::unix(state.login.clock());
    let content = html! {
        p { a href="/operator/" { (t::BACK) } }
        h1 { (t::SEARCH) }
        (search_box(&form.q))
        @if views.is_empty() { p { (t::NOTHING_FOUND) } } @else { (table(&views, now)) }
    };
    Ok(page(t::SEARCH, Some(&signed), content).into_response())
}

/// The queues `role` may open.
pub fn queues(role: OperatorRole) -> &'static [ApplicationStatus] {
    match role {
        OperatorRole::Reviewer => &REVIEWER_QUEUES,
        OperatorRole::Officer => &[ApplicationStatus::AwaitingIdentity],
    }
}

/// How long `view` has been in its status.
pub fn waited(view: &ApplicationView, now: i64) -> i64 {
    view.timeline.last().map_or(0, |event| now - event.at)
}

/// Whether `status` is one the CA must act on.
fn work_queue(status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::InReview
            | ApplicationStatus::StatementInReview
            | ApplicationStatus::AwaitingIdentity
    )
}

/// The applicant's name from the requisites.
pub fn applicant_name(view: &ApplicationView) -> String {
    view.requisites.as_ref().map_or_else(String::new, |r| {
        format!("{} {} {}", r.surname, r.given_name, r.patronymic)
            .trim()
            .to_owned()
    })
}

/// The queue page for `signed`.
async fn render(
    state: &AppState,
    signed: &Signed,
    status: Option<ApplicationStatus>,
) -> Result<Response, Refusal> {
    let allowed = queues(signed.account.role);
    let status = status.unwrap_or(allowed[0]);
    if !allowed.contains(&status) {
        let needed = if status == ApplicationStatus::AwaitingIdentity {
            OperatorRole::Officer
        } else {
            OperatorRole::Reviewer
        };
        return Err(Refusal::of(
            crate::operators::OperatorError::RoleRequired(needed),
            signed,
        ));
    }
    let review = &state.applications.review;
    let mut counts = Vec::new();
    for queue in allowed {
        let n = review
            .queue(*queue)
            .await
            .map_err(|e| Refusal::of(e, signed))?
            .len();
        counts.push((*queue, n));
    }
    let mut views = review
        .queue(status)
        .await
        .map_err(|e| Refusal::of(e, signed))?;
    let now = crate::clock::Clock::unix(state.login.clock());
    views.sort_by_key(|v| -waited(v, now));
    let content = html! {
        h1 { (t::QUEUE) }
        (search_box(""))
        p { a href="/operator/audit" { (t::AUDIT) } }
        nav.tabs {
            @for (queue, n) in &counts {
                a class=(if *queue == status { "current" } else { "" })
                    href=(format!("/operator/?status={}", crate::store::Column::name(queue))) {
                    (t::status(*queue)) span.count { (n) }
                }
            }
        }
        @if views.is_empty() {
            p { (t::QUEUE_EMPTY) }
        } @else {
            (table(&views, now))
        }
    };
    Ok(page(t::QUEUE, Some(signed), content).into_response())
}

/// GET /operator/?status=….
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<QueueQuery>,
) -> Result<Response, Refusal> {
    let signed = super::signed(&state, &headers).await?;
    render(&state, &signed, query.status).await
}
