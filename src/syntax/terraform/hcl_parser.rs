//! A fast reader for the HCL most `.tf` files are written in. Placeholder: always defers.

use super::hcl_tree::Body;

pub fn parse_body(_text: &str) -> Option<Body> {
    None
}
