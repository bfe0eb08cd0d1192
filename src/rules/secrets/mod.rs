pub mod ecs501;
pub mod ecs502;
pub mod ecs503;
pub mod ecs504;
