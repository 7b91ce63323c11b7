//! Where a precise cause gives way to the calm sentence the user sees, it is logged first (through
//! `tracing`), so that nothing is lost for whoever reads the logs.

/// A `map_err` that logs the cause with `what` and answers `to()`.
pub(crate) fn logged<E: std::fmt::Display, T>(
    what: &'static str,
    to: impl FnOnce() -> T,
) -> impl FnOnce(E) -> T {
    move |cause| {
        tracing::warn!(error = %cause, "{what}");
        to()
    }
}

/// An error with its sources, `a: b: c` (reqwest's own words stop at "error sending request").
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
