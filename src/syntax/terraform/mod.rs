//! Terraform front-end (to be filled in): modules of `.tf` / `.tf.json` files, and plan JSON.

use super::{Ctx, Parsed};
use crate::source::SourceFile;
use std::path::{Path, PathBuf};

/// Parse one Terraform module: the `.tf` and `.tf.json` files discovery found in `dir`.
pub fn parse_module(_ctx: &Ctx, _dir: &Path, _files: &[PathBuf]) -> Parsed {
    Parsed::default()
}

/// Parse a `terraform show -json` plan file.
pub fn parse_plan(_ctx: &Ctx, _file: &SourceFile) -> Parsed {
    Parsed::default()
}
