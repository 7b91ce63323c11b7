use kep_protocol::{ApiError, RequisitesCheck, RequisitesInput};

/// Validates the requisites form as the user types; the UI shows each field's message.
#[tauri::command]
pub fn check_requisites(input: RequisitesInput) -> Result<RequisitesCheck, ApiError> {
    // The date decides ages and "not in the future"; UTC is at most a few hours off Russian
    // local time, which only matters on the birthday itself, and the CA checks again.
    let today = time::OffsetDateTime::now_utc().date();
    Ok(kep_client::check_requisites(&input, today))
}
