//! Container image references: `[registry[:port]/]repository[:tag][@digest]`.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef<'a> {
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

pub fn parse(image: &str) -> ImageRef<'_> {
    let (rest, digest) = match image.split_once('@') {
        Some((r, d)) => (r, Some(d)),
        None => (image, None),
    };
    // A colon after the last slash is a tag; one before it belongs to `registry:port`.
    let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
    match rest[last_slash..].rfind(':') {
        Some(i) => ImageRef {
            repository: &rest[..last_slash + i],
            tag: Some(&rest[last_slash + i + 1..]),
            digest,
        },
        None => ImageRef {
            repository: rest,
            tag: None,
            digest,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        assert_eq!(parse("nginx").tag, None);
        assert_eq!(parse("nginx:latest").tag, Some("latest"));
        let r = parse("registry:5000/team/app");
        assert_eq!((r.repository, r.tag), ("registry:5000/team/app", None));
        let r = parse("registry:5000/team/app:1.2");
        assert_eq!(
            (r.repository, r.tag),
            ("registry:5000/team/app", Some("1.2"))
        );
        let r = parse("app@sha256:abc");
        assert_eq!((r.tag, r.digest), (None, Some("sha256:abc")));
        assert_eq!(parse("app:1.0@sha256:abc").tag, Some("1.0"));
    }
}
