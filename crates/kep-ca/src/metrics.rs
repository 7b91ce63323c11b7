//! Prometheus metrics, served on a listener of their own (`[metrics] listen`): requests and
//! their latency by route and status, certificates issued, provider failures, notifications
//! delivered and given up. Process-wide, as
//! the metrics of one running service are.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::LazyLock;

/// A request's labels.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    /// The method.
    pub method: String,
    /// The route as declared (`/api/v1/applications/{id}`), never the raw path.
    pub route: String,
    /// The HTTP status.
    pub status: u16,
}

/// Which provider failed.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ProviderLabels {
    /// `telephony`, `registry` or `notifications`.
    pub provider: String,
}

/// Which notification channel.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChannelLabels {
    /// `sms` or `email`.
    pub channel: String,
}

/// How an OCSP request was answered.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OcspLabels {
    /// `successful`, `malformed`, `unauthorized`, `try_later` or `internal_error`.
    pub outcome: String,
}

/// The service's metrics.
pub struct Metrics {
    registry: Registry,
    /// Requests answered.
    pub requests: Family<RouteLabels, Counter>,
    /// Their latency, seconds.
    pub latency: Family<RouteLabels, Histogram>,
    /// Certificates issued.
    pub issued: Counter,
    /// Provider calls that failed.
    pub provider_failures: Family<ProviderLabels, Counter>,
    /// Notifications delivered, by channel.
    pub notices_delivered: Family<ChannelLabels, Counter>,
    /// Notifications given up after their last try, by channel.
    pub notices_given_up: Family<ChannelLabels, Counter>,
    /// Notifications waiting in the outbox (as of the last sweep).
    pub notices_pending: Gauge,
    /// OCSP requests answered, by outcome.
    pub ocsp_answers: Family<OcspLabels, Counter>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn latency_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
    ])
}

/// The metrics of this process.
pub static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("kep_ca");
    let requests = Family::<RouteLabels, Counter>::default();
    let latency =
        Family::<RouteLabels, Histogram>::new_with_constructor(latency_histogram as fn() -> _);
    let issued = Counter::default();
    let provider_failures = Family::<ProviderLabels, Counter>::default();
    let notices_delivered = Family::<ChannelLabels, Counter>::default();
    let notices_given_up = Family::<ChannelLabels, Counter>::default();
    let notices_pending = Gauge::default();
    let ocsp_answers = Family::<OcspLabels, Counter>::default();
    registry.register(
        "ocsp_answers",
        "OCSP requests answered, by outcome",
        ocsp_answers.clone(),
    );
    registry.register("http_requests", "Requests answered", requests.clone());
    registry.register(
        "http_request_duration_seconds",
        "Time to answer a request",
        latency.clone(),
    );
    registry.register("certificates_issued", "Certificates issued", issued.clone());
    registry.register(
        "provider_failures",
        "Provider calls that failed (telephony, registry, notifications)",
        provider_failures.clone(),
    );
    registry.register(
        "notices_delivered",
        "Notifications delivered to applicants",
        notices_delivered.clone(),
    );
    registry.register(
        "notices_given_up",
        "Notifications given up after five tries",
        notices_given_up.clone(),
    );
    registry.register(
        "notices_pending",
        "Notifications waiting in the outbox",
        notices_pending.clone(),
    );
    Metrics {
        registry,
        requests,
        latency,
        issued,
        provider_failures,
        notices_delivered,
        notices_given_up,
        notices_pending,
        ocsp_answers,
    }
});

impl Metrics {
    /// Counts an OCSP request answered with `outcome`.
    pub fn ocsp_answered(&self, outcome: &str) {
        self.ocsp_answers
            .get_or_create(&OcspLabels {
                outcome: outcome.to_owned(),
            })
            .inc();
    }

    /// Counts a failed call of `provider`.
    pub fn provider_failed(&self, provider: &str) {
        self.provider_failures
            .get_or_create(&ProviderLabels {
                provider: provider.to_owned(),
            })
            .inc();
    }

    /// Counts a notification delivered through `channel`.
    pub fn notice_delivered(&self, channel: &str) {
        self.notices_delivered
            .get_or_create(&ChannelLabels {
                channel: channel.to_owned(),
            })
            .inc();
    }

    /// Counts a notification given up.
    pub fn notice_given_up(&self, channel: &str) {
        self.notices_given_up
            .get_or_create(&ChannelLabels {
                channel: channel.to_owned(),
            })
            .inc();
    }

    /// The text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

/// The metrics listener's router: `GET /metrics`.
pub fn router() -> axum::Router {
    axum::Router::new().route(
        "/metrics",
        axum::routing::get(|| async {
            (
                [(
                    axum::http::header::CONTENT_TYPE,
                    "application/openmetrics-text; version=1.0.0; charset=utf-8",
                )],
                METRICS.render(),
            )
        }),
    )
}
