//! ecslint: a static analyzer for Amazon ECS task definitions and the infrastructure-as-code
//! that declares them. See `DESIGN.md` in the shared folder for the picture.

pub mod diagnostic;
pub mod model;
pub mod source;
pub mod syntax;
