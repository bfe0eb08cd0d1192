pub mod ecs101;
pub mod fargate;
