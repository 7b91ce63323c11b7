//! The random-number sensor's traffic over IPC: the UI streams pointer and key events in batches;
//! the backend's entropy pool answers how full it is.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One pointer move or key press inside the sensor area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SensorSample {
    /// Pointer x, CSS pixels within the area.
    pub x: i32,
    /// Pointer y.
    pub y: i32,
    /// The key's code for a key press (none for a pointer move).
    pub key: Option<u32>,
    /// `performance.now()` in milliseconds (fractional: sub-millisecond timing is the point).
    pub t_ms: f64,
}

/// How full the entropy pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SensorProgress {
    /// 0..=100.
    pub percent: u8,
    /// 256 bits credited: the key can be made.
    pub full: bool,
}
