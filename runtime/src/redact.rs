//! Keeping secrets out of what a server sends back: the one rule for credentials and for a
//! signed URL's query alike.

/// Shorter secrets are not scrubbed from server text: they would garble it, and no real
/// token or signature is that short.
pub(crate) const MIN_SECRET_LEN: usize = 6;

/// What a secret is replaced with.
pub(crate) const REDACTED: &[u8] = b"<redacted>";

/// Whatever knows the texts a server's answer must not repeat: a client's settings, by
/// their credential. A trait, so that an answer can carry them without naming the client.
pub(crate) trait Secrets: Send + Sync {
    /// Calls `scrub` once with the texts, as [`secrets`] made them: a callback, as a
    /// provider's credential is behind a lock.
    fn with_secrets(&self, scrub: &mut dyn FnMut(&[String]));
}

/// The texts to scrub, as [`redact`] wants them: long enough to be a secret, longest first
/// (so that a secret inside another is not replaced first), without repeats.
pub(crate) fn secrets(candidates: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut secrets: Vec<String> = candidates
        .into_iter()
        .filter(|text| text.len() >= MIN_SECRET_LEN)
        .collect();
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    secrets.dedup();
    secrets
}

/// `bytes` with every occurrence of each secret (longest first) replaced by `<redacted>`.
/// Byte for byte: a body that is not UTF-8 keeps its other bytes as they came.
pub(crate) fn redact(bytes: &[u8], secrets: &[String]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for secret in secrets {
        if let Some(replaced) = replace_all(&out, secret.as_bytes()) {
            out = replaced;
        }
    }
    out
}

/// As [`redact`], for a part of a server's text: an error answer's body cut at its bound
/// (`cut_after`), or a window of a body (cut on both sides). The very bytes back (no copy)
/// when no secret is in them. Where the text was cut, a secret's end at the start or its
/// beginning at the end is dropped too: a token cut in half is still half a token.
pub(crate) fn redact_part(
    part: bytes::Bytes,
    secrets: &[String],
    cut_before: bool,
    cut_after: bool,
) -> bytes::Bytes {
    if cut_before
        && cut_after
        && !part.is_empty()
        && secrets
            .iter()
            .any(|secret| find(secret.as_bytes(), &part).is_some())
    {
        // The whole part lies inside a secret.
        return bytes::Bytes::from_static(REDACTED);
    }
    let found = secrets
        .iter()
        .any(|secret| find(&part, secret.as_bytes()).is_some());
    let mut part = if found {
        bytes::Bytes::from(redact(&part, secrets))
    } else {
        part
    };
    if cut_after {
        let partial = secrets
            .iter()
            .map(|secret| {
                (1..secret.len())
                    .rev()
                    .find(|&len| part.ends_with(&secret.as_bytes()[..len]))
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0);
        part.truncate(part.len() - partial);
    }
    if cut_before {
        let partial = secrets
            .iter()
            .map(|secret| {
                let secret = secret.as_bytes();
                (1..secret.len())
                    .rev()
                    .find(|&len| part.starts_with(&secret[secret.len() - len..]))
                    .unwrap_or(0)
            })
            .max()
            .unwrap_or(0);
        part = part.slice(partial..);
    }
    part
}

/// Where `needle` first occurs in `haystack`. A plain search: it runs on error answers only,
/// at most the error body bound long.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// `haystack` with each `needle` replaced by [`REDACTED`], or `None` when there is none.
fn replace_all(haystack: &[u8], needle: &[u8]) -> Option<Vec<u8>> {
    let mut at = find(haystack, needle)?;
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    loop {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(REDACTED);
        rest = &rest[at + needle.len()..];
        match find(rest, needle) {
            Some(next) => at = next,
            None => break,
        }
    }
    out.extend_from_slice(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_are_not_secrets_and_the_longest_goes_first() {
        let found = secrets(["abc", "hunter2", "hunter2hunter2", "hunter2"].map(String::from));
        assert_eq!(found, ["hunter2hunter2", "hunter2"]);
        assert_eq!(
            redact(b"a hunter2hunter2 b hunter2 abc", &found),
            b"a <redacted> b <redacted> abc"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_kept_around_a_secret() {
        let found = secrets(["hunter2".to_owned()]);
        assert_eq!(
            redact(b"\xff\xfehunter2\x80", &found),
            b"\xff\xfe<redacted>\x80"
        );
        let body = bytes::Bytes::from_static(b"\xffno secret here");
        let kept = redact_part(body.clone(), &found, false, false);
        // Not copied when there is nothing to scrub.
        assert_eq!(kept.as_ptr(), body.as_ptr());
    }

    #[test]
    fn a_secret_cut_where_the_text_was_cut_is_dropped() {
        let found = secrets(["hunter2".to_owned()]);
        let part = |text: &'static str, before, after| {
            let kept = redact_part(
                bytes::Bytes::from_static(text.as_bytes()),
                &found,
                before,
                after,
            );
            String::from_utf8(kept.to_vec()).unwrap()
        };
        assert_eq!(part("token: hunt", false, true), "token: ");
        assert_eq!(part("ter2 and hunter2", true, false), " and <redacted>");
        assert_eq!(part("unte", true, true), "<redacted>");
        // A whole text may well end with the letter a secret starts with.
        assert_eq!(part("token: hunt", false, false), "token: hunt");
        assert_eq!(part("ter2 and", false, false), "ter2 and");
    }
}
