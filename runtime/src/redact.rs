//! Keeping secrets out of what a server sends back: the one rule for credentials and for a
//! signed URL's query alike.

/// Shorter secrets are not scrubbed from server text: they would garble it, and no real
/// token or signature is that short.
pub(crate) const MIN_SECRET_LEN: usize = 6;

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

/// `bytes` as text with every occurrence of each secret (longest first) replaced by
/// `<redacted>`.
pub(crate) fn redact(bytes: &[u8], secrets: &[String]) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(bytes).into_owned();
    for secret in secrets {
        if text.contains(secret.as_str()) {
            text = text.replace(secret.as_str(), "<redacted>");
        }
    }
    text.into_bytes()
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
}
