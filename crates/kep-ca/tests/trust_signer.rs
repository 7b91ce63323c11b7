//! Whose КЭП a signer holds, by the list (#25): a certificate from another CA is vouched for
//! when its path reaches a certificate the list gives for a CA accredited when the statement
//! came in — directly or through an intermediate — and not when that CA's accreditation had
//! ended, when it is not listed, or when the listed period of its certificate is over. A missing
//! intermediate comes from the signer's AIA caIssuers address, where the fetch policy allows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use kep_ca::store::trust_store::TrustImportRow;
use kep_ca::trust::accredited::{
    Accreditation, AccreditationSince, AccreditedCa, AuthorityKey, ListedCertificate,
};
use kep_ca::trust::capped_get::{CappedGet, GetError};
use kep_ca::trust::fetch_policy::{FetchPolicy, Refused};
use kep_ca::trust::issuer_fetch::{IssuerFetchError, fetch_issuer};
use kep_ca::trust::listed_issuer::{NotListed, listed_issuer};
use kep_ca::trust::trusted_cas::CurrentList;
use std::time::Duration;

/// The tests' clock (common::start).
const NOW: i64 = 1_795_000_000;

fn listed(der: &[u8], not_after: i64) -> ListedCertificate {
    ListedCertificate {
        thumbprint: String::new(),
        serial: String::new(),
        not_before: 0,
        not_after,
        der: der.to_vec(),
    }
}

fn list_of(cas: Vec<AccreditedCa>) -> CurrentList {
    CurrentList::new(
        TrustImportRow {
            id: 1,
            version: 1,
            list_date: NOW,
            sha256: String::new(),
            source: "test".into(),
            started_at: NOW,
            finished_at: Some(NOW),
            state: "current".into(),
            outcome: None,
            cas: 1,
            certificates: 1,
        },
        cas,
    )
}

fn ca(
    name: &str,
    accreditation: Vec<(Accreditation, i64)>,
    certificate: ListedCertificate,
) -> AccreditedCa {
    AccreditedCa {
        name: name.into(),
        inn: "7707654321".into(),
        accreditation: accreditation
            .into_iter()
            .map(|(state, since)| AccreditationSince { state, since })
            .collect(),
        keys: vec![AuthorityKey {
            key_id: "0A".into(),
            crl_urls: vec!["http://uc.other.example/1.crl".into()],
            certificates: vec![certificate],
        }],
        ..AccreditedCa::default()
    }
}

#[tokio::test]
async fn another_accredited_cas_signer_is_vouched_for_by_the_list_and_only_then() {
    let ours = common::start("trust-ours").await;
    let theirs = common::start("trust-theirs").await;
    let signer = theirs.issue_one().await.der;
    let their_issuing = theirs.state.applications.authority().issuing_der().to_vec();
    let their_root = theirs.state.applications.authority().root_der().to_vec();
    let our_issuing = ours.state.applications.authority().issuing_der().to_vec();
    let active = vec![(Accreditation::Active, 0)];

    // Their issuing CA is listed: vouched for, with the list's words for who it is.
    let list = list_of(vec![ca(
        "АО «Другой УЦ»",
        active.clone(),
        listed(&their_issuing, i64::MAX / 2),
    )]);
    let issuer = listed_issuer(&list, &signer, &[], NOW).unwrap();
    assert_eq!(issuer.ca_name, "АО «Другой УЦ»");
    assert_eq!(issuer.path.len(), 2);
    assert_eq!(issuer.crl_urls, ["http://uc.other.example/1.crl"]);

    // Their root is listed: the intermediate that came along completes the path.
    let list = list_of(vec![ca(
        "АО «Другой УЦ»",
        active.clone(),
        listed(&their_root, i64::MAX / 2),
    )]);
    assert!(matches!(
        listed_issuer(&list, &signer, &[], NOW),
        Err(NotListed::Unknown(_))
    ));
    let issuer = listed_issuer(&list, &signer, std::slice::from_ref(&their_issuing), NOW).unwrap();
    assert_eq!(issuer.path.len(), 3);
    // …or its AIA caIssuers address gives it (their service, on this machine: fetched only
    // where the policy allows this machine; the default policy refuses before sending).
    let local = CappedGet::new(
        FetchPolicy {
            allow_loopback: true,
            allow_private: false,
        },
        Duration::from_secs(10),
    )
    .unwrap();
    let fetched = fetch_issuer(&local, &signer).await.unwrap();
    assert_eq!(fetched, their_issuing);
    assert_eq!(
        listed_issuer(&list, &signer, &[fetched], NOW)
            .unwrap()
            .path
            .len(),
        3
    );
    let strict = CappedGet::new(FetchPolicy::default(), Duration::from_secs(10)).unwrap();
    assert!(matches!(
        fetch_issuer(&strict, &signer).await,
        Err(IssuerFetchError::Get(GetError::Refused(Refused::Loopback(
            _
        ))))
    ));
    // A certificate without the address: said so.
    assert_eq!(
        fetch_issuer(&local, &their_root).await,
        Err(IssuerFetchError::NoAddress)
    );

    // Accreditation ended (a day after the signer's certificate was issued) before the
    // statement came: said so, not vouched for.
    let ended = vec![
        (Accreditation::Active, 0),
        (Accreditation::Ended, NOW + 86_400),
    ];
    let list = list_of(vec![ca(
        "АО «Бывший УЦ»",
        ended.clone(),
        listed(&their_issuing, i64::MAX / 2),
    )]);
    assert_eq!(
        listed_issuer(&list, &signer, &[], NOW + 2 * 86_400).unwrap_err(),
        NotListed::NotAccredited {
            name: "АО «Бывший УЦ»".into(),
            state: "Прекращена".into()
        }
    );
    // …but a statement received before the end was (the time that counts is the receipt).
    assert!(listed_issuer(&list, &signer, &[], NOW + 3_600).is_ok());

    // Not on the list (only our CA is), or listed for a period that is over.
    let list = list_of(vec![ca(
        "Наш УЦ",
        active.clone(),
        listed(&our_issuing, i64::MAX / 2),
    )]);
    assert!(matches!(
        listed_issuer(&list, &signer, &[], NOW),
        Err(NotListed::Unknown(_))
    ));
    let list = list_of(vec![ca(
        "АО «Другой УЦ»",
        active,
        listed(&their_issuing, NOW - 1),
    )]);
    assert!(matches!(
        listed_issuer(&list, &signer, &[], NOW),
        Err(NotListed::Unknown(_))
    ));
}
