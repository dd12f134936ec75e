//! Identifiers and small validated values used by the draw engine.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::DrawInputError;

/// Identifier of an inspection object (检查对象) in the directory. Positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ObjectId(i64);

/// Identifier of an inspector (执法检查人员) in the directory. Positive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InspectorId(i64);

macro_rules! positive_id {
    ($name:ident, $what:literal) => {
        impl $name {
            /// Checks that the raw value is positive.
            pub fn new(raw: i64) -> Result<Self, DrawInputError> {
                if raw > 0 {
                    Ok(Self(raw))
                } else {
                    Err(DrawInputError::NonPositiveId {
                        kind: $what,
                        value: raw,
                    })
                }
            }

            /// The raw database value.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    };
}

positive_id!(ObjectId, "object");
positive_id!(InspectorId, "inspector");

/// Code of a bureau section (科室), e.g. `water`. 1–64 bytes of `[a-z0-9_-]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SectionId(String);

/// A specialty of an inspector, also required by checklist items (e.g. `radiation`).
/// 1–64 bytes of `[a-z0-9_-]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Specialty(String);

/// Name of a stratum inside a section's spec, e.g. `key`. 1–64 bytes of `[a-z0-9_-]`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StratumName(String);

/// Whether `code` is a valid short code: 1–64 bytes of `[a-z0-9_-]`.
pub(crate) fn is_valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

macro_rules! code_id {
    ($name:ident, $what:literal) => {
        impl $name {
            /// Checks the code syntax: 1–64 bytes of `[a-z0-9_-]`.
            pub fn new(code: impl Into<String>) -> Result<Self, DrawInputError> {
                let code = code.into();
                if is_valid_code(&code) {
                    Ok(Self(code))
                } else {
                    Err(DrawInputError::InvalidCode {
                        kind: $what,
                        value: code,
                    })
                }
            }

            /// The code as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_id!(SectionId, "section");
code_id!(Specialty, "specialty");
code_id!(StratumName, "stratum");

/// Version of the draw algorithm. Every version ever released stays runnable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AlgorithmVersion(u32);

impl AlgorithmVersion {
    /// The first version, specified in `docs/draw-algorithm.md`.
    pub const V1: AlgorithmVersion = AlgorithmVersion(1);
    /// The version new draws use.
    pub const CURRENT: AlgorithmVersion = AlgorithmVersion::V1;
    /// All versions this build can run.
    pub const SUPPORTED: [AlgorithmVersion; 1] = [AlgorithmVersion::V1];

    /// Accepts only versions this build can run.
    pub fn new(raw: u32) -> Result<Self, DrawInputError> {
        let version = AlgorithmVersion(raw);
        if Self::SUPPORTED.contains(&version) {
            Ok(version)
        } else {
            Err(DrawInputError::UnsupportedAlgorithmVersion(raw))
        }
    }

    /// The raw number.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl fmt::Display for AlgorithmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A 32-byte value (hash or seed) written on the wire as 64 lowercase hex digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Digest32(pub [u8; 32]);

impl Digest32 {
    /// Parses exactly 64 lowercase hex digits.
    pub fn from_hex(text: &str) -> Result<Self, DrawInputError> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return Err(DrawInputError::InvalidHex(text.to_owned()));
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks_exact(2).enumerate() {
            let hi =
                hex_value(pair[0]).ok_or_else(|| DrawInputError::InvalidHex(text.to_owned()))?;
            let lo =
                hex_value(pair[1]).ok_or_else(|| DrawInputError::InvalidHex(text.to_owned()))?;
            out[i] = (hi << 4) | lo;
        }
        Ok(Digest32(out))
    }

    /// The 64 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(64);
        for byte in self.0 {
            out.push(DIGITS[usize::from(byte >> 4)] as char);
            out.push(DIGITS[usize::from(byte & 0x0f)] as char);
        }
        out
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

impl fmt::Display for Digest32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Digest32 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest32({})", self.to_hex())
    }
}

impl Serialize for Digest32 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Digest32 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Digest32::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_uppercase() {
        let digest = Digest32([0xab; 32]);
        assert_eq!(Digest32::from_hex(&digest.to_hex()), Ok(digest));
        assert!(Digest32::from_hex(&digest.to_hex().to_uppercase()).is_err());
        assert!(Digest32::from_hex("ab").is_err());
    }

    #[test]
    fn ids_and_codes_validate() {
        assert!(ObjectId::new(0).is_err());
        assert_eq!(ObjectId::new(7).map(ObjectId::get), Ok(7));
        assert!(SectionId::new("Water").is_err());
        assert!(SectionId::new("water_2").is_ok());
        assert!(AlgorithmVersion::new(99).is_err());
    }
}
