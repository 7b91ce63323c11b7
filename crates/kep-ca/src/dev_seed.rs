//! What `kep-ca serve --dev` puts in place so that every path of the app can be walked on one
//! machine: an applicant with a renewal application (requisites filled in from the current
//! certificate, as a real CA pre-fills a renewal), that applicant's *current* certificate —
//! issued by this CA, expiring within 60 days — with its key in the app's computer key store
//! format, and an operator and a responsible officer. Each item is made once.

use crate::api::AppState;
use crate::applications::ReviewError;
use crate::operators::{OperatorError, OperatorRole};
use crate::serial::serial_hex;
use crate::store::{CertificateRow, Store, StoreError};
use kep_pki::ValidateRequisites;
use kep_pki::extensions::IdentificationKind;
use kep_pki::issue::{Applicant, KeyStorage, issue_qualified_with_serial, random_serial};
use kep_pki::signer::{KeySigner, SoftwareGostSigner};
use kep_protocol::RequisitesInput;
use kep_protocol::application::ApplicationStatus;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The seeded applicant's phone.
pub const DEV_APPLICANT_PHONE: &str = "+79990000001";
/// The password of the seeded applicant's current key.
pub const DEV_APPLICANT_KEY_PASSWORD: &str = "kep-renew-dev-key";
/// The key's name in the key store folder (`current.key.pem`, `current.crt`).
pub const DEV_APPLICANT_KEY_NAME: &str = "current";
/// The dev operator (reviewer) and responsible officer logins; both use [`DEV_OPERATOR_PASSWORD`].
pub const DEV_OPERATOR_LOGIN: &str = "operator";
/// The responsible officer's login.
pub const DEV_OFFICER_LOGIN: &str = "officer";
/// The dev operators' password.
pub const DEV_OPERATOR_PASSWORD: &str = "kep-renew-dev-operator";

/// The demo's authenticator secrets (base32), for `npm run demo` only (`KEP_CA_DEMO_TOTP=1`):
/// printed by the banner, typed into an authenticator app or `oathtool --totp -b`. Not secret.
pub const DEV_OPERATOR_TOTP: &str = "KEPRENEWDEMOREVIEWER2222222222AA";
/// The responsible officer's.
pub const DEV_OFFICER_TOTP: &str = "KEPRENEWDEMOOFFICER3333333333BBB";

/// Gives the demo's operator and officer their authenticators (once): the console then asks
/// them for codes, as a CA in service would.
pub async fn enroll_demo_authenticators(state: &AppState) -> Result<(), SeedError> {
    for (login, secret) in [
        (DEV_OPERATOR_LOGIN, DEV_OPERATOR_TOTP),
        (DEV_OFFICER_LOGIN, DEV_OFFICER_TOTP),
    ] {
        let enrolled = state
            .applications
            .store()
            .operator_account(login)
            .await?
            .is_some_and(|a| a.totp_enrolled);
        if enrolled {
            continue;
        }
        let secret = crate::totp::secret_from_base32(secret)
            .ok_or_else(|| material("a demo TOTP secret does not read"))?;
        state
            .operators
            .install_totp(login, &secret, "dev-seed")
            .await
            .map_err(|source| SeedError::Operator { login, source })?;
    }
    Ok(())
}

/// The current certificate was issued this long ago (12-month validity: 45 days are left).
const CURRENT_AGE: Duration = Duration::from_secs(320 * 86_400);

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// Opening the renewal application failed.
    #[error(transparent)]
    Review(#[from] ReviewError),
    /// A dev operator could not be added.
    #[error("the dev operator {login}: {source}")]
    Operator {
        /// Which.
        login: &'static str,
        /// Why.
        #[source]
        source: OperatorError,
    },
    /// The applicant's current key, certificate or their files could not be made.
    #[error("the dev applicant's current key or certificate: {0}")]
    Material(String),
}

fn material(e: impl std::fmt::Display) -> SeedError {
    SeedError::Material(e.to_string())
}

/// A certificate request (PKCS#10, DER) of the seeded applicant for a fresh GOST key
/// (CryptoPro-A), as the app makes one: for benchmarks and load tests.
pub fn dev_request() -> Result<Vec<u8>, SeedError> {
    let requisites = dev_requisites()
        .validate(time::OffsetDateTime::now_utc().date())
        .map_err(|e| material(format!("{e:?}")))?;
    let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
        .map_err(material)?;
    let signer = SoftwareGostSigner::new(key).map_err(material)?;
    kep_pki::request::build_request(&requisites, &signer, None).map_err(material)
}

/// The seeded applicant.
pub fn dev_requisites() -> RequisitesInput {
    RequisitesInput {
        surname: "Иванов".into(),
        given_name: "Иван".into(),
        patronymic: "Иванович".into(),
        birth_date: "15.03.1985".into(),
        passport_series: "45 06".into(),
        passport_number: "123456".into(),
        passport_issue_date: "01.04.2005".into(),
        passport_issuer: "ОВД района Тверской г. Москвы".into(),
        passport_division_code: "772-001".into(),
        snils: "112-233-445 95".into(),
        inn: "500100732259".into(),
        email: "ivanov@example.ru".into(),
        phone: DEV_APPLICANT_PHONE.into(),
        region_code: "77".into(),
        region_name: "г. Москва".into(),
        locality: "Москва".into(),
    }
}

/// What was seeded (for the start-up banner).
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The folder with the applicant's current key and certificate.
    pub key_dir: PathBuf,
    /// The current certificate's serial.
    pub current_serial: String,
}

/// Seeds the dev data (idempotent). `key_dir` receives the applicant's current key;
/// `scrypt_log_n` is its cost (17 as the app writes; tests may lower it).
pub async fn seed(state: &AppState, key_dir: &Path, scrypt_log_n: u8) -> Result<Seeded, SeedError> {
    let apps = &state.applications;
    let store = apps.store();
    let now = apps.clock().unix();
    let applicant = store.applicant_for_phone(DEV_APPLICANT_PHONE, now).await?;
    let input = dev_requisites();
    if store.applications_of(applicant).await?.is_empty() {
        let id = apps.review.open_renewal(applicant, "system").await?;
        let json = serde_json::to_string(&input).map_err(material)?;
        store
            .update_application(id, Some(json), None, None, now)
            .await?;
    }
    let current_serial = match store.certificates_of(applicant).await?.first() {
        Some(existing) => existing.serial.clone(),
        None => issue_current(state, applicant, &input, key_dir, scrypt_log_n).await?,
    };
    for (login, role) in [
        (DEV_OPERATOR_LOGIN, OperatorRole::Reviewer),
        (DEV_OFFICER_LOGIN, OperatorRole::Officer),
    ] {
        match state
            .operators
            .add(login, DEV_OPERATOR_PASSWORD, role)
            .await
        {
            Ok(()) => {}
            Err(OperatorError::Exists) => {}
            Err(source) => return Err(SeedError::Operator { login, source }),
        }
    }
    Ok(Seeded {
        key_dir: key_dir.to_owned(),
        current_serial,
    })
}

/// Issues the applicant's current certificate (identified in person a year ago) and writes
/// its key and certificate where the app's computer key store reads them.
async fn issue_current(
    state: &AppState,
    applicant: i64,
    input: &RequisitesInput,
    key_dir: &Path,
    scrypt_log_n: u8,
) -> Result<String, SeedError> {
    let apps = &state.applications;
    let now = apps.clock().now();
    let requisites = input
        .validate(time::OffsetDateTime::from(now).date())
        .map_err(|errors| material(format!("the dev requisites fail the checks: {errors:?}")))?;
    let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut kep_pki::OsRng)
        .map_err(material)?;
    let mut salt = [0u8; 16];
    let mut iv = [0u8; 16];
    for b in [&mut salt[..], &mut iv[..]] {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), b)
            .map_err(|e| material(format!("the OS random number generator: {e}")))?;
    }
    let pem =
        kep_pki::encrypted_key::seal(&key, DEV_APPLICANT_KEY_PASSWORD, scrypt_log_n, &salt, iv)
            .map_err(material)?;
    let signer = SoftwareGostSigner::new(key).map_err(material)?;
    let profile = apps.authority().profile();
    let request =
        kep_pki::request::build_request(&requisites, &signer, Some(&profile.computer_sign_tool))
            .map_err(material)?;
    let request = kep_pki::request::verify_request(&request).map_err(material)?;
    let serial = random_serial().map_err(material)?;
    let not_before = now
        .checked_sub(CURRENT_AGE)
        .ok_or_else(|| material("clock"))?;
    let der = issue_qualified_with_serial(
        &apps.authority().issuer(),
        profile,
        &Applicant {
            request: &request,
            requisites: &requisites,
            identification: IdentificationKind::InPerson,
            storage: KeyStorage::Computer,
            not_before,
        },
        serial.clone(),
    )
    .map_err(material)?;
    let not_after = kep_pki::issue::add_months(not_before, profile.validity_months)
        .map_err(material)?
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(material)?
        .as_secs();
    kep_private_file::write(
        &key_dir.join(format!("{DEV_APPLICANT_KEY_NAME}.key.pem")),
        pem.as_bytes(),
    )
    .map_err(material)?;
    kep_private_file::write(&key_dir.join(format!("{DEV_APPLICANT_KEY_NAME}.crt")), &der)
        .map_err(material)?;
    let serial = serial_hex(&serial);
    let spki = crate::documents::sha256_hex(signer.public_key_info());
    apps.store()
        .record_certificate(
            CertificateRow {
                serial: serial.clone(),
                applicant_id: applicant,
                application_id: None,
                spki_sha256: spki,
                der,
                not_after: i64::try_from(not_after).map_err(material)?,
                identification: IdentificationKind::InPerson,
                status: crate::store::CertificateStatus::Active,
                revoked_at: None,
                reason: None,
            },
            None,
            apps.clock().unix(),
        )
        .await?;
    Ok(serial)
}

/// For benchmarks and load tests: `count` applicants (phones `+7990…` from `offset`), each with
/// an application already at «Готов к выпуску» — as if the statement had been signed with a КЭП
/// and the registries had confirmed — and a session; answers (session token, application id).
pub async fn ready_for_key(
    state: &AppState,
    count: usize,
    offset: usize,
) -> Result<Vec<(String, i64)>, SeedError> {
    use crate::clock::Clock;
    use crate::store::{ApplicationChanges, EventRow};
    let store = state.applications.store();
    let now = state.login.clock().unix();
    let requisites = serde_json::to_string(&dev_requisites()).map_err(material)?;
    let mut out = Vec::new();
    for i in offset..offset + count {
        let applicant = store
            .applicant_for_phone(&format!("+7990{i:07}"), now)
            .await?;
        let id = state
            .applications
            .review
            .open_renewal(applicant, "load")
            .await?;
        store
            .transition(
                id,
                vec![ApplicationStatus::Draft],
                ApplicationStatus::ReadyForKey,
                ApplicationChanges {
                    requisites: Some(requisites.clone()),
                    registry_confirmed: Some(true),
                    identification: Some(Some(IdentificationKind::RemoteWithQualifiedSignature)),
                    ..ApplicationChanges::default()
                },
                EventRow {
                    at: now,
                    actor: "load".into(),
                    status: ApplicationStatus::ReadyForKey,
                    comment: None,
                },
                now,
            )
            .await?;
        let token = format!("load-token-{i}");
        store
            .insert_session(crate::login::token_hash(&token), applicant, now)
            .await?;
        out.push((token, id));
    }
    Ok(out)
}
