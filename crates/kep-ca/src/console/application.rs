//! One application: the requisites, every document (drawn on its own page), the timeline with
//! the comments, and what the signed-in operator may decide in its status — approve, ask for
//! documents or reject (a reviewer, under review); approve or reject a scanned statement (a
//! reviewer); confirm the applicant's identity after the checklist (the responsible officer).
//! The services refuse what the role or the status does not allow, whatever a page shows.

use super::form::ConsoleForm;
use super::layout::{csrf_field, notice, page};
use super::queue::applicant_name;
use super::refusal::Refusal;
use super::session::Signed;
use super::text_ru as t;
use crate::api::AppState;
use crate::applications::{Decision, StatementDecision};
use crate::operators::{OperatorError, OperatorRole};
use crate::store::Store;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kep_protocol::application::{ApplicationStatus, ApplicationView};
use maud::{Markup, html};
use serde::Deserialize;

/// A decision form.
#[derive(Deserialize)]
pub struct DecisionForm {
    /// (Missing reads as empty: refused as a CSRF failure, not as a malformed form.)
    #[serde(default)]
    csrf: String,
    action: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    passport_shown: Option<String>,
    #[serde(default)]
    person_matches: Option<String>,
    #[serde(default)]
    requisites_match: Option<String>,
    #[serde(default)]
    serial: String,
    #[serde(default)]
    reason: Option<kep_protocol::operator::RevokeReason>,
}

/// After a decision, the page says it was done.
#[derive(Deserialize)]
pub struct Shown {
    done: Option<String>,
}

fn requisites(view: &ApplicationView) -> Markup {
    let Some(r) = &view.requisites else {
        return html! {};
    };
    let rows = [
        (t::FIELD_NAME, applicant_name(view)),
        (t::FIELD_BIRTH_DATE, r.birth_date.clone()),
        (
            t::FIELD_PASSPORT,
            t::passport(
                &r.passport_series,
                &r.passport_number,
                &r.passport_issue_date,
                &r.passport_issuer,
                &r.passport_division_code,
            ),
        ),
        (t::FIELD_SNILS, r.snils.clone()),
        (t::FIELD_INN, r.inn.clone()),
        (t::FIELD_PHONE, r.phone.clone()),
        (t::FIELD_EMAIL, r.email.clone()),
        (
            t::FIELD_PLACE,
            format!("{} {}, {}", r.region_code, r.region_name, r.locality),
        ),
    ];
    html! {
        h2 { (t::REQUISITES) }
        dl.requisites {
            @for (label, value) in rows { dt { (label) } dd { (value) } }
        }
    }
}

fn decisions(view: &ApplicationView, signed: &Signed) -> Markup {
    let role = signed.account.role;
    let form = |body: Markup| {
        html! {
            form method="post" action=(format!("/operator/applications/{}/decision", view.id)) {
                (csrf_field(signed))
                section.decision { h2 { (t::DECISION) } (body) }
            }
        }
    };
    let comment = html! {
        label { (t::COMMENT) textarea name="comment" rows="3" {} span.hint { (t::COMMENT_HINT) } }
    };
    match (view.status, role) {
        (ApplicationStatus::InReview, OperatorRole::Reviewer) => form(html! {
            (comment)
            div.buttons {
                button type="submit" name="action" value="approve" { (t::APPROVE) }
                button.secondary type="submit" name="action" value="request_documents" data-needs-comment=(t::COMMENT_HINT) { (t::REQUEST_DOCUMENTS) }
                button.danger type="submit" name="action" value="reject" data-needs-comment=(t::COMMENT_HINT) { (t::REJECT) }
            }
        }),
        (ApplicationStatus::StatementInReview, OperatorRole::Reviewer) => form(html! {
            (comment)
            div.buttons {
                button type="submit" name="action" value="statement_approve" { (t::APPROVE) }
                button.danger type="submit" name="action" value="statement_reject" data-needs-comment=(t::COMMENT_HINT) { (t::REJECT) }
            }
        }),
        (ApplicationStatus::AwaitingIdentity, _) => form(html! {
            p { (t::CHECK_IN_PERSON) }
            label { input type="checkbox" name="passport_shown" value="yes" required; " " (t::CHECK_PASSPORT_SHOWN) }
            label { input type="checkbox" name="person_matches" value="yes" required; " " (t::CHECK_PERSON_MATCHES) }
            label { input type="checkbox" name="requisites_match" value="yes" required; " " (t::CHECK_REQUISITES_MATCH) }
            div.buttons { button type="submit" name="action" value="identity" { (t::CONFIRM_IDENTITY) } }
        }),
        _ => html! {},
    }
}

/// The CA's statement beside the scan the applicant uploaded (a reviewer compares them).
async fn statement(
    state: &AppState,
    signed: &Signed,
    view: &ApplicationView,
) -> Result<Markup, Refusal> {
    let review = &state.applications.review;
    let Some(pdf) = review
        .statement(view.id)
        .await
        .map_err(|e| Refusal::of(e, signed))?
    else {
        return Ok(html! {});
    };
    let blank_pages = super::documents::pages_of(pdf).await;
    let mut scans = Vec::new();
    for doc in view
        .documents
        .iter()
        .filter(|d| d.kind == kep_protocol::application::DocumentKind::SignedStatementScan)
    {
        let base = format!("/operator/applications/{}/documents/{}", view.id, doc.id);
        if doc.media_type == "application/pdf" {
            let (_, bytes) = review
                .document(view.id, doc.id)
                .await
                .map_err(|e| Refusal::of(e, signed))?;
            let n = super::documents::pages_of(bytes).await;
            scans.extend((1..=n).map(|n| format!("{base}/pages/{n}")));
        } else {
            scans.push(format!("{base}/file"));
        }
    }
    Ok(html! {
        h2 { (t::STATEMENT) }
        div.side-by-side {
            figure.document.blank {
                @for n in 1..=blank_pages {
                    img src=(format!("/operator/applications/{}/statement/pages/{n}", view.id)) alt=(format!("{} {n}", t::STATEMENT_BLANK));
                }
                figcaption { (t::STATEMENT_BLANK) }
            }
            @if !scans.is_empty() {
                figure.document.scan {
                    @for src in &scans { img src=(src) alt=(t::STATEMENT_SCAN); }
                    figcaption { (t::STATEMENT_SCAN) }
                }
            }
        }
    })
}

/// The applicant's certificates; a reviewer may revoke an active one, saying why.
async fn certificates(
    state: &AppState,
    signed: &Signed,
    view: &ApplicationView,
) -> Result<Markup, Refusal> {
    use crate::store::CertificateStatus;
    let certificates = state
        .applications
        .review
        .applicant_certificates(view.id)
        .await
        .map_err(|e| Refusal::of(e, signed))?;
    if certificates.is_empty() {
        return Ok(html! {});
    }
    let reviewer = signed.account.role == OperatorRole::Reviewer;
    Ok(html! {
        h2 { (t::CERTIFICATES) }
        table.certificates {
            thead { tr { th { (t::SERIAL) } th { (t::VALID_UNTIL) } th { (t::STATUS) } th {} } }
            tbody {
                @for c in &certificates {
                    tr {
                        td { code { (c.serial) } }
                        td { (super::documents::time_text(c.not_after)) }
                        td {
                            @match c.status {
                                CertificateStatus::Active => { (t::ACTIVE) }
                                CertificateStatus::Superseded => { (t::SUPERSEDED) }
                                CertificateStatus::Revoked => {
                                    (t::REVOKED)
                                    @if let Some(at) = c.revoked_at { " " (super::documents::time_text(at)) }
                                    @if let Some(reason) = c.reason { ": " (t::revocation_reason(reason)) }
                                }
                            }
                        }
                        td {
                            @if reviewer && c.status == CertificateStatus::Active {
                                form.inline method="post" action=(format!("/operator/applications/{}/decision", view.id)) {
                                    (csrf_field(signed))
                                    input type="hidden" name="serial" value=(c.serial);
                                    label { (t::REVOKE_REASON) " "
                                        select name="reason" required {
                                            @for (value, label) in t::REVOKE_REASONS {
                                                option value=(value) { (label) }
                                            }
                                        }
                                    }
                                    " "
                                    button.danger type="submit" name="action" value="revoke" { (t::REVOKE) }
                                }
                            }
                        }
                    }
                }
            }
        }
    })
}

/// The application's page.
async fn render(
    state: &AppState,
    signed: &Signed,
    id: i64,
    done: bool,
) -> Result<Response, Refusal> {
    let view = state
        .applications
        .review
        .application(id)
        .await
        .map_err(|e| Refusal::of(e, signed))?;
    let title = format!("{} № {}", t::APPLICATION, view.id);
    let content = html! {
        p { a href="/operator/" { (t::BACK) } }
        h1 { (title) " · " (t::status(view.status)) }
        @if done { (notice("done", t::DONE)) }
        (requisites(&view))
        h2 { (t::DOCUMENTS) }
        @if view.documents.is_empty() {
            p { (t::NO_DOCUMENTS) }
        } @else {
            ul {
                @for doc in &view.documents {
                    li {
                        a href=(format!("/operator/applications/{}/documents/{}", view.id, doc.id)) {
                            (t::document_kind(doc.kind))
                        }
                        span.hint { " " (doc.media_type) ", " (t::size(doc.size)) }
                    }
                }
            }
        }
        h2 { (t::TIMELINE) }
        ol.timeline {
            @for event in &view.timeline {
                li {
                    (super::documents::time_text(event.at)) " — " (t::status(event.status))
                    @if let Some(comment) = &event.comment { span.comment { (comment) } }
                }
            }
        }
        (statement(state, signed, &view).await?)
        (decisions(&view, signed))
        (certificates(state, signed, &view).await?)
    };
    Ok(page(&title, Some(signed), content).into_response())
}

/// GET /operator/applications/{id}.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(shown): Query<Shown>,
) -> Result<Response, Refusal> {
    let signed = super::signed(&state, &headers).await?;
    render(&state, &signed, id, shown.done.is_some()).await
}

/// POST /operator/applications/{id}/decision.
pub async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ConsoleForm(form): ConsoleForm<DecisionForm>,
) -> Result<Response, Refusal> {
    let signed = super::signed_post(&state, &headers, &form.csrf).await?;
    let who = signed.account.id;
    let apps = &state.applications;
    let needs = |role: OperatorRole| {
        if signed.account.role == role {
            Ok(())
        } else {
            Err(Refusal::of(OperatorError::RoleRequired(role), &signed))
        }
    };
    let comment = form.comment.trim().to_owned();
    let refused = |e: kep_protocol::ApiError| Refusal::of(e, &signed);
    match form.action.as_str() {
        "approve" | "request_documents" | "reject" => {
            needs(OperatorRole::Reviewer)?;
            let decision = match form.action.as_str() {
                "approve" => Decision::Approve,
                "reject" => Decision::Reject { comment },
                _ => Decision::RequestDocuments { comment },
            };
            apps.review
                .decide(who, id, decision)
                .await
                .map_err(|e| refused(e.into()))?;
        }
        "statement_approve" | "statement_reject" => {
            needs(OperatorRole::Reviewer)?;
            let decision = if form.action == "statement_approve" {
                StatementDecision::Approve
            } else {
                StatementDecision::Reject { comment }
            };
            apps.statements
                .decide(who, id, decision)
                .await
                .map_err(|e| refused(e.into()))?;
        }
        "identity" => {
            needs(OperatorRole::Officer)?;
            let checked = [
                &form.passport_shown,
                &form.person_matches,
                &form.requisites_match,
            ]
            .iter()
            .all(|c| c.as_deref() == Some("yes"));
            if !checked {
                return Err(refused(kep_protocol::ApiError::new(
                    kep_protocol::ErrorKind::InvalidInput,
                    t::CHECKLIST_INCOMPLETE,
                )));
            }
            // The checklist, with who and when, before the decision it supports.
            apps.store()
                .audit(
                    &format!("operator:{who}"),
                    "identity.checklist",
                    &format!("application:{id}: passport_shown, person_matches, requisites_match"),
                    crate::clock::Clock::unix(apps.clock()),
                )
                .await
                .map_err(|e| refused(crate::applications::RecordError::from(e).into()))?;
            apps.issuance
                .confirm_identity(who, id)
                .await
                .map_err(|e| refused(e.into()))?;
        }
        "revoke" => {
            // (Officers confirm identities; revoking is the reviewers'.)
            needs(OperatorRole::Reviewer)?;
            let reason = form.reason.ok_or(Refusal::NotFound)?;
            apps.revocation
                .revoke(who, &form.serial, reason)
                .await
                .map_err(|e| refused(e.into()))?;
        }
        _ => return Err(Refusal::NotFound),
    }
    let location = format!("/operator/applications/{id}?done=1");
    let location = HeaderValue::from_str(&location).map_err(|_| Refusal::NotFound)?;
    Ok((StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response())
}
