pub mod ecs201;
pub mod ecs202;
pub mod ecs203;
pub mod ecs204;
pub mod ecs205;
pub mod ecs206;
pub mod ecs207;
pub mod ecs210;

/// Service rules read services, which raw task-definition JSON does not have.
pub const SERVICE_FORMATS: &[&str] = &["terraform", "cloudformation"];
