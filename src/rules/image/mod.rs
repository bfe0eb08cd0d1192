pub mod ecs401;
pub mod reference;
