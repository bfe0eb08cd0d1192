pub mod ecs401;
pub mod ecs402;
pub mod ecs403;
pub mod reference;

use crate::model::{ContainerDefinition, Unit, Value};
use crate::source::Span;

/// What can be read of an image: the whole reference when known, or — for CloudFormation
/// `!Sub` / `Fn::Join` images whose front is unknown (`${AWS::AccountId}.dkr.ecr...`) — the
/// literal tail after the last `${...}`, which still shows the repository and tag.
pub struct Image<'a> {
    pub text: &'a str,
    pub span: &'a Span,
    /// Only the tail is known.
    pub partial: bool,
}

pub fn image<'a>(unit: &Unit, c: &'a ContainerDefinition) -> Option<Image<'a>> {
    let field = c.image.as_ref()?;
    match &field.value {
        Value::Known(text) => Some(Image {
            text,
            span: &field.span,
            partial: false,
        }),
        Value::Unresolved { expr } if unit.format.is_cloudformation() => {
            let tail = &expr[expr.rfind('}')? + 1..];
            // The tail must contain the repository part to say anything about the tag.
            tail.contains('/').then_some(Image {
                text: tail,
                span: &field.span,
                partial: true,
            })
        }
        _ => None,
    }
}
