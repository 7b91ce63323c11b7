//! Resuming: the session token kept in the OS keyring (gnome-keyring under `dbus-run-session`) and
//! the flow file bring a restarted app back to the same step against a real kep-ca; without the
//! token the user logs in again and lands on that step.

// Needs Linux tooling (pcscd, SoftHSM2, gnome-keyring under dbus-run-session).
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may fail loudly

use kep_client::CaClient;
use kep_client::flow::{Flow, FlowEvent, FlowFile, FlowStep};
use kep_client::session_vault::SessionVault;

mod common;

use common::start_ca;

#[test]
fn a_restart_resumes_at_the_same_step() {
    if kep_system_tests::tools::rerun_in_keyring_session("a_restart_resumes_at_the_same_step") {
        return;
    }
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let ca = start_ca("client-resume").await;
        let endpoint = ca.endpoint();

        // First run: log in, choose the application, start filling it in; then "quit".
        let client = CaClient::new(endpoint.clone()).unwrap();
        client.request_code("+79123456789").await.unwrap();
        let (client, session) = client
            .verify_code("+79123456789", &ca.last_code())
            .await
            .unwrap();
        let vault = SessionVault;
        assert!(
            vault.store(&endpoint, &session.token),
            "the keyring is available"
        );
        let id = ca.open_application("+79123456789").await;
        let file = FlowFile::new(&ca.scratch.path("app"));
        let flow = Flow::default()
            .on(FlowEvent::LoggedIn)
            .on(FlowEvent::Chosen(id))
            .on(FlowEvent::Started);
        file.save(&flow).unwrap();
        drop(client);

        // Second run: the token from the keyring still works; the flow is where it was.
        let token = vault.load(&endpoint).expect("the token survived");
        let resumed = CaClient::new(endpoint.clone()).unwrap().with_token(token);
        assert_eq!(resumed.applications().await.unwrap().len(), 1);
        assert_eq!(
            file.load().step,
            FlowStep::Requisites { application_id: id }
        );

        // Third run without the token: log in again and land on the same step.
        vault.clear(&endpoint);
        assert!(vault.load(&endpoint).is_none());
        let out = file.load().on(FlowEvent::LoggedOut);
        assert_eq!(out.step, FlowStep::Login);
        assert_eq!(
            out.on(FlowEvent::LoggedIn).step,
            FlowStep::Requisites { application_id: id }
        );
    });
}
