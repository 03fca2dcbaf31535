//! Normalisation for matching: the forms two records are compared in.
//!
//! Every function here is total: an invalid or blank value is simply absent (`None` or no
//! tokens), never an error, because a lead with a bad phone can still be a duplicate by its
//! e-mail. The forms are for matching only; records keep their values as given.

use crate::domain::{Lead, LeadSource};
use crate::validation::{Document, Email, Phone, PhoneOptions};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Particles dropped from names: `de`, `da`, `do`, `das`, `dos` and `e` (as in "Carvalho e
/// Souza"). The elided `d'` (`D'Ávila`) is dropped where it is written with an apostrophe.
pub const NAME_PARTICLES: &[&str] = &["de", "da", "do", "das", "dos", "e"];

/// A name keeps at most this many tokens for matching (a longer one is cut): it bounds the
/// token alignment, which compares every token of one name with every token of the other.
pub const MAX_NAME_TOKENS: usize = 12;

/// A token keeps at most this many letters for matching.
pub const MAX_TOKEN_CHARS: usize = 40;

/// Apostrophes that mark the elided particle `d'`: ASCII `'`, the typographic `’` and `‘`,
/// the backtick and the spacing acute accent `´` people type for it.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{b4}')
}

/// The tokens of a name for matching: lower-cased, decomposed with every combining mark
/// removed (so accents and the cedilla go: `Conceição` → `conceicao`), anything that is
/// not a letter turned into a separator (hyphens, dots, digits, apostrophes), the particles
/// of [`NAME_PARTICLES`] and an elided `d'` dropped. Order is kept; comparison is
/// order-independent. Idempotent: the tokens joined by spaces give the same tokens again.
///
/// The decomposition is NFKD, which is NFD plus compatibility folding, so full-width letters
/// (`ＭＡＲＩＡ`), ligatures (`ﬁ`) and the ordinal indicators (`ª`, `º`) match their plain
/// letters too; the result is lower-cased once more after it.
///
/// ```
/// use crm_core::dedupe::name_tokens;
/// assert_eq!(name_tokens("  Maria José da Silva "), ["maria", "jose", "silva"]);
/// assert_eq!(name_tokens("JOÃO D'ÁVILA dos Santos-Neto"), ["joao", "avila", "santos", "neto"]);
/// assert_eq!(name_tokens("Ana Carolina e Souza"), ["ana", "carolina", "souza"]);
/// assert!(name_tokens("da 123 --").is_empty());
/// ```
pub fn name_tokens(name: &str) -> Vec<String> {
    let lowered = name.to_lowercase();
    let mut tokens: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut letters = 0usize;
    let folded = lowered
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| !is_combining_mark(*c));
    for c in folded {
        if c.is_alphabetic() {
            if letters < MAX_TOKEN_CHARS {
                current.push(c);
                letters += 1;
            }
            continue;
        }
        let elided = current == "d" && is_apostrophe(c);
        end_token(&mut tokens, &mut current, elided);
        letters = 0;
        if tokens.len() >= MAX_NAME_TOKENS {
            return tokens;
        }
    }
    end_token(&mut tokens, &mut current, false);
    tokens
}

fn end_token(tokens: &mut Vec<String>, current: &mut String, elided: bool) {
    if current.is_empty() {
        return;
    }
    if elided || NAME_PARTICLES.contains(&current.as_str()) || tokens.len() >= MAX_NAME_TOKENS {
        current.clear();
    } else {
        tokens.push(std::mem::take(current));
    }
}

/// The name key: [`name_tokens`] joined by single spaces (empty when the name has no token).
///
/// ```
/// use crm_core::dedupe::name_key;
/// assert_eq!(name_key("José  da SILVA"), "jose silva");
/// assert_eq!(name_key("Jose Silva"), "jose silva");
/// ```
pub fn name_key(name: &str) -> String {
    name_tokens(name).join(" ")
}

/// The e-mail key: [`Email::match_key`] of a valid address (local part lower-cased, `+tag`
/// dropped, domain lower-cased); `None` for a blank or invalid one.
///
/// ```
/// use crm_core::dedupe::email_key;
/// assert_eq!(email_key(" Ana.Souza+zap@Exemplo.COM.br").as_deref(), Some("ana.souza@exemplo.com.br"));
/// assert_eq!(email_key("ana.souza@"), None);
/// ```
pub fn email_key(email: &str) -> Option<String> {
    Email::parse(email).ok().map(|e| e.match_key())
}

/// The phone key: E.164 with the ninth digit of an old 8-digit mobile repaired
/// (`repair_legacy_mobile: true`); `None` for a blank or invalid number.
///
/// ```
/// use crm_core::dedupe::phone_key;
/// assert_eq!(phone_key("(11) 8765-4321").as_deref(), Some("+5511987654321"));
/// assert_eq!(phone_key("+55 11 98765 4321").as_deref(), Some("+5511987654321"));
/// assert_eq!(phone_key("0800 123 4567"), None);
/// ```
pub fn phone_key(phone: &str) -> Option<String> {
    Phone::parse_with(
        phone,
        PhoneOptions {
            repair_legacy_mobile: true,
        },
    )
    .ok()
    .map(|p| p.as_str().to_owned())
}

/// The document key: a valid CPF or CNPJ, bare; `None` for a blank or invalid one.
///
/// ```
/// use crm_core::dedupe::document_key;
/// assert_eq!(document_key("529.982.247-25").map(|d| d.as_str().to_owned()).as_deref(), Some("52998224725"));
/// assert_eq!(document_key("529.982.247-24"), None);
/// ```
pub fn document_key(document: &str) -> Option<Document> {
    Document::parse(document).ok()
}

/// A portal lead's identity: the portal's key (lower-cased: `zap`, `viva_real`, or another
/// portal's name) and its own lead id, trimmed. The idempotency key of ingestion.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalKey {
    /// The portal, as [`Portal::key`](crate::domain::Portal::key) lower-cased.
    pub portal: String,
    /// The portal's own lead id, trimmed.
    pub external_id: String,
}

impl PortalKey {
    /// The portal key of a lead's source, if it is a portal lead with an id.
    ///
    /// ```
    /// use crm_core::dedupe::PortalKey;
    /// use crm_core::domain::{LeadSource, Portal};
    /// let s = LeadSource::Portal { portal: Portal::from_name("Viva Real"), external_id: Some(" VR-9 ".into()), temperature: None };
    /// assert_eq!(PortalKey::of(&s), Some(PortalKey { portal: "viva_real".into(), external_id: "VR-9".into() }));
    /// ```
    pub fn of(source: &LeadSource) -> Option<PortalKey> {
        source.portal_key().map(|(portal, id)| PortalKey {
            portal: portal.key().trim().to_lowercase(),
            external_id: id.to_owned(),
        })
    }
}

/// Everything of a lead that matching looks at, normalised.
///
/// ```
/// use crm_core::dedupe::MatchKeys;
/// use crm_core::domain::{Contact, Lead, LeadId};
/// use chrono::{TimeZone, Utc};
/// let at = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
/// let lead = Lead::new(LeadId::from_parts(1, [1; 10]),
///     Contact::new("Conceição de Souza").with_phone("11 8765-4321").with_email("x@"), at);
/// let keys = MatchKeys::of(&lead);
/// assert_eq!(keys.name, ["conceicao", "souza"]);
/// assert_eq!(keys.phone.as_deref(), Some("+5511987654321"));
/// assert_eq!(keys.email, None); // invalid: absent for matching
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchKeys {
    /// [`name_tokens`] of the contact's name.
    pub name: Vec<String>,
    /// [`email_key`] of the contact's e-mail.
    pub email: Option<String>,
    /// [`phone_key`] of the contact's phone.
    pub phone: Option<String>,
    /// [`document_key`] of the contact's CPF or CNPJ (serialised bare).
    pub document: Option<Document>,
    /// [`PortalKey::of`] the lead's source.
    pub portal: Option<PortalKey>,
}

impl MatchKeys {
    /// The keys of a lead.
    pub fn of(lead: &Lead) -> MatchKeys {
        let contact = &lead.contact;
        MatchKeys {
            name: name_tokens(&contact.name),
            email: contact.email.as_deref().and_then(email_key),
            phone: contact.phone.as_deref().and_then(phone_key),
            document: contact.document.as_deref().and_then(document_key),
            portal: PortalKey::of(&lead.source),
        }
    }

    /// The name tokens sorted and joined by spaces: equal for reordered names.
    pub fn sorted_name(&self) -> String {
        let mut tokens: Vec<&str> = self.name.iter().map(String::as_str).collect();
        tokens.sort_unstable();
        tokens.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<String> {
        name_tokens(s)
    }

    #[test]
    fn names_worked_by_hand() {
        // accents and the cedilla go; case folds
        assert_eq!(toks("João Conceição"), ["joao", "conceicao"]);
        assert_eq!(toks("JOSÉ ANTÔNIO"), ["jose", "antonio"]);
        // particles go; a particle inside a word stays
        assert_eq!(toks("Maria das Dores"), ["maria", "dores"]);
        assert_eq!(toks("Pedro Dos Anjos e Silva"), ["pedro", "anjos", "silva"]);
        assert_eq!(toks("Dora Dessa Donato"), ["dora", "dessa", "donato"]);
        // d' with any apostrophe; a lone d (an initial) stays
        assert_eq!(toks("Ana D'Ávila"), ["ana", "avila"]);
        assert_eq!(toks("Ana d’avila"), ["ana", "avila"]);
        assert_eq!(toks("Ana D. Avila"), ["ana", "d", "avila"]);
        // separators: hyphens, dots, digits, commas, tabs, no-break spaces
        assert_eq!(
            toks("Silva,\tMaria-José\u{a0}2ª"),
            ["silva", "maria", "jose", "a"]
        );
        // compatibility forms: full-width letters, ligatures
        assert_eq!(toks("ＭＡＲＩＡ ﬁlho"), ["maria", "filho"]);
        // decomposed input (e + combining acute) equals precomposed
        assert_eq!(toks("Jose\u{301}"), toks("José"));
        // nothing left
        assert!(toks("").is_empty());
        assert!(toks(" de da do das dos e ").is_empty());
        assert!(toks("d'").is_empty());
    }

    #[test]
    fn tokens_are_bounded() {
        let long = "a".repeat(100);
        assert_eq!(toks(&long), ["a".repeat(MAX_TOKEN_CHARS)]);
        let many = "ana ".repeat(50);
        assert_eq!(toks(&many).len(), MAX_NAME_TOKENS);
    }

    #[test]
    fn idempotent_on_tricky_input() {
        for s in [
            "İstanbul ǅemal",
            "ΣΑΣ ΟΔΟΣ",
            "ß Straße",
            "한국어 이름",
            "D'd'd' de",
            "x\u{345}y",
        ] {
            let once = toks(s);
            assert_eq!(toks(&once.join(" ")), once, "{s}");
        }
    }

    #[test]
    fn contact_keys() {
        assert_eq!(
            email_key("JOAO+olx@Gmail.com").as_deref(),
            Some("joao@gmail.com")
        );
        assert_eq!(phone_key("11 8765 4321"), phone_key("+55 (11) 98765-4321"));
        assert_eq!(phone_key("11 3456 7890").as_deref(), Some("+551134567890"));
        assert_eq!(phone_key("not a phone"), None);
        assert_eq!(
            document_key("11.222.333/0001-81").map(|d| d.as_str().to_owned()),
            Some("11222333000181".to_owned())
        );
        assert_eq!(document_key("111.111.111-11"), None);
    }
}
