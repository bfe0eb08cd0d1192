pub mod ecs301;
pub mod ecs302;
pub mod ecs303;
pub mod ecs304;
pub mod ecs305;
