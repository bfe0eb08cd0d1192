//! `file:` URIs and paths, both ways, by RFC 3986 percent-encoding of bytes (never by stripping
//! a prefix: `Factur%C3%A9` is `Facturé`, `%23` is `#`, `%20` is a space). Clients' own URI
//! strings are kept as keys and sent back unchanged; this is only used to read the disk and to
//! name files no client has opened.

use std::path::{Path, PathBuf};

/// The path of a `file:` URI; `None` for any other scheme (`untitled:`, `git:`...), which is
/// never read from disk.
pub fn to_path(uri: &str) -> Option<PathBuf> {
    let (scheme, rest) = uri.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("file") {
        return None;
    }
    // No query or fragment in a file URI: a literal `#` in a name arrives as `%23`.
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let slash = after.find('/').unwrap_or(after.len());
            let host = &after[..slash];
            if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
                return None; // UNC shares are not supported
            }
            &after[slash..]
        }
        None => rest,
    };
    let bytes = decode(path)?;
    from_bytes(bytes)
}

fn decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

#[cfg(unix)]
fn from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStringExt;
    if bytes.first() != Some(&b'/') {
        return None;
    }
    Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
}

#[cfg(not(unix))]
fn from_bytes(bytes: Vec<u8>) -> Option<PathBuf> {
    let s = String::from_utf8(bytes).ok()?;
    // `/c:/x` → `c:\x`
    let s = match s.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => &s[1..],
        _ => &s[..],
    };
    Some(PathBuf::from(s.replace('/', "\\")))
}

/// A `file:` URI for an absolute path.
pub fn from_path(path: &Path) -> String {
    #[cfg(unix)]
    let bytes: Vec<u8> = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes: Vec<u8> = {
        let s = path.to_string_lossy().replace('\\', "/");
        if s.starts_with('/') {
            s
        } else {
            format!("/{s}")
        }
        .into_bytes()
    };
    let mut out = String::from("file://");
    for (i, &c) in bytes.iter().enumerate() {
        let keep = c.is_ascii_alphanumeric()
            || matches!(c, b'/' | b'-' | b'.' | b'_' | b'~')
            || (c == b':' && cfg!(not(unix)) && i == 2);
        if keep {
            out.push(c as char);
        } else {
            out.push_str(&format!("%{c:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsp_21_uris_round_trip() {
        for uri in [
            "file:///tmp/a%20b/task.json",
            "file:///tmp/Factur%C3%A9/main.tf",
            "file:///tmp/x%23y.tf",
            "file:///tmp/plain/ecs.tf",
        ] {
            let path = to_path(uri).unwrap();
            assert_eq!(from_path(&path), uri);
        }
        assert_eq!(
            to_path("file:///tmp/Factur%C3%A9/main.tf").unwrap(),
            PathBuf::from("/tmp/Facturé/main.tf")
        );
        assert_eq!(
            to_path("file:///tmp/x%23y.tf").unwrap(),
            PathBuf::from("/tmp/x#y.tf")
        );
        assert_eq!(
            to_path("file://localhost/tmp/a").unwrap(),
            PathBuf::from("/tmp/a")
        );
        assert_eq!(to_path("untitled:Untitled-1"), None);
        assert_eq!(to_path("git:/tmp/a.tf"), None);
    }
}
