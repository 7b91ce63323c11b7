//! The digest of signed content computed as the content is read, so a file of any size is
//! signed or checked without holding it: the algorithm follows the key (Streebog of the key's
//! size for GOST, SHA-256 for the ECDSA fallback), as [`SignatureAlgorithm::digest`] computes it
//! in one piece.

use crate::signer::SignatureAlgorithm;
use std::io::Read;

/// Pieces read at a time by [`digest_reader`]: large enough for the hash to run at full speed,
/// small enough that memory does not grow with the file.
pub const READ_PIECE: usize = 1024 * 1024;

/// A digest in progress.
#[derive(Clone)]
pub struct ContentHasher(Inner);

#[derive(Clone)]
enum Inner {
    Streebog(kep_gost::StreebogHasher),
    Sha256(ring::digest::Context),
}

impl std::fmt::Debug for ContentHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Inner::Streebog(h) => h.fmt(f),
            Inner::Sha256(_) => f.write_str("ContentHasher(SHA-256)"),
        }
    }
}

impl ContentHasher {
    /// A hasher for content signed with `algorithm`.
    pub fn new(algorithm: SignatureAlgorithm) -> Self {
        Self(match algorithm {
            SignatureAlgorithm::Gost2012_256 => {
                Inner::Streebog(kep_gost::StreebogHasher::new(kep_gost::KeySize::Bits256))
            }
            SignatureAlgorithm::Gost2012_512 => {
                Inner::Streebog(kep_gost::StreebogHasher::new(kep_gost::KeySize::Bits512))
            }
            SignatureAlgorithm::EcdsaP256Sha256 => {
                Inner::Sha256(ring::digest::Context::new(&ring::digest::SHA256))
            }
        })
    }

    /// Adds the next piece of content.
    pub fn update(&mut self, piece: &[u8]) {
        match &mut self.0 {
            Inner::Streebog(h) => h.update(piece),
            Inner::Sha256(h) => h.update(piece),
        }
    }

    /// The digest.
    pub fn finish(self) -> Vec<u8> {
        match self.0 {
            Inner::Streebog(h) => h.finalize(),
            Inner::Sha256(h) => h.finish().as_ref().to_vec(),
        }
    }
}

/// Digests everything `reader` gives for `algorithm`, a piece at a time, telling `progress`
/// the bytes read so far after each piece.
pub fn digest_reader(
    algorithm: SignatureAlgorithm,
    mut reader: impl Read,
    mut progress: impl FnMut(u64),
) -> std::io::Result<Vec<u8>> {
    let mut hasher = ContentHasher::new(algorithm);
    let mut piece = vec![0u8; READ_PIECE];
    let mut read = 0u64;
    loop {
        let n = match reader.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&piece[..n]);
        read += n as u64;
        progress(read);
    }
    Ok(hasher.finish())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn pieces_give_the_digest_of_the_whole() {
        let content: Vec<u8> = (0..3 * READ_PIECE + 17).map(|i| (i * 7) as u8).collect();
        for algorithm in [
            SignatureAlgorithm::Gost2012_256,
            SignatureAlgorithm::Gost2012_512,
            SignatureAlgorithm::EcdsaP256Sha256,
        ] {
            let mut seen = Vec::new();
            let streamed = digest_reader(algorithm, content.as_slice(), |n| seen.push(n)).unwrap();
            assert_eq!(streamed, algorithm.digest(&content), "{algorithm:?}");
            assert_eq!(seen.last(), Some(&(content.len() as u64)));
            assert_eq!(seen.len(), 4);
            let mut odd = ContentHasher::new(algorithm);
            content.chunks(1000).for_each(|c| odd.update(c));
            assert_eq!(odd.finish(), algorithm.digest(&content));
        }
    }

    #[test]
    fn an_empty_reader_gives_the_empty_digest() {
        let digest = digest_reader(SignatureAlgorithm::Gost2012_256, &[][..], |_| {}).unwrap();
        assert_eq!(digest, SignatureAlgorithm::Gost2012_256.digest(b""));
    }
}
