//! Where the pseudonym key comes from: the environment or a key file,
//! never the rule files (P9).

use std::path::{Path, PathBuf};

use crate::engine::PseudonymKey;
use crate::engine::pseudonym::ShortKey;

/// The environment variable holding the key itself.
pub const KEY_ENV: &str = "ANONIEM_PSEUDONYM_KEY";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the key file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{origin} is not a usable pseudonym key")]
    Short {
        origin: String,
        #[source]
        source: ShortKey,
    },
}

/// The key from `file` if given, else from `ANONIEM_PSEUDONYM_KEY`, else none.
pub fn load(file: Option<&Path>) -> Result<Option<PseudonymKey>, KeyError> {
    let (secret, origin) = match file {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|source| KeyError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            (bytes, format!("key file {}", path.display()))
        }
        None => match std::env::var_os(KEY_ENV) {
            Some(v) if !v.is_empty() => (v.into_encoded_bytes(), KEY_ENV.to_owned()),
            _ => return Ok(None),
        },
    };
    // A trailing newline from `echo key > file` is not part of the key.
    let secret = secret.trim_ascii_end();
    PseudonymKey::from_secret(secret)
        .map(Some)
        .map_err(|source| KeyError::Short { origin, source })
}
