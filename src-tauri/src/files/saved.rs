//! Bytes the person saves where the save dialog says (the statement blank, a certificate): the
//! dialog in the backend, the file written, its name answered — or None when cancelled.

use crate::state::FilePicker;
use kep_protocol::{ApiError, ErrorKind};

/// Asks where to save `bytes` (dialog `title`, suggested `file_name`) and writes them there;
/// `not_saved` is the sentence when the folder refuses.
pub async fn save_where_chosen(
    picker: &dyn FilePicker,
    title: &str,
    file_name: &str,
    bytes: &[u8],
    not_saved: &str,
) -> Result<Option<String>, ApiError> {
    let Some(path) = picker.save(title, file_name).await.ok().flatten() else {
        return Ok(None);
    };
    std::fs::write(&path, bytes).map_err(|e| {
        tracing::warn!(error = %e, file = %file_name, "a file could not be saved where chosen");
        ApiError::new(ErrorKind::Io, not_saved)
    })?;
    Ok(path.file_name().map(|n| n.to_string_lossy().into_owned()))
}
