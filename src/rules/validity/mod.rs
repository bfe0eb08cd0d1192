//! Input validity (ECS00x): values, keys and literals the ECS API or CloudFormation reject,
//! checked against tables generated from the API model.

#[rustfmt::skip]
pub mod api_enums;
pub mod ecs001;

/// The values of an enum-typed API member (`RegisterTaskDefinition.networkMode`), from the
/// generated table; `None` when the model has no such enum.
pub fn api_enum(path: &str) -> Option<&'static [&'static str]> {
    api_enums::API_ENUMS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, values)| *values)
}
