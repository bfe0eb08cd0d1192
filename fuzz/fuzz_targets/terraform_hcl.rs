#![no_main]
//! The terraform_hcl front-end on arbitrary bytes (see ../harness.rs).

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run(harness::Front::Terraform, data);
});
