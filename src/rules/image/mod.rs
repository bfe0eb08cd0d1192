pub mod ecs401;
pub mod ecs402;
pub mod ecs403;
pub mod ecs404;
pub mod ecs405;
pub mod ecs406;
pub mod ecs407;
pub mod reference;

use crate::model::{ContainerDefinition, Unit, Value, known_tail, parts_text};
use crate::source::Span;

/// What can be read of an image: the whole reference when known, or — when only part of it
/// is (`"${aws_ecr_repository.app.repository_url}:latest"`, `!Sub "${AWS::AccountId}.dkr.ecr...
/// /app:1.2"`) — the known text after the last unknown part, which may still show the tag.
pub struct Image<'a> {
    pub text: &'a str,
    pub span: &'a Span,
    /// Only the tail is known.
    pub partial: bool,
    /// The image as written, unknown parts as `${expr}`.
    pub display: String,
}

impl Image<'_> {
    /// Whether the repository's last path segment (where a tag would be) is in the known text:
    /// only then can a missing tag be told from one in an unknown part.
    pub fn repository_known(&self) -> bool {
        !self.partial || self.text.contains('/')
    }

    /// The reference to parse: a tail such as `:latest` stands after an unknown repository.
    pub fn parsed(&self) -> reference::ImageRef<'_> {
        reference::parse(self.text)
    }

    pub fn shown(&self) -> &str {
        &self.display
    }
}

pub fn image<'a>(_unit: &Unit, c: &'a ContainerDefinition) -> Option<Image<'a>> {
    let field = c.image.as_ref()?;
    match &field.value {
        Value::Known(text) => Some(Image {
            text,
            span: &field.span,
            partial: false,
            display: text.clone(),
        }),
        Value::Partial(parts) => {
            let tail = known_tail(parts);
            (!tail.is_empty()).then(|| Image {
                text: tail,
                span: &field.span,
                partial: true,
                display: parts_text(parts),
            })
        }
        _ => None,
    }
}
