//! The page every console view is drawn in: the header with who is signed in, the content,
//! one stylesheet and one script from /operator/assets (the CSP allows nothing inline).

use super::session::Signed;
use super::text_ru as t;
use crate::operators::OperatorRole;
use maud::{DOCTYPE, Markup, html};

/// A whole page.
pub fn page(title: &str, signed: Option<&Signed>, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="ru" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (t::TITLE) }
                link rel="stylesheet" href="/operator/assets/console.css";
                script src="/operator/assets/console.js" defer {}
            }
            body {
                header {
                    a.brand href="/operator/" { (t::TITLE) }
                    @if let Some(signed) = signed {
                        span.who {
                            (signed.account.login) " · " (role(signed.account.role))
                        }
                        form.inline method="post" action="/operator/sign-out" {
                            (csrf_field(signed))
                            button type="submit" { (t::SIGN_OUT) }
                        }
                    }
                }
                main { (content) }
            }
        }
    }
}

/// The hidden field every form of a signed-in page carries.
pub fn csrf_field(signed: &Signed) -> Markup {
    html! { input type="hidden" name="csrf" value=(signed.csrf); }
}

/// A role's name.
pub fn role(role: OperatorRole) -> &'static str {
    match role {
        OperatorRole::Reviewer => t::ROLE_REVIEWER,
        OperatorRole::Officer => t::ROLE_OFFICER,
    }
}

/// A notice above the content: `kind` is `error` or `done`.
pub fn notice(kind: &str, text: &str) -> Markup {
    html! { p class=(format!("notice {kind}")) role="status" { (text) } }
}
