//! The `kep-ca` binary in `--dev` mode: it seeds an applicant with a renewal application and an
//! operator, prints how to use them, and the printed calling number logs the applicant in.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_system_tests::tools::Scratch;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn serve_dev_seeds_and_logs_in() {
    let scratch = Scratch::new("ca-binary");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_kep-ca"))
        .args([
            "serve",
            "--dev",
            "--data",
            &scratch.arg("data"),
            "--listen",
            &format!("127.0.0.1:{port}"),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = String::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        banner.push_str(&line);
        banner.push('\n');
        if line.contains("listening on") {
            break;
        }
    }
    assert!(banner.contains("login `operator`"), "{banner}");
    for _ in 0..2 {
        if lines.next().is_none() {
            break;
        }
    }

    let base = format!("http://127.0.0.1:{port}");
    let http = kep_client::build_http_client().unwrap();
    let r = http
        .post(format!("{base}/api/v1/auth/code"))
        .json(&json!({"phone": "+79990000001"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let call: Value = http
        .get(format!("{base}/dev/calls/last"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let digits: String = call["caller"]
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let code = &digits[digits.len() - 4..];
    let session: Value = http
        .post(format!("{base}/api/v1/auth/verify"))
        .json(&json!({"phone": "+79990000001", "code": code}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = session["token"].as_str().unwrap();
    let list: Value = http
        .get(format!("{base}/api/v1/applications"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "the seeded renewal application"
    );
    assert_eq!(list[0]["status"], "draft");
    let operator = http
        .post(format!("{base}/api/v1/operator/login"))
        .json(&json!({"login": "operator", "password": "kep-renew-dev-operator"}))
        .send()
        .await
        .unwrap();
    assert_eq!(operator.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
}
