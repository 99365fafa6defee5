//! Shared helpers for the integration tests (each test binary uses a subset).
#![allow(dead_code)]

pub mod mibs;
pub mod snmpd;
