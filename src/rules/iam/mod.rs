//! IAM (ECS85x): task and execution roles.

pub mod ecs851;
pub mod ecs852;
pub mod ecs853;
pub mod ecs854;
