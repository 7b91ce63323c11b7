//! The files dropped onto the window (or chosen) to sign or to check: the backend keeps their
//! paths, the UI sees an opaque id, the name, the size and whether the file reads as a
//! signature. Memory only: nothing about them is written anywhere.

use super::signature_file;
use crate::pending_files::new_id;
use kep_protocol::file_signatures::ChosenFile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The chosen files, by id.
#[derive(Debug, Default)]
pub struct ChosenFiles {
    entries: HashMap<String, (PathBuf, ChosenFile)>,
}

impl ChosenFiles {
    /// Adds the regular files among `paths` (folders and what cannot be read are left out);
    /// answers what was added. A file added again keeps its id.
    pub fn add(&mut self, paths: Vec<PathBuf>) -> Vec<ChosenFile> {
        let mut added = Vec::new();
        for path in paths {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            if !meta.is_file() {
                continue;
            }
            if let Some((_, file)) = self.entries.values().find(|(p, _)| *p == path) {
                added.push(file.clone());
                continue;
            }
            let Some(id) = new_id() else { continue };
            let file = ChosenFile {
                id: id.clone(),
                name: file_name(&path),
                size: meta.len(),
                is_signature: signature_file::looks_like_signature(&path),
            };
            self.entries.insert(id, (path, file.clone()));
            added.push(file);
        }
        added
    }

    /// Every file chosen, by name.
    pub fn list(&self) -> Vec<ChosenFile> {
        let mut files: Vec<ChosenFile> = self.entries.values().map(|(_, f)| f.clone()).collect();
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files
    }

    /// The path and description of `id`.
    pub fn get(&self, id: &str) -> Option<(PathBuf, ChosenFile)> {
        self.entries.get(id).cloned()
    }

    /// Forgets `id` (the file itself is untouched).
    pub fn remove(&mut self, id: &str) {
        self.entries.remove(id);
    }

    /// Forgets them all.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// The file's name as people see it.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn files_are_kept_once_and_folders_left_out() {
        let dir = std::env::temp_dir().join(format!("kep-chosen-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("договор.pdf");
        std::fs::write(&file, b"%PDF-1.7 test").unwrap();
        let mut chosen = ChosenFiles::default();
        let first = chosen.add(vec![file.clone(), dir.clone(), dir.join("missing")]);
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].name, "договор.pdf");
        assert_eq!(first[0].size, 13);
        assert!(!first[0].is_signature);
        let again = chosen.add(vec![file.clone()]);
        assert_eq!(again[0].id, first[0].id);
        assert_eq!(chosen.list().len(), 1);
        chosen.remove(&first[0].id);
        assert!(chosen.get(&first[0].id).is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
