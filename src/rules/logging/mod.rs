pub mod ecs301;
