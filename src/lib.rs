//! ecslint: a static analyzer for Amazon ECS task definitions and the infrastructure-as-code
//! that declares them. See `DESIGN.md` in the shared folder for the picture.

pub mod baseline;
pub mod config;
pub mod cost;
pub mod diagnostic;
pub mod discover;
pub mod engine;
pub mod fargate;
pub mod fix;
pub mod hashing;
pub mod link;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;
pub mod syntax;
