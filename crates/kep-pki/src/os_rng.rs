//! The operating system's random number generator (through ring) as a `rand_core` RNG, for
//! keys made in software where no sensor seed takes part (the CA's own keys, test fixtures).

/// The OS RNG failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the OS random number generator failed")]
pub struct OsRngError;

/// ring's `SystemRandom` behind `rand_core`'s traits.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRng;

impl rand_core::TryRng for OsRng {
    type Error = OsRngError;

    fn try_next_u32(&mut self) -> Result<u32, OsRngError> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, OsRngError> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), OsRngError> {
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), dst)
            .map_err(|_| OsRngError)
    }
}

impl rand_core::TryCryptoRng for OsRng {}
