//! Input validity (ECS00x): values, keys and literals the ECS API or CloudFormation reject,
//! checked against tables generated from the API model.

#[rustfmt::skip]
pub mod api_model;
pub mod ecs001;
pub mod ecs002;
pub mod ecs003;

/// The values of an enum-typed API member (`RegisterTaskDefinition.networkMode`), from the
/// generated table; `None` when the model has no such enum.
pub fn api_enum(path: &str) -> Option<&'static [&'static str]> {
    api_model::API_ENUMS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, values)| *values)
}

/// Does the API require `member` in the request structure at `path`
/// (`RegisterTaskDefinition.containerDefinitions[].secrets[]`)?
pub fn api_required(path: &str, member: &str) -> bool {
    api_model::API_REQUIRED
        .iter()
        .any(|(p, members)| *p == path && members.contains(&member))
}

/// Does the CloudFormation schema require `property` in `definition`
/// (`AWS::ECS::TaskDefinition#ContainerDefinition`)?
pub fn cfn_required(definition: &str, property: &str) -> bool {
    api_model::CFN_REQUIRED
        .iter()
        .any(|(p, props)| *p == definition && props.contains(&property))
}
