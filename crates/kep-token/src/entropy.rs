//! The random-number sensor's pool (the seed's «датчик случайных чисел»): the UI streams mouse
//! and key events; every event is absorbed, but credit is given only for what a script cannot
//! reproduce cheaply — at most one bit per event, nothing for a repeat, for constant steps, or for
//! a straight line at a fixed interval. 256 credited bits make 100 %.
//!
//! The seed it yields is never the only source of randomness: it is always mixed with the OS
//! RNG through HKDF (ring).

use ring::digest;
use ring::hkdf;
use zeroize::Zeroizing;

/// Credited bits that make the sensor full.
pub const TARGET_BITS: u32 = 256;

/// One UI event: pointer position or key code, with a high-resolution timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SensorEvent {
    /// Pointer x in CSS pixels (or the last known one for a key event).
    pub x: i32,
    /// Pointer y.
    pub y: i32,
    /// Key code for a key event.
    pub key: Option<u32>,
    /// Timestamp in microseconds (performance.now() × 1000 in the UI).
    pub t_us: u64,
}

/// The pool.
pub struct EntropyPool {
    hasher: digest::Context,
    credited: u32,
    events: u64,
    previous: Option<SensorEvent>,
    previous_delta: Option<(i64, i64, i64)>,
}

impl std::fmt::Debug for EntropyPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The absorbed events are secret material: show progress only.
        f.debug_struct("EntropyPool")
            .field("credited", &self.credited)
            .field("events", &self.events)
            .finish()
    }
}

impl Default for EntropyPool {
    fn default() -> Self {
        Self::new()
    }
}

/// How full the pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// 0..=100.
    pub percent: u8,
    /// Credited bits so far (capped at [`TARGET_BITS`]).
    pub credited_bits: u32,
}

/// The OS RNG failed: no seed can be produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the operating system's random number generator failed")]
pub struct RngError;

impl EntropyPool {
    /// An empty pool.
    pub fn new() -> Self {
        Self {
            hasher: digest::Context::new(&digest::SHA512),
            credited: 0,
            events: 0,
            previous: None,
            previous_delta: None,
        }
    }

    /// Absorbs a batch and returns the progress.
    pub fn add_batch(&mut self, events: &[SensorEvent]) -> Progress {
        for event in events {
            self.add(event);
        }
        self.progress()
    }

    fn add(&mut self, event: &SensorEvent) {
        self.events += 1;
        self.hasher.update(&event.x.to_le_bytes());
        self.hasher.update(&event.y.to_le_bytes());
        self.hasher
            .update(&event.key.unwrap_or(u32::MAX).to_le_bytes());
        self.hasher.update(&event.t_us.to_le_bytes());
        if let Some(previous) = self.previous {
            let delta = (
                i64::from(event.x) - i64::from(previous.x),
                i64::from(event.y) - i64::from(previous.y),
                event.t_us as i64 - previous.t_us as i64,
            );
            if self.credits(event, &previous, delta) {
                self.credited = (self.credited + 1).min(TARGET_BITS);
            }
            self.previous_delta = Some(delta);
        }
        self.previous = Some(*event);
    }

    /// One bit for an event whose timing jitters (the interval changed) and which is neither a
    /// repeat nor a continuation of a constant or straight fixed-interval movement.
    fn credits(&self, event: &SensorEvent, previous: &SensorEvent, delta: (i64, i64, i64)) -> bool {
        let repeat = event.x == previous.x && event.y == previous.y && event.key == previous.key;
        let Some((pdx, pdy, pdt)) = self.previous_delta else {
            return false;
        };
        let (dx, dy, dt) = delta;
        let fixed_interval = dt == pdt;
        let constant_step = dx == pdx && dy == pdy;
        let collinear = dx * pdy - dy * pdx == 0;
        !(repeat
            || fixed_interval
            || constant_step
            || (collinear && event.key.is_none() && dt.abs_diff(pdt) < 50))
    }

    /// How full the pool is.
    pub fn progress(&self) -> Progress {
        Progress {
            percent: (self.credited * 100 / TARGET_BITS) as u8,
            credited_bits: self.credited,
        }
    }

    /// Whether 256 bits have been credited.
    pub fn is_full(&self) -> bool {
        self.credited >= TARGET_BITS
    }

    /// A 32-byte seed: HKDF-SHA256 over the pool's digest, salted with fresh OS randomness, so the
    /// OS RNG always contributes (even a full pool is never the only source).
    pub fn seed(&self) -> Result<Zeroizing<[u8; 32]>, RngError> {
        let pool = self.hasher.clone().finish();
        let mut salt = Zeroizing::new([0u8; 32]);
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), salt.as_mut())
            .map_err(|_| RngError)?;
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt.as_ref()).extract(pool.as_ref());
        let mut seed = Zeroizing::new([0u8; 32]);
        prk.expand(&[b"kep-renew/sensor-seed/v1"], hkdf::HKDF_SHA256)
            .and_then(|okm| okm.fill(seed.as_mut()))
            .map_err(|_| RngError)?;
        Ok(seed)
    }
}

/// An RNG for software keys: the OS RNG XOR a stream expanded (HKDF) from the sensor's seed.
/// Either source alone keeps the output unpredictable.
pub struct SensorMixedRng {
    prk: hkdf::Prk,
    counter: u64,
}

impl std::fmt::Debug for SensorMixedRng {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SensorMixedRng")
    }
}

impl SensorMixedRng {
    /// An RNG keyed by the sensor's `seed`.
    pub fn new(seed: &[u8; 32]) -> Self {
        Self {
            prk: hkdf::Salt::new(hkdf::HKDF_SHA256, b"kep-renew/mixed-rng/v1").extract(seed),
            counter: 0,
        }
    }
}

impl rand_core::TryRng for SensorMixedRng {
    type Error = RngError;

    fn try_next_u32(&mut self) -> Result<u32, RngError> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, RngError> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), RngError> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), dst)
            .map_err(|_| RngError)?;
        for chunk in dst.chunks_mut(255 * 32) {
            self.counter += 1;
            let info = self.counter.to_le_bytes();
            let mut stream = Zeroizing::new(vec![0u8; chunk.len()]);
            struct Len(usize);
            impl hkdf::KeyType for Len {
                fn len(&self) -> usize {
                    self.0
                }
            }
            self.prk
                .expand(&[&info], Len(chunk.len()))
                .and_then(|okm| okm.fill(&mut stream))
                .map_err(|_| RngError)?;
            for (out, s) in chunk.iter_mut().zip(stream.iter()) {
                *out ^= s;
            }
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for SensorMixedRng {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic "human": wobbling curves, uneven pauses, a few key presses.
    fn human_like(n: usize, seed: u64) -> Vec<SensorEvent> {
        let mut state = seed;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as i64
        };
        let (mut x, mut y, mut t) = (400i64, 300i64, 1_000_000u64);
        (0..n)
            .map(|i| {
                x += (next() % 13) - 6 + ((i as f64 / 9.0).sin() * 5.0) as i64;
                y += (next() % 11) - 5 + ((i as f64 / 7.0).cos() * 4.0) as i64;
                t += 8_000 + (next() % 9_000) as u64;
                let key = (i % 37 == 0).then(|| 65 + (next() % 26) as u32);
                SensorEvent {
                    x: x as i32,
                    y: y as i32,
                    key,
                    t_us: t,
                }
            })
            .collect()
    }

    #[test]
    fn human_like_movement_fills_the_pool_within_a_few_hundred_events() {
        let mut pool = EntropyPool::new();
        let events = human_like(400, 7);
        let mut filled_at = None;
        for (i, chunk) in events.chunks(10).enumerate() {
            if pool.add_batch(chunk).percent == 100 && filled_at.is_none() {
                filled_at = Some((i + 1) * 10);
            }
        }
        let filled_at = filled_at.expect("the pool fills");
        assert!(filled_at <= 400, "filled after {filled_at} events");
        assert!(pool.is_full());
    }

    #[test]
    fn a_scripted_straight_line_at_a_fixed_interval_never_fills() {
        let mut pool = EntropyPool::new();
        let line: Vec<SensorEvent> = (0..5000)
            .map(|i| SensorEvent {
                x: i * 3,
                y: i * 2,
                key: None,
                t_us: 1_000 + i as u64 * 16_000,
            })
            .collect();
        assert_eq!(pool.add_batch(&line).credited_bits, 0);
        // Accelerating along the same line at a fixed interval: still nothing.
        let accel: Vec<SensorEvent> = (0..500)
            .map(|i| SensorEvent {
                x: i * i,
                y: 0,
                key: None,
                t_us: i as u64 * 10_000,
            })
            .collect();
        assert_eq!(EntropyPool::new().add_batch(&accel).credited_bits, 0);
        // The same event repeated: nothing.
        let same = vec![
            SensorEvent {
                x: 5,
                y: 5,
                key: Some(65),
                t_us: 7
            };
            1000
        ];
        assert_eq!(EntropyPool::new().add_batch(&same).credited_bits, 0);
    }

    #[test]
    fn seeds_differ_run_to_run_even_for_the_same_events() {
        let events = human_like(300, 1);
        let mut a = EntropyPool::new();
        a.add_batch(&events);
        let mut b = EntropyPool::new();
        b.add_batch(&events);
        assert_ne!(
            *a.seed().unwrap(),
            *b.seed().unwrap(),
            "the OS RNG is always mixed in"
        );
        assert_ne!(*a.seed().unwrap(), *a.seed().unwrap());
    }

    #[test]
    fn the_mixed_rng_makes_keys() {
        let mut pool = EntropyPool::new();
        pool.add_batch(&human_like(300, 3));
        let mut rng = SensorMixedRng::new(&pool.seed().unwrap());
        let key = kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut rng).unwrap();
        let other =
            kep_gost::SigningKey::generate(kep_gost::ParamSet::CryptoProA, &mut rng).unwrap();
        assert_ne!(key.to_bytes(), other.to_bytes());
        assert!(!format!("{pool:?}").contains("hasher"));
    }
}
