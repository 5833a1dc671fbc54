//! Signed policy packs: a policy set and the exact components it pins,
//! travelling from the security team to CI as one file.
//!
//! `build` packs the policy file and every pinned component (base64) into a
//! JSON document; `sign` wraps it in a DSSE envelope (same keys as
//! attestations). `open` refuses, when a trust store is configured, any
//! pack that is unsigned, signed by an untrusted key, modified, or whose
//! signature was stripped (the OPA bypass GHSA-g2pf-6v5v-qcc8 was exactly an
//! unsigned pack accepted where a signed one was required).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::attest::{
    decode_base64, encode_base64, sign_envelope, verify_signatures, AttestError, Envelope,
    SigningKey, TrustStore,
};
use crate::digest::sha256_hex;
use crate::policy::{PluginEntry, PolicyError, PolicySet};

/// `mediaType` of a policy pack, and the DSSE `payloadType` of a signed one.
pub const MEDIA_TYPE: &str = "application/vnd.assay.policy-pack.v1+json";

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PackFile {
    media_type: String,
    policy: PolicyPart,
    components: Vec<ComponentPart>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PolicyPart {
    file_name: String,
    sha256: String,
    toml: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ComponentPart {
    name: String,
    sha256: String,
    data: String,
}

/// Who signed a policy pack, as recorded in attestations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackSigner {
    /// Name in the trust store.
    pub name: String,
    /// Key id.
    pub key_id: String,
}

/// A policy pack's identity, as recorded in reports and attestations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackRef {
    /// sha256 of the pack document (the signed payload).
    pub sha256: String,
    /// The verified signer; absent when no trust store was configured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<PackSigner>,
}

/// An opened (and, with a trust store, verified) policy pack.
#[derive(Debug, Clone)]
pub struct OpenedPack {
    /// The policy set inside.
    pub policy: PolicySet,
    /// Components by sha256.
    pub components: BTreeMap<String, Vec<u8>>,
    /// Digest and signer.
    pub reference: PackRef,
}

/// Everything that can be wrong with a policy pack.
#[derive(Debug, thiserror::Error)]
pub enum PolicyPackError {
    /// The file could not be read.
    #[error("cannot read policy pack `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Not a policy pack or a signed one.
    #[error("`{}` is not a policy pack: {problem}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A trust store is configured but the pack carries no signature.
    #[error("policy pack `{}` is not signed, but a trust store is configured, so only signed packs are accepted", path.display())]
    Unsigned {
        /// The file.
        path: PathBuf,
    },
    /// The signature does not verify with a trusted key.
    #[error("policy pack `{}`: {source}", path.display())]
    Signature {
        /// The file.
        path: PathBuf,
        /// Why.
        source: AttestError,
    },
    /// A component's bytes do not match its recorded digest.
    #[error("policy pack `{}`: component `{name}` does not match its sha256", path.display())]
    Tampered {
        /// The file.
        path: PathBuf,
        /// The component.
        name: String,
    },
    /// A plugin pin has no component in the pack.
    #[error("policy pack `{}`: no component for `plugin[{index}]` (pin {sha256})", path.display())]
    MissingComponent {
        /// The file.
        path: PathBuf,
        /// Plugin index.
        index: usize,
        /// The pin.
        sha256: String,
    },
    /// The policy set inside is invalid, or a component could not be read
    /// while building.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// Writing the output failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Packs the policy set at `policy_path` and every component it pins.
/// Components are read through their pins, so a stale pin fails the build.
pub fn build(policy_path: &Path) -> Result<Vec<u8>, PolicyPackError> {
    let toml_bytes = std::fs::read(policy_path).map_err(|source| PolicyPackError::Read {
        path: policy_path.to_path_buf(),
        source,
    })?;
    let policy = PolicySet::from_bytes(policy_path, &toml_bytes)?;
    let toml = String::from_utf8(toml_bytes).map_err(|e| PolicyPackError::Format {
        path: policy_path.to_path_buf(),
        problem: e.to_string(),
    })?;
    let mut components: BTreeMap<String, ComponentPart> = BTreeMap::new();
    for entry in &policy.plugins {
        let bytes = entry.read_pinned(&policy.path)?;
        let name = entry
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        components
            .entry(entry.sha256.clone())
            .or_insert(ComponentPart {
                name,
                sha256: entry.sha256.clone(),
                data: encode_base64(&bytes),
            });
    }
    let file = PackFile {
        media_type: MEDIA_TYPE.into(),
        policy: PolicyPart {
            file_name: policy_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: policy.sha256.clone(),
            toml,
        },
        components: components.into_values().collect(),
    };
    let mut out = serde_json::to_vec_pretty(&file).map_err(|e| PolicyPackError::Format {
        path: policy_path.to_path_buf(),
        problem: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}

/// Signs a policy pack document: a DSSE envelope whose payload is the
/// pack itself, so the signed file is self-contained.
pub fn sign(path: &Path, pack: &[u8], key: &SigningKey) -> Result<Envelope, PolicyPackError> {
    // Parse first: signing something that is not a pack helps nobody.
    parse(path, pack)?;
    Ok(sign_envelope(key, MEDIA_TYPE, pack))
}

/// Opens a policy pack, signed or not. With `trust`, it must carry a
/// signature by a trusted key that is valid `now`; without, a signature is
/// not checked (the caller should warn).
pub fn open(
    path: &Path,
    trust: Option<&TrustStore>,
    now: OffsetDateTime,
) -> Result<OpenedPack, PolicyPackError> {
    let bytes = std::fs::read(path).map_err(|source| PolicyPackError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    open_bytes(path, &bytes, trust, now)
}

/// [`open`] on bytes already read; `path` is named in errors and is where
/// the pack's policy set is said to come from.
pub fn open_bytes(
    path: &Path,
    bytes: &[u8],
    trust: Option<&TrustStore>,
    now: OffsetDateTime,
) -> Result<OpenedPack, PolicyPackError> {
    let value = crate::strict_json::parse(bytes).map_err(|e| PolicyPackError::Format {
        path: path.to_path_buf(),
        problem: e.to_string(),
    })?;
    let signed = value.get("payloadType").is_some();
    let (payload, signer) = if signed {
        let envelope =
            Envelope::from_json_slice(bytes).map_err(|source| PolicyPackError::Signature {
                path: path.to_path_buf(),
                source,
            })?;
        match trust {
            Some(trust) => {
                let sig_err = |source| PolicyPackError::Signature {
                    path: path.to_path_buf(),
                    source,
                };
                let verified = verify_signatures(&envelope, trust, MEDIA_TYPE)
                    .map_err(sig_err)?
                    .accept_at(now)
                    .map_err(sig_err)?;
                let signer = PackSigner {
                    name: verified.key_name().to_string(),
                    key_id: verified.key_id().as_str().to_string(),
                };
                (verified.into_payload(), Some(signer))
            }
            None => {
                if envelope.payload_type != MEDIA_TYPE {
                    return Err(PolicyPackError::Format {
                        path: path.to_path_buf(),
                        problem: format!(
                            "payloadType is `{}`, expected `{MEDIA_TYPE}`",
                            envelope.payload_type
                        ),
                    });
                }
                let payload =
                    decode_base64(&envelope.payload).map_err(|e| PolicyPackError::Format {
                        path: path.to_path_buf(),
                        problem: format!("payload is not base64: {e}"),
                    })?;
                (payload, None)
            }
        }
    } else {
        if trust.is_some() {
            return Err(PolicyPackError::Unsigned {
                path: path.to_path_buf(),
            });
        }
        (bytes.to_vec(), None)
    };
    let file = parse(path, &payload)?;
    let mut components = BTreeMap::new();
    for c in &file.components {
        let data = decode_base64(&c.data).map_err(|_| PolicyPackError::Tampered {
            path: path.to_path_buf(),
            name: c.name.clone(),
        })?;
        if sha256_hex(&data) != c.sha256 {
            return Err(PolicyPackError::Tampered {
                path: path.to_path_buf(),
                name: c.name.clone(),
            });
        }
        components.insert(c.sha256.clone(), data);
    }
    if sha256_hex(file.policy.toml.as_bytes()) != file.policy.sha256 {
        return Err(PolicyPackError::Tampered {
            path: path.to_path_buf(),
            name: file.policy.file_name.clone(),
        });
    }
    // Component paths inside the policy resolve against the pack file;
    // they are only used for display, since components come from the pack.
    let virtual_path = path.with_file_name(&file.policy.file_name);
    let policy = PolicySet::from_bytes(&virtual_path, file.policy.toml.as_bytes())?;
    for entry in &policy.plugins {
        if !components.contains_key(&entry.sha256) {
            return Err(PolicyPackError::MissingComponent {
                path: path.to_path_buf(),
                index: entry.index,
                sha256: entry.sha256.clone(),
            });
        }
    }
    Ok(OpenedPack {
        policy,
        components,
        reference: PackRef {
            sha256: sha256_hex(&payload),
            signer,
        },
    })
}

impl OpenedPack {
    /// The component an entry pins.
    pub fn component(&self, entry: &PluginEntry) -> Option<&[u8]> {
        self.components.get(&entry.sha256).map(Vec::as_slice)
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<PackFile, PolicyPackError> {
    let value = crate::strict_json::parse(bytes).map_err(|e| PolicyPackError::Format {
        path: path.to_path_buf(),
        problem: e.to_string(),
    })?;
    let file: PackFile = serde_json::from_value(value).map_err(|e| PolicyPackError::Format {
        path: path.to_path_buf(),
        problem: e.to_string(),
    })?;
    if file.media_type != MEDIA_TYPE {
        return Err(PolicyPackError::Format {
            path: path.to_path_buf(),
            problem: format!(
                "mediaType is `{}`, expected `{MEDIA_TYPE}`",
                file.media_type
            ),
        });
    }
    Ok(file)
}
