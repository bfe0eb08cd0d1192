#![no_main]
//! The `.tf` reader alone: `hcl_tree::parse_body` on arbitrary text. Under cargo-fuzz every body
//! its fast reader accepts is compared with hcl-edit's reading, spans included (see
//! `hcl_tree::parse_body`); the terraform_hcl target runs the same reader inside the whole
//! pipeline, far fewer inputs a second.

use ecslint::syntax::terraform::hcl_tree;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = hcl_tree::parse_body(text);
    }
});
