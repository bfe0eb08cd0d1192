#![no_main]
//! Bytes as a `terraform show -json` plan (see ../harness.rs).

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run(harness::Front::TerraformPlan, data);
});
