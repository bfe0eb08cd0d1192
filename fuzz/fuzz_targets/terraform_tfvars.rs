#![no_main]
//! Bytes as a tfvars file (as `--var-file`) for the fixed module `TFVARS_MODULE` (see ../harness.rs).

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run(harness::Front::TerraformVars, data);
});
