//! E-mail to applicants over SMTP (lettre, rustls with ring): STARTTLS on the submission port
//! (587) or implicit TLS (465), AUTH with the CA's mailbox credentials, UTF-8 subjects and
//! bodies (encoded as the RFC 2047 / MIME rules want). Plain SMTP only to this machine. The
//! server's certificate is checked against the system's roots and any extra root the
//! configuration names.

use super::{ProviderError, ProviderFuture};
use crate::notifier::{Notice, Notifier};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use zeroize::Zeroizing;

/// How the connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS, which is required (port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Implicit,
    /// No TLS: only to a relay on this machine.
    None,
}

/// What the SMTP channel needs.
pub struct SmtpSettings {
    /// The server's host name (also the name its certificate must carry).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// STARTTLS, implicit TLS, or none (loopback only).
    pub security: SmtpSecurity,
    /// The mailbox login and password, for AUTH.
    pub credentials: Option<(String, Zeroizing<String>)>,
    /// The sender, `Удостоверяющий центр <noreply@ca.example>`.
    pub from: String,
    /// Bounds the connection and every command.
    pub timeout: Duration,
    /// An extra root certificate (PEM) for the server's TLS certificate.
    pub extra_root_pem: Option<Vec<u8>>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .finish_non_exhaustive()
    }
}

/// Why the SMTP channel cannot be set up.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// Plain SMTP to another machine.
    #[error("{0}: plain SMTP only to this machine; use starttls or implicit")]
    PlainToRemote(String),
    /// The sender does not parse as a mailbox.
    #[error("the sender {value:?} is not a mailbox: {source}")]
    From {
        /// The sender as configured.
        value: String,
        /// Why it does not parse.
        #[source]
        source: lettre::address::AddressError,
    },
    /// The TLS settings or the extra root are unusable.
    #[error("TLS: {0}")]
    Tls(#[source] lettre::transport::smtp::Error),
}

/// The e-mail channel.
pub struct SmtpNotifier {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for SmtpNotifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpNotifier")
            .field("from", &self.from.email.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpNotifier {
    /// The channel described by `settings`.
    pub fn new(settings: SmtpSettings) -> Result<Self, SmtpError> {
        let from: Mailbox = settings.from.parse().map_err(|source| SmtpError::From {
            value: settings.from.clone(),
            source,
        })?;
        crate::tls::install_ring_provider();
        let tls = || {
            let mut params = TlsParameters::builder(settings.host.clone());
            if let Some(pem) = &settings.extra_root_pem {
                params = params
                    .add_root_certificate(Certificate::from_pem(pem).map_err(SmtpError::Tls)?);
            }
            params.build_rustls().map_err(SmtpError::Tls)
        };
        let tls = match settings.security {
            SmtpSecurity::Starttls => Tls::Required(tls()?),
            SmtpSecurity::Implicit => Tls::Wrapper(tls()?),
            SmtpSecurity::None if super::is_loopback(&settings.host) => Tls::None,
            SmtpSecurity::None => return Err(SmtpError::PlainToRemote(settings.host)),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .tls(tls)
            .timeout(Some(settings.timeout));
        if let Some((user, password)) = settings.credentials {
            builder = builder.credentials(Credentials::new(user, password.as_str().to_owned()));
        }
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }
}

impl Notifier for SmtpNotifier {
    fn notify<'a>(
        &'a self,
        to: &'a str,
        notice: &'a Notice,
    ) -> ProviderFuture<'a, Result<(), ProviderError>> {
        Box::pin(async move {
            let to: Mailbox = to.parse().map_err(|e| {
                ProviderError::Contract(format!("the recipient is not a mailbox: {e}"))
            })?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject(notice.subject.as_str())
                .header(ContentType::TEXT_PLAIN)
                .body(notice.text.clone())
                .map_err(|e| ProviderError::Contract(e.to_string()))?;
            self.transport.send(message).await.map(drop).map_err(|e| {
                if e.is_permanent() {
                    ProviderError::Contract(e.to_string())
                } else {
                    ProviderError::Unreachable(e.to_string())
                }
            })
        })
    }
}
