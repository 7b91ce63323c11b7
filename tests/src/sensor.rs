//! What a person gives the random-number sensor: a wandering pointer at uneven intervals (the
//! entropy pool credits about a bit per such event), for tests that make keys.

use kep_protocol::sensor::SensorSample;

/// 100 batches of 20 samples from `seed` (xorshift: reproducible, irregular).
pub fn human_batches(mut seed: u64) -> Vec<Vec<SensorSample>> {
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut x, mut y, mut t) = (100i32, 100i32, 0f64);
    (0..100)
        .map(|_| {
            (0..20)
                .map(|_| {
                    x += (next() % 15) as i32 - 7;
                    y += (next() % 15) as i32 - 7;
                    t += 4.0 + (next() % 9000) as f64 / 1000.0;
                    SensorSample {
                        x,
                        y,
                        key: None,
                        t_ms: t,
                    }
                })
                .collect()
        })
        .collect()
}
