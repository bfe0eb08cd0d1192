pub mod ecs101;
pub mod ecs102;
pub mod ecs103;
pub mod ecs104;
pub mod ecs105;
pub mod ecs106;
