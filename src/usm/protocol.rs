//! The authentication and privacy protocols USM knows, their parameters
//! and their Net-SNMP spellings.
#![forbid(unsafe_code)]

use std::fmt;
use std::str::FromStr;

use super::error::UsmError;

/// An SNMPv3 USM authentication protocol (a keyed HMAC, truncated).
///
/// * `Md5`: HMAC-MD5-96, RFC 3414 §6.
/// * `Sha1`: HMAC-SHA-96, RFC 3414 §7.
/// * `Sha224` .. `Sha512`: HMAC-SHA-2, RFC 7860 §4 (usmHMAC128SHA224,
///   usmHMAC192SHA256, usmHMAC256SHA384, usmHMAC384SHA512).
///
/// The same hash also drives password-to-key and key localization for
/// the user's privacy key (RFC 3414 §2.6, A.2; RFC 7860 §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuthProtocol {
    /// HMAC-MD5-96 (RFC 3414 §6).
    Md5,
    /// HMAC-SHA-96 (RFC 3414 §7).
    Sha1,
    /// HMAC-SHA-224 truncated to 128 bits (RFC 7860 §4.1).
    Sha224,
    /// HMAC-SHA-256 truncated to 192 bits (RFC 7860 §4.1).
    Sha256,
    /// HMAC-SHA-384 truncated to 256 bits (RFC 7860 §4.1).
    Sha384,
    /// HMAC-SHA-512 truncated to 384 bits (RFC 7860 §4.1).
    Sha512,
}

impl AuthProtocol {
    /// Every authentication protocol, weakest first.
    pub const ALL: [AuthProtocol; 6] = [
        AuthProtocol::Md5,
        AuthProtocol::Sha1,
        AuthProtocol::Sha224,
        AuthProtocol::Sha256,
        AuthProtocol::Sha384,
        AuthProtocol::Sha512,
    ];

    /// Octets of MAC carried in msgAuthenticationParameters: 12 for
    /// HMAC-MD5-96 and HMAC-SHA-96 (RFC 3414 §6.3.1 step 3, §7.3.1 step 3),
    /// 16/24/32/48 for the SHA-2 family (RFC 7860 §4.1).
    pub const fn mac_len(self) -> usize {
        match self {
            AuthProtocol::Md5 | AuthProtocol::Sha1 => 12,
            AuthProtocol::Sha224 => 16,
            AuthProtocol::Sha256 => 24,
            AuthProtocol::Sha384 => 32,
            AuthProtocol::Sha512 => 48,
        }
    }

    /// Octets of the master key Ku and the localized key Kul: the full
    /// digest length (RFC 3414 §6.1 and §7.1: 16 and 20; RFC 7860 §4.1:
    /// 28, 32, 48, 64).
    pub const fn key_len(self) -> usize {
        match self {
            AuthProtocol::Md5 => 16,
            AuthProtocol::Sha1 => 20,
            AuthProtocol::Sha224 => 28,
            AuthProtocol::Sha256 => 32,
            AuthProtocol::Sha384 => 48,
            AuthProtocol::Sha512 => 64,
        }
    }

    /// The protocol's OBJECT IDENTIFIER (RFC 3414 §5 SNMP-USER-BASED-SM-MIB
    /// and RFC 7860 §5 SNMP-USM-HMAC-SHA2-MIB).
    pub const fn oid(self) -> &'static [u32] {
        match self {
            AuthProtocol::Md5 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 2],
            AuthProtocol::Sha1 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 3],
            AuthProtocol::Sha224 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 4],
            AuthProtocol::Sha256 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 5],
            AuthProtocol::Sha384 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 6],
            AuthProtocol::Sha512 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 7],
        }
    }

    /// Net-SNMP's canonical name (what `snmpget -a` documents).
    pub const fn name(self) -> &'static str {
        match self {
            AuthProtocol::Md5 => "MD5",
            AuthProtocol::Sha1 => "SHA",
            AuthProtocol::Sha224 => "SHA-224",
            AuthProtocol::Sha256 => "SHA-256",
            AuthProtocol::Sha384 => "SHA-384",
            AuthProtocol::Sha512 => "SHA-512",
        }
    }
}

impl fmt::Display for AuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AuthProtocol {
    type Err = UsmError;

    /// Accepts Net-SNMP's spellings (`-a`), case-insensitively: `MD5`,
    /// `SHA`/`SHA1`/`SHA-1`, `SHA-224`/`SHA224`, `SHA-256`/`SHA256`,
    /// `SHA-384`/`SHA384`, `SHA-512`/`SHA512`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let p = match s.to_ascii_uppercase().as_str() {
            "MD5" => AuthProtocol::Md5,
            "SHA" | "SHA1" | "SHA-1" => AuthProtocol::Sha1,
            "SHA-224" | "SHA224" => AuthProtocol::Sha224,
            "SHA-256" | "SHA256" => AuthProtocol::Sha256,
            "SHA-384" | "SHA384" => AuthProtocol::Sha384,
            "SHA-512" | "SHA512" => AuthProtocol::Sha512,
            _ => return Err(UsmError::UnknownProtocol(s.to_owned())),
        };
        Ok(p)
    }
}

/// How a localized key that is shorter than a cipher needs is lengthened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyExtension {
    /// draft-blumenthal-aes-usm-04 §3.1.2.1: `Kul = Kul || H(Kul)`, repeated
    /// (each round hashes everything accumulated so far).
    Blumenthal,
    /// draft-reeder-snmpv3-usm-3desede-00 §2.1 (also Cisco's AES-192/256
    /// and Net-SNMP's `-C` variants): `Kul = Kul || localize(P2K(Kul))`,
    /// i.e. the accumulated key is run through password-to-key as if it
    /// were a pass phrase, then localized to the same engine, and appended.
    Reeder,
}

/// An SNMPv3 USM privacy protocol (a cipher, its mode and key derivation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrivProtocol {
    /// CBC-DES (RFC 3414 §8): 8-octet key + 8-octet pre-IV.
    Des,
    /// AES-128 in CFB128 mode (RFC 3826 §3).
    Aes128,
    /// AES-192-CFB128 with Blumenthal key extension
    /// (draft-blumenthal-aes-usm-04; Net-SNMP `AES-192`).
    Aes192,
    /// AES-256-CFB128 with Blumenthal key extension
    /// (draft-blumenthal-aes-usm-04; Net-SNMP `AES-256`).
    Aes256,
    /// AES-192-CFB128 with Reeder key extension (Cisco; Net-SNMP
    /// `AES-192-C`).
    Aes192C,
    /// AES-256-CFB128 with Reeder key extension (Cisco; Net-SNMP
    /// `AES-256-C`).
    Aes256C,
    /// 3DES-EDE in "outside" CBC mode (draft-reeder-snmpv3-usm-3desede-00
    /// §5): 24-octet key + 8-octet pre-IV, Reeder key extension.
    TripleDes,
}

impl PrivProtocol {
    /// Every privacy protocol.
    pub const ALL: [PrivProtocol; 7] = [
        PrivProtocol::Des,
        PrivProtocol::Aes128,
        PrivProtocol::Aes192,
        PrivProtocol::Aes256,
        PrivProtocol::Aes192C,
        PrivProtocol::Aes256C,
        PrivProtocol::TripleDes,
    ];

    /// Octets of localized key material the protocol consumes: cipher key
    /// plus, for the CBC protocols, the pre-IV. DES 16 (RFC 3414
    /// §8.1.1.1), AES-128 16 (RFC 3826 §3.1.2.1), AES-192 24, AES-256 32
    /// (draft-blumenthal-aes-usm-04 §3.1.2.1), 3DES 32 (Reeder draft
    /// §5.1.1.1).
    pub const fn key_material_len(self) -> usize {
        match self {
            PrivProtocol::Des | PrivProtocol::Aes128 => 16,
            PrivProtocol::Aes192 | PrivProtocol::Aes192C => 24,
            PrivProtocol::Aes256 | PrivProtocol::Aes256C | PrivProtocol::TripleDes => 32,
        }
    }

    /// Octets of the cipher key proper (without the pre-IV).
    pub const fn cipher_key_len(self) -> usize {
        match self {
            PrivProtocol::Des => 8,
            PrivProtocol::Aes128 => 16,
            PrivProtocol::Aes192 | PrivProtocol::Aes192C | PrivProtocol::TripleDes => 24,
            PrivProtocol::Aes256 | PrivProtocol::Aes256C => 32,
        }
    }

    /// Octets of msgPrivacyParameters (the salt): 8 for every protocol
    /// (RFC 3414 §8.1.1.1, RFC 3826 §3.1.2.1).
    pub const fn priv_params_len(self) -> usize {
        8
    }

    /// True for the CBC protocols, whose ciphertext is a whole number of
    /// 8-octet blocks (RFC 3414 §8.3.2 step 2).
    pub const fn is_cbc(self) -> bool {
        matches!(self, PrivProtocol::Des | PrivProtocol::TripleDes)
    }

    /// Which extension lengthens a localized key that is too short for
    /// this protocol, if any. DES and AES-128 never need one (every hash
    /// gives at least 16 octets).
    pub const fn key_extension(self) -> Option<KeyExtension> {
        match self {
            PrivProtocol::Des | PrivProtocol::Aes128 => None,
            PrivProtocol::Aes192 | PrivProtocol::Aes256 => Some(KeyExtension::Blumenthal),
            PrivProtocol::Aes192C | PrivProtocol::Aes256C | PrivProtocol::TripleDes => {
                Some(KeyExtension::Reeder)
            }
        }
    }

    /// Net-SNMP's canonical name (what `snmpget -x` documents).
    pub const fn name(self) -> &'static str {
        match self {
            PrivProtocol::Des => "DES",
            PrivProtocol::Aes128 => "AES",
            PrivProtocol::Aes192 => "AES-192",
            PrivProtocol::Aes256 => "AES-256",
            PrivProtocol::Aes192C => "AES-192-C",
            PrivProtocol::Aes256C => "AES-256-C",
            PrivProtocol::TripleDes => "3DES",
        }
    }
}

impl fmt::Display for PrivProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PrivProtocol {
    type Err = UsmError;

    /// Accepts Net-SNMP's spellings (`-x`), case-insensitively: `DES`;
    /// `AES`/`AES128`/`AES-128`; `AES192`/`AES-192`; `AES256`/`AES-256`;
    /// `AES192C`/`AES-192-C`; `AES256C`/`AES-256-C`;
    /// `3DES`/`3DESEDE`/`3DES-EDE`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let p = match s.to_ascii_uppercase().as_str() {
            "DES" => PrivProtocol::Des,
            "AES" | "AES128" | "AES-128" => PrivProtocol::Aes128,
            "AES192" | "AES-192" => PrivProtocol::Aes192,
            "AES256" | "AES-256" => PrivProtocol::Aes256,
            "AES192C" | "AES-192-C" => PrivProtocol::Aes192C,
            "AES256C" | "AES-256-C" => PrivProtocol::Aes256C,
            "3DES" | "3DESEDE" | "3DES-EDE" => PrivProtocol::TripleDes,
            _ => return Err(UsmError::UnknownProtocol(s.to_owned())),
        };
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_names_parse_case_insensitively() {
        let cases = [
            ("MD5", AuthProtocol::Md5),
            ("md5", AuthProtocol::Md5),
            ("SHA", AuthProtocol::Sha1),
            ("sha1", AuthProtocol::Sha1),
            ("Sha-1", AuthProtocol::Sha1),
            ("SHA-224", AuthProtocol::Sha224),
            ("sha224", AuthProtocol::Sha224),
            ("SHA-256", AuthProtocol::Sha256),
            ("SHA256", AuthProtocol::Sha256),
            ("sha-384", AuthProtocol::Sha384),
            ("SHA384", AuthProtocol::Sha384),
            ("SHA-512", AuthProtocol::Sha512),
            ("sha512", AuthProtocol::Sha512),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<AuthProtocol>(), Ok(want), "{s}");
        }
        for bad in ["", "SHA2", "SHA-2", "HMAC", "MD4", "SHA_256", " MD5"] {
            assert_eq!(
                bad.parse::<AuthProtocol>(),
                Err(UsmError::UnknownProtocol(bad.to_owned()))
            );
        }
    }

    #[test]
    fn priv_names_parse_case_insensitively() {
        let cases = [
            ("DES", PrivProtocol::Des),
            ("des", PrivProtocol::Des),
            ("AES", PrivProtocol::Aes128),
            ("aes128", PrivProtocol::Aes128),
            ("AES-128", PrivProtocol::Aes128),
            ("AES192", PrivProtocol::Aes192),
            ("aes-192", PrivProtocol::Aes192),
            ("AES256", PrivProtocol::Aes256),
            ("AES-256", PrivProtocol::Aes256),
            ("AES192C", PrivProtocol::Aes192C),
            ("aes-192-c", PrivProtocol::Aes192C),
            ("AES256C", PrivProtocol::Aes256C),
            ("AES-256-C", PrivProtocol::Aes256C),
            ("3DES", PrivProtocol::TripleDes),
            ("3desede", PrivProtocol::TripleDes),
            ("3DES-EDE", PrivProtocol::TripleDes),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<PrivProtocol>(), Ok(want), "{s}");
        }
        for bad in ["", "AES-512", "DES3", "AES-C", "AES192-C", "none"] {
            assert!(bad.parse::<PrivProtocol>().is_err(), "{bad}");
        }
    }

    #[test]
    fn display_round_trips_through_from_str() {
        for p in AuthProtocol::ALL {
            assert_eq!(p.to_string().parse::<AuthProtocol>(), Ok(p));
        }
        for p in PrivProtocol::ALL {
            assert_eq!(p.to_string().parse::<PrivProtocol>(), Ok(p));
        }
    }

    #[test]
    fn lengths_match_the_rfcs() {
        let mac: Vec<usize> = AuthProtocol::ALL.iter().map(|p| p.mac_len()).collect();
        assert_eq!(mac, [12, 12, 16, 24, 32, 48]);
        let key: Vec<usize> = AuthProtocol::ALL.iter().map(|p| p.key_len()).collect();
        assert_eq!(key, [16, 20, 28, 32, 48, 64]);
        let material: Vec<usize> = PrivProtocol::ALL
            .iter()
            .map(|p| p.key_material_len())
            .collect();
        assert_eq!(material, [16, 16, 24, 32, 24, 32, 32]);
        for p in PrivProtocol::ALL {
            assert!(p.cipher_key_len() <= p.key_material_len());
            assert_eq!(p.priv_params_len(), 8);
        }
    }
}
