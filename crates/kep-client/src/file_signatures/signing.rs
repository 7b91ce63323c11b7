//! Signing one file: read once as a stream (the digest grows, memory does not), signed as
//! detached CAdES-BES by the key wherever it is, the signature checked against the certificate
//! before it is written, then written whole or not at all.

use super::chosen::file_name;
use super::signature_file;
use kep_pki::cms_signature::{SignaturePolicy, SignedMessage, sign_detached_digest};
use kep_pki::content_digest::digest_reader;
use kep_pki::signer::KeySigner;
use kep_protocol::file_signatures::SignatureEncoding;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where a file's signature goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `<file>.sig` beside each file.
    Beside,
    /// `<file name>.sig` in this folder.
    Folder(PathBuf),
    /// This very path (one file only: the save dialog's answer).
    File(PathBuf),
}

impl Destination {
    /// The signature's path for `file`.
    pub fn for_file(&self, file: &Path) -> PathBuf {
        let sig_name = format!("{}.sig", file_name(file));
        match self {
            Destination::Beside => file.with_file_name(sig_name),
            Destination::Folder(dir) => dir.join(sig_name),
            Destination::File(path) => path.clone(),
        }
    }
}

/// Why one file of several was not signed (the others go on).
#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    /// The file could not be read to the end.
    #[error("the file could not be read: {0}")]
    Unreadable(#[source] std::io::Error),
    /// The key refused to sign.
    #[error(transparent)]
    NotSigned(#[from] kep_pki::cms_signature::CmsError),
    /// The signature could not be written there.
    #[error("the signature could not be written: {0}")]
    NotWritten(#[source] std::io::Error),
}

/// What became of one file.
#[derive(Debug)]
pub struct FileSigned {
    /// Where its signature was written.
    pub signature: PathBuf,
    /// Whether a signature of that name was replaced.
    pub replaced: bool,
}

/// How often progress is told while a file is read.
const PROGRESS_EVERY: u64 = 4 * 1024 * 1024;

/// The key that signs, its certificate and the CA certificates carried with it.
pub struct Signing<'a> {
    /// The key.
    pub signer: &'a dyn KeySigner,
    /// Its certificate, DER.
    pub certificate: &'a [u8],
    /// The CA certificates between it and its root, DER.
    pub issuers: &'a [Vec<u8>],
}

impl std::fmt::Debug for Signing<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signing")
            .field("algorithm", &self.signer.algorithm())
            .field("issuers", &self.issuers.len())
            .finish_non_exhaustive()
    }
}

/// Signs `file` with `signing` at `now`, writing the signature to `target` in `encoding`;
/// `progress` hears the bytes read so far.
pub fn sign_file(
    file: &Path,
    target: &Path,
    signing: &Signing<'_>,
    encoding: SignatureEncoding,
    now: SystemTime,
    progress: &mut dyn FnMut(u64),
) -> Result<FileSigned, FileProblem> {
    let reader = std::fs::File::open(file).map_err(FileProblem::Unreadable)?;
    let mut told = 0u64;
    let digest = digest_reader(signing.signer.algorithm(), reader, |read| {
        if read - told >= PROGRESS_EVERY {
            told = read;
            progress(read);
        }
    })
    .map_err(FileProblem::Unreadable)?;
    let cms = sign_detached_digest(
        &digest,
        signing.signer,
        signing.certificate,
        signing.issuers,
        now,
    )?;
    // A key that is not the certificate's (a token whose objects were mixed up) would make a
    // signature nobody can check: check it here, before anything is written.
    SignedMessage::parse(&cms)?.verify(&digest, SignaturePolicy::CadesBes)?;
    let replaced = target.exists();
    write_whole(target, &signature_file::encode(&cms, encoding))
        .map_err(FileProblem::NotWritten)?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(told);
    progress(size.max(told));
    Ok(FileSigned {
        signature: target.to_owned(),
        replaced,
    })
}

/// Writes `bytes` to `path` through a temporary file beside it, so a reader never sees half a
/// signature and a failure leaves any earlier one in place. The signature is meant to be sent:
/// it gets the permissions any new file gets (not the key store's owner-only ones).
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".").suffix(".sig.part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Masked by the umask, as File::create's 0o666 is.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn destinations_name_the_signature_after_the_file() {
        let file = Path::new("/home/user/Документы/отчёт.pdf");
        assert_eq!(
            Destination::Beside.for_file(file),
            Path::new("/home/user/Документы/отчёт.pdf.sig")
        );
        assert_eq!(
            Destination::Folder("/tmp/out".into()).for_file(file),
            Path::new("/tmp/out/отчёт.pdf.sig")
        );
        assert_eq!(
            Destination::File("/tmp/x.p7s".into()).for_file(file),
            Path::new("/tmp/x.p7s")
        );
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("kep-write-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("missing-folder").join("a.sig");
        assert!(write_whole(&target, b"x").is_err());
        write_whole(&dir.join("a.sig"), b"first").unwrap();
        write_whole(&dir.join("a.sig"), b"second").unwrap();
        assert_eq!(std::fs::read(dir.join("a.sig")).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        // Permissions as any new file's (the umask's), not owner-only.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::File::create(dir.join("plain")).unwrap();
            let mode = |name: &str| {
                std::fs::metadata(dir.join(name))
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777
            };
            assert_eq!(mode("a.sig"), mode("plain"));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
