//! The unified social credit code (统一社会信用代码), GB 32100-2015.
//!
//! Eighteen characters from the 31-character alphabet `0-9A-HJ-NPQRTUWXY` (no I, O, Z, S, V).
//! The last character is a check character: with the character values `0..=30` in alphabet order
//! and the weights `3^(i) mod 31` for positions 1 to 17, the check value is
//! `31 - (Σ value × weight) mod 31`, where 31 becomes 0.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The code alphabet, in value order: `'0'` is 0, `'A'` is 10, `'Y'` is 30.
pub const CREDIT_CODE_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The weights of positions 1 to 17 (3^i mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A unified social credit code whose characters and check character are valid.
///
/// Always 18 ASCII characters, upper case. Serialized as that string; deserializing validates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Why a text is not a unified social credit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("a credit code has 18 characters, this one has {0}")]
    WrongLength(usize),
    #[error("character {character:?} at position {position} is not in 0-9A-HJ-NPQRTUWXY")]
    InvalidCharacter { position: u8, character: char },
    #[error("the check character is {found}, expected {expected}")]
    CheckCharacterMismatch { expected: char, found: char },
}

impl CreditCodeError {
    /// The reason in Chinese, for import messages.
    pub fn message_zh(&self) -> String {
        match self {
            CreditCodeError::WrongLength(length) => {
                format!("统一社会信用代码应为 18 位，实为 {length} 位")
            }
            CreditCodeError::InvalidCharacter {
                position,
                character,
            } => format!(
                "第 {position} 位字符“{character}”不允许（只能是数字和除 I、O、Z、S、V 以外的大写字母）"
            ),
            CreditCodeError::CheckCharacterMismatch { expected, found } => {
                format!("校验位错误：末位为“{found}”，按 GB 32100-2015 应为“{expected}”")
            }
        }
    }
}

fn value_of(byte: u8) -> Option<u32> {
    CREDIT_CODE_ALPHABET
        .iter()
        .position(|&candidate| candidate == byte)
        .map(|index| index as u32)
}

/// Full-width ASCII (as typed with a Chinese input method) to half-width, then upper case.
fn normalize_char(character: char) -> char {
    let half = match character {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(character as u32 - 0xFEE0).unwrap_or(character),
        other => other,
    };
    half.to_ascii_uppercase()
}

fn check_value(first17: &[u8]) -> Result<u32, CreditCodeError> {
    let mut sum = 0u32;
    for (index, (&byte, weight)) in first17.iter().zip(WEIGHTS).enumerate() {
        let value = value_of(byte).ok_or(CreditCodeError::InvalidCharacter {
            position: index as u8 + 1,
            character: char::from(byte),
        })?;
        sum += value * weight;
    }
    Ok((31 - sum % 31) % 31)
}

impl CreditCode {
    /// Validates a code. Surrounding white space is ignored, and full-width or lower-case
    /// letters and digits are accepted and normalized; everything else must be exact.
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let normalized: String = input.trim().chars().map(normalize_char).collect();
        let length = normalized.chars().count();
        if length != 18 {
            return Err(CreditCodeError::WrongLength(length));
        }
        for (index, character) in normalized.chars().enumerate() {
            let allowed = character.is_ascii() && value_of(character as u8).is_some();
            if !allowed {
                return Err(CreditCodeError::InvalidCharacter {
                    position: index as u8 + 1,
                    character,
                });
            }
        }
        let bytes = normalized.as_bytes();
        let expected = CREDIT_CODE_ALPHABET[check_value(&bytes[..17])? as usize];
        if bytes[17] != expected {
            return Err(CreditCodeError::CheckCharacterMismatch {
                expected: char::from(expected),
                found: char::from(bytes[17]),
            });
        }
        Ok(CreditCode(normalized))
    }

    /// Completes the first 17 characters with their check character (for generated data).
    pub fn with_check_character(first17: &str) -> Result<CreditCode, CreditCodeError> {
        let length = first17.chars().count();
        if length != 17 || !first17.is_ascii() {
            return Err(CreditCodeError::WrongLength(length + 1));
        }
        let check = CREDIT_CODE_ALPHABET[check_value(first17.as_bytes())? as usize];
        Ok(CreditCode(format!("{first17}{}", char::from(check))))
    }

    /// The 18 characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(value: String) -> Result<CreditCode, CreditCodeError> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.0
    }
}

/// The GB 11714 check character of an 8-character organization code body (digits and upper-case
/// letters, A = 10 … Z = 35): `11 - Σ value × weight mod 11`, 10 → `X`, 11 → `0`. Positions 9 to
/// 17 of a credit code are such a code; the demo generator uses this to look real. Returns
/// `None` for other input.
pub fn organization_code_check(body: &str) -> Option<char> {
    const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    if body.len() != 8 {
        return None;
    }
    let mut sum = 0;
    for (byte, weight) in body.bytes().zip(ORG_WEIGHTS) {
        let value = match byte {
            b'0'..=b'9' => u32::from(byte - b'0'),
            b'A'..=b'Z' => u32::from(byte - b'A') + 10,
            _ => return None,
        };
        sum += value * weight;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from(b'0' + digit as u8),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // The weights are 3^(i-1) mod 31, as the standard defines them.
    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut power = 1;
        for weight in WEIGHTS {
            assert_eq!(weight, power);
            power = power * 3 % 31;
        }
    }
}
