//! Encryption of ID numbers at rest (AES-256-GCM) and a keyed hash of them, so
//! duplicates can be found without decrypting every row.

use std::path::Path;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "v1:";

pub struct Crypto {
    cipher: Aes256Gcm,
    hash_key: [u8; 32],
    fingerprint: String,
}

/// How the key was obtained, so the caller can warn about a fresh one.
#[derive(Debug, PartialEq, Eq)]
pub enum KeySource {
    Configured,
    File,
    Generated,
}

impl Crypto {
    /// `key_b64` is 32 bytes in base64.
    pub fn from_base64(key_b64: &str) -> Result<Crypto, String> {
        let key = B64.decode(key_b64.trim()).map_err(|e| format!("secret key is not base64: {e}"))?;
        let key: [u8; 32] = key.try_into().map_err(|_| "secret key must be 32 bytes".to_string())?;
        // Separate keys for the cipher and the hash, both derived from the one secret.
        let hash_key: [u8; 32] = Sha256::new().chain_update(b"tongxing-id-hash").chain_update(key).finalize().into();
        let fingerprint = hex::encode(&Sha256::new().chain_update(b"tongxing-fingerprint").chain_update(key).finalize()[..8]);
        Ok(Crypto { cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)), hash_key, fingerprint })
    }

    /// The configured key, else `<data_dir>/secret.key`, else a new key written there.
    pub fn load_or_create(configured: Option<&str>, data_dir: &Path) -> Result<(Crypto, KeySource), String> {
        if let Some(k) = configured.filter(|k| !k.trim().is_empty()) {
            return Ok((Crypto::from_base64(k)?, KeySource::Configured));
        }
        let path = data_dir.join("secret.key");
        if path.exists() {
            let k = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            return Ok((Crypto::from_base64(&k)?, KeySource::File));
        }
        std::fs::create_dir_all(data_dir).map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        let k = generate_key();
        write_private(&path, &k)?;
        Ok((Crypto::from_base64(&k)?, KeySource::Generated))
    }

    pub fn encrypt(&self, plain: &str) -> String {
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let ct = self.cipher.encrypt(&nonce, plain.as_bytes()).expect("AES-GCM encryption of a short text cannot fail");
        let mut buf = nonce.to_vec();
        buf.extend(ct);
        format!("{PREFIX}{}", B64.encode(buf))
    }

    /// `None` when the text was encrypted with another key or is damaged.
    pub fn decrypt(&self, stored: &str) -> Option<String> {
        let buf = B64.decode(stored.strip_prefix(PREFIX)?).ok()?;
        if buf.len() < 12 {
            return None;
        }
        let (nonce, ct) = buf.split_at(12);
        let plain = self.cipher.decrypt(Nonce::from_slice(nonce), ct).ok()?;
        String::from_utf8(plain).ok()
    }

    pub fn keyed_hash(&self, value: &str) -> String {
        hex::encode(Sha256::new().chain_update(self.hash_key).chain_update(value.as_bytes()).finalize())
    }

    /// Identifies the key without revealing it (stored in dumps).
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

pub fn generate_key() -> String {
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    B64.encode(key)
}

fn write_private(path: &Path, content: &str) -> Result<(), String> {
    std::fs::write(path, content).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encryption_round_trips_and_differs_each_time() {
        let c = Crypto::from_base64(&generate_key()).unwrap();
        let a = c.encrypt("11010519491231002X");
        assert_ne!(a, c.encrypt("11010519491231002X"));
        assert_eq!(c.decrypt(&a).as_deref(), Some("11010519491231002X"));
        let other = Crypto::from_base64(&generate_key()).unwrap();
        assert_eq!(other.decrypt(&a), None);
        assert_eq!(c.keyed_hash("x"), c.keyed_hash("x"));
        assert_ne!(c.keyed_hash("x"), other.keyed_hash("x"));
    }

    #[test]
    fn a_new_key_is_written_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("tx-key-{}", std::process::id()));
        let (_, first) = Crypto::load_or_create(None, &dir).unwrap();
        let (_, second) = Crypto::load_or_create(None, &dir).unwrap();
        assert_eq!((first, second), (KeySource::Generated, KeySource::File));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
