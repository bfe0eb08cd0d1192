pub mod ecs701;
pub mod ecs702;
pub mod ecs703;
pub mod ecs704;
pub mod ecs705;
pub mod ecs706;
pub mod ecs707;

use crate::model::Service;

/// REPLICA is the default scheduling strategy.
pub fn is_replica(s: &Service) -> bool {
    match &s.scheduling_strategy {
        None => true,
        Some(f) => f
            .value
            .known()
            .is_some_and(|v| v.eq_ignore_ascii_case("REPLICA")),
    }
}

/// The ECS (rolling update) deployment controller is the default; CODE_DEPLOY and EXTERNAL
/// ignore the deployment percentages and the circuit breaker.
pub fn is_rolling(s: &Service) -> bool {
    match &s.deployment_controller {
        None => true,
        Some(f) => f
            .value
            .known()
            .is_some_and(|v| v.eq_ignore_ascii_case("ECS")),
    }
}
