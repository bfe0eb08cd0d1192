pub mod ecs601;
pub mod ecs602;
pub mod ecs603;
pub mod ecs604;
pub mod ecs605;
pub mod ecs606;
pub mod ecs607;
