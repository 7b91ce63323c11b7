//! kep-ca's OCSP responder at `/ocsp` as a relying party meets it: OpenSSL (with the gost
//! engine) finds it in the certificate's AIA, asks over POST with a nonce and verifies the
//! delegated answer — good, then revoked (with its reason) after an operator revokes, unknown
//! for a serial this CA never issued; the same over GET, cacheable; and what a responder must
//! refuse (unreadable, oversize, another CA's certificate) answered as OCSP, never a 5xx.

#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine;
use kep_pki::ocsp::asn1::OcspResponseStatus;
use kep_pki::ocsp::parse_response;
use kep_system_tests::tools::{OpenSsl, pem};
use std::time::SystemTime;

fn said(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn a_configured_ocsp_address_is_the_one_certificates_name() {
    let ca = common::start_with("ca-ocsp-url", |c| {
        c.ocsp_url = Some("http://ocsp.ca.example.ru/status".into());
    })
    .await;
    let certificate = ca.issue_one().await;
    let ssl = OpenSsl::new("ca-ocsp-url-openssl");
    ssl.scratch
        .write("user.pem", pem("CERTIFICATE", &certificate.der));
    let text =
        String::from_utf8(ssl.run(&["x509", "-in", "user.pem", "-noout", "-ocsp_uri"])).unwrap();
    assert_eq!(text.trim(), "http://ocsp.ca.example.ru/status");
}

// OpenSSL runs as a blocking child process while the service answers it on another thread.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_asks_the_responder_and_verifies_every_answer() {
    let ca = common::start("ca-ocsp").await;
    // OpenSSL checks thisUpdate and nextUpdate against the real time.
    let behind = SystemTime::now()
        .duration_since(kep_ca::clock::Clock::now(&ca.clock))
        .unwrap_or_default();
    ca.clock.advance(behind);

    let certificate = ca.issue_one().await;
    let authority = ca.state.applications.authority();

    let ssl = OpenSsl::new("ca-ocsp-openssl");
    ssl.scratch
        .write("root.pem", pem("CERTIFICATE", authority.root_der()));
    ssl.scratch
        .write("issuing.pem", pem("CERTIFICATE", authority.issuing_der()));
    ssl.scratch
        .write("user.pem", pem("CERTIFICATE", &certificate.der));
    let url = format!("{}/ocsp", ca.base);
    // The certificate names the responder.
    let text =
        String::from_utf8(ssl.run(&["x509", "-in", "user.pem", "-noout", "-ocsp_uri"])).unwrap();
    assert_eq!(text.trim(), url);

    let ask = |what: &[&str]| {
        let mut args = vec![
            "ocsp",
            "-url",
            &url,
            "-issuer",
            "issuing.pem",
            "-CAfile",
            "root.pem",
            "-verify_other",
            "issuing.pem",
        ];
        args.extend_from_slice(what);
        let out = ssl.try_run(&args);
        let text = said(&out);
        assert!(text.contains("Response verify OK"), "{text}");
        assert!(
            !text.contains("WARNING") && !text.contains("error"),
            "{text}"
        );
        text
    };
    assert!(ask(&["-cert", "user.pem"]).contains("user.pem: good"));
    assert!(ask(&["-sha256", "-cert", "user.pem"]).contains("user.pem: good"));
    assert!(ask(&["-serial", "0x0BADC0DE"]).contains("0x0BADC0DE: unknown"));

    let operator = ca.operator(kep_ca::operators::OperatorRole::Reviewer).await;
    let (status, body) = ca
        .call(
            reqwest::Method::POST,
            &format!(
                "/api/v1/operator/certificates/{}/revoke",
                certificate.serial
            ),
            &operator,
            Some(serde_json::json!({ "reason": "key_compromise" })),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let text = ask(&["-cert", "user.pem"]);
    assert!(text.contains("user.pem: revoked"), "{text}");
    assert!(text.contains("keyCompromise"), "{text}");

    // GET, without a nonce: the same answer, cacheable until its nextUpdate (an hour).
    ssl.run(&[
        "ocsp",
        "-issuer",
        "issuing.pem",
        "-cert",
        "user.pem",
        "-no_nonce",
        "-reqout",
        "req.der",
    ]);
    let request = base64::engine::general_purpose::STANDARD.encode(ssl.scratch.read("req.der"));
    let response = reqwest::get(format!("{url}/{}", request.replace('/', "%2F")))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/ocsp-response"
    );
    let cache = response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cache.contains("max-age=3600"), "{cache}");
    assert!(response.headers().contains_key("expires"));
    ssl.scratch
        .write("resp.der", response.bytes().await.unwrap());
    let out = ssl.try_run(&[
        "ocsp",
        "-respin",
        "resp.der",
        "-reqin",
        "req.der",
        "-issuer",
        "issuing.pem",
        "-CAfile",
        "root.pem",
        "-verify_other",
        "issuing.pem",
        "-cert",
        "user.pem",
        "-no_nonce",
    ]);
    let text = said(&out);
    assert!(
        text.contains("Response verify OK") && text.contains("user.pem: revoked"),
        "{text}"
    );
    // With a nonce, the answer is for that request alone: never cached.
    ssl.run(&[
        "ocsp",
        "-issuer",
        "issuing.pem",
        "-cert",
        "user.pem",
        "-reqout",
        "nonce.der",
    ]);
    let response = ca
        .http
        .post(&url)
        .header("content-type", "application/ocsp-request")
        .body(ssl.scratch.read("nonce.der"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn what_the_responder_refuses_is_an_ocsp_answer_not_a_server_error() {
    let ca = common::start("ca-ocsp-refusals").await;
    let status_of = |bytes: &[u8]| parse_response(bytes).unwrap().0;
    for (what, body) in [
        ("not DER", b"hello".to_vec()),
        ("over 64 KiB", vec![0x30; 70 * 1024]),
        ("empty", Vec::new()),
    ] {
        let (status, answer) = ca
            .bytes(reqwest::Method::POST, "/ocsp", None, Some(body))
            .await;
        assert_eq!(status, 200, "{what}");
        assert_eq!(
            status_of(&answer),
            OcspResponseStatus::MalformedRequest,
            "{what}"
        );
    }
    let (status, answer) = ca
        .bytes(reqwest::Method::GET, "/ocsp/not%20base64!", None, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(status_of(&answer), OcspResponseStatus::MalformedRequest);

    // A certificate of another CA (the root's own issuing CA is the root's, not ours).
    let authority = ca.state.applications.authority();
    let ssl = OpenSsl::new("ca-ocsp-other");
    ssl.scratch
        .write("root.pem", pem("CERTIFICATE", authority.root_der()));
    ssl.scratch
        .write("issuing.pem", pem("CERTIFICATE", authority.issuing_der()));
    ssl.run(&[
        "ocsp",
        "-issuer",
        "root.pem",
        "-cert",
        "issuing.pem",
        "-reqout",
        "req.der",
    ]);
    let (status, answer) = ca
        .bytes(
            reqwest::Method::POST,
            "/ocsp",
            None,
            Some(ssl.scratch.read("req.der")),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(status_of(&answer), OcspResponseStatus::Unauthorized);
}
