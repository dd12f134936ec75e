//! What an import would change in the directory: new, changed (with the fields), unchanged and
//! missing records, keyed by credit code (objects) or employee number (inspectors).
//!
//! Every list is in ascending key order (byte order of the key text), so the preview is the
//! same on every machine whatever order the file or the database had.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::fields::Field;
use super::rows::DirectoryRow;

/// One record present in both, with different values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change<R, F> {
    pub before: R,
    pub after: R,
    /// The fields that differ, in [`Field::ALL`] order.
    pub fields: Vec<F>,
}

/// The difference between the directory and an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryDiff<R, F> {
    /// In the file, not in the directory.
    pub new: Vec<R>,
    pub changed: Vec<Change<R, F>>,
    /// Keys of records identical in both.
    pub unchanged: Vec<String>,
    /// In the directory, not in the file. An import never deletes them; the interface may
    /// offer to mark them 注销.
    pub missing: Vec<R>,
}

/// Counts for the preview header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffSummary {
    pub new: u32,
    pub changed: u32,
    pub unchanged: u32,
    pub missing: u32,
    /// Changed records whose status change is a reversal (停产 → 在产, 注销 → anything).
    #[serde(default)]
    pub reversals: u32,
}

impl<R, F> DirectoryDiff<R, F> {
    pub fn summary(&self) -> DiffSummary {
        DiffSummary {
            new: self.new.len() as u32,
            changed: self.changed.len() as u32,
            unchanged: self.unchanged.len() as u32,
            missing: self.missing.len() as u32,
            reversals: 0,
        }
    }
}

/// Compares `imported` with `current`. Keys are expected to be unique on both sides (the
/// validation and the database guarantee it); should one repeat, its first record counts.
pub fn diff_directory<R: DirectoryRow>(
    current: &[R],
    imported: &[R],
) -> DirectoryDiff<R, R::Field> {
    let mut before: BTreeMap<&str, &R> = BTreeMap::new();
    for row in current {
        before.entry(row.key()).or_insert(row);
    }
    let mut after: BTreeMap<&str, &R> = BTreeMap::new();
    for row in imported {
        after.entry(row.key()).or_insert(row);
    }
    let mut diff = DirectoryDiff {
        new: Vec::new(),
        changed: Vec::new(),
        unchanged: Vec::new(),
        missing: Vec::new(),
    };
    for (key, row) in &after {
        match before.get(key) {
            None => diff.new.push((*row).clone()),
            Some(old) => {
                let fields: Vec<R::Field> = R::Field::ALL
                    .iter()
                    .zip(old.cells().into_iter().zip(row.cells()))
                    .filter(|(_, (a, b))| a != b)
                    .map(|(field, _)| *field)
                    .collect();
                if fields.is_empty() {
                    diff.unchanged.push((*key).to_owned());
                } else {
                    diff.changed.push(Change {
                        before: (*old).clone(),
                        after: (*row).clone(),
                        fields,
                    });
                }
            }
        }
    }
    for (key, row) in &before {
        if !after.contains_key(key) {
            diff.missing.push((*row).clone());
        }
    }
    diff
}
