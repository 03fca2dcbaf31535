//! UF (unidade federativa): the 26 states and the Federal District, and the CEP ranges the
//! Correios assign to each.

use super::shared::{string_serde, truncate};
use crate::error::{ErrorCode, FieldError};
use std::fmt;

/// A Brazilian state or the Federal District, named by its two-letter code (`Uf::Sp` is São
/// Paulo).
///
/// Parsing accepts the code in any case (`"sp"`) and the full name in any case, with or
/// without accents (`"São Paulo"`, `"sao paulo"`, `"RIO GRANDE  DO SUL"`). Displayed and
/// serialised as the code.
///
/// ```
/// use crm_core::Uf;
/// let uf = Uf::parse("sao paulo").unwrap();
/// assert_eq!(uf, Uf::Sp);
/// assert_eq!(uf.code(), "SP");
/// assert_eq!(uf.name(), "São Paulo");
/// assert_eq!(uf.to_string(), "SP");
/// assert_eq!(serde_json::to_string(&uf).unwrap(), r#""SP""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Uf {
    /// Acre.
    Ac,
    /// Alagoas.
    Al,
    /// Amapá.
    Ap,
    /// Amazonas.
    Am,
    /// Bahia.
    Ba,
    /// Ceará.
    Ce,
    /// Distrito Federal.
    Df,
    /// Espírito Santo.
    Es,
    /// Goiás.
    Go,
    /// Maranhão.
    Ma,
    /// Mato Grosso.
    Mt,
    /// Mato Grosso do Sul.
    Ms,
    /// Minas Gerais.
    Mg,
    /// Pará.
    Pa,
    /// Paraíba.
    Pb,
    /// Paraná.
    Pr,
    /// Pernambuco.
    Pe,
    /// Piauí.
    Pi,
    /// Rio de Janeiro.
    Rj,
    /// Rio Grande do Norte.
    Rn,
    /// Rio Grande do Sul.
    Rs,
    /// Rondônia.
    Ro,
    /// Roraima.
    Rr,
    /// Santa Catarina.
    Sc,
    /// São Paulo.
    Sp,
    /// Sergipe.
    Se,
    /// Tocantins.
    To,
}

/// The longest folded name, "rio grande do norte", has 19 bytes.
const FOLD_CAP: usize = 24;

impl Uf {
    /// Every UF, ordered by name.
    ///
    /// ```
    /// use crm_core::Uf;
    /// assert_eq!(Uf::ALL.len(), 27);
    /// assert!(Uf::ALL.iter().all(|uf| Uf::parse(uf.code()) == Ok(*uf)));
    /// ```
    pub const ALL: [Uf; 27] = [
        Uf::Ac,
        Uf::Al,
        Uf::Ap,
        Uf::Am,
        Uf::Ba,
        Uf::Ce,
        Uf::Df,
        Uf::Es,
        Uf::Go,
        Uf::Ma,
        Uf::Mt,
        Uf::Ms,
        Uf::Mg,
        Uf::Pa,
        Uf::Pb,
        Uf::Pr,
        Uf::Pe,
        Uf::Pi,
        Uf::Rj,
        Uf::Rn,
        Uf::Rs,
        Uf::Ro,
        Uf::Rr,
        Uf::Sc,
        Uf::Sp,
        Uf::Se,
        Uf::To,
    ];

    /// The two-letter code, upper case (`"SP"`).
    ///
    /// ```
    /// use crm_core::Uf;
    /// assert_eq!(Uf::Df.code(), "DF");
    /// ```
    pub const fn code(self) -> &'static str {
        self.info().0
    }

    /// The name, with its accents (`"São Paulo"`, `"Espírito Santo"`).
    ///
    /// ```
    /// use crm_core::Uf;
    /// assert_eq!(Uf::Pi.name(), "Piauí");
    /// assert_eq!(Uf::Df.name(), "Distrito Federal");
    /// ```
    pub const fn name(self) -> &'static str {
        self.info().1
    }

    /// Code, name, and the name lower-cased without accents (what parsing compares against).
    const fn info(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Uf::Ac => ("AC", "Acre", "acre"),
            Uf::Al => ("AL", "Alagoas", "alagoas"),
            Uf::Ap => ("AP", "Amapá", "amapa"),
            Uf::Am => ("AM", "Amazonas", "amazonas"),
            Uf::Ba => ("BA", "Bahia", "bahia"),
            Uf::Ce => ("CE", "Ceará", "ceara"),
            Uf::Df => ("DF", "Distrito Federal", "distrito federal"),
            Uf::Es => ("ES", "Espírito Santo", "espirito santo"),
            Uf::Go => ("GO", "Goiás", "goias"),
            Uf::Ma => ("MA", "Maranhão", "maranhao"),
            Uf::Mt => ("MT", "Mato Grosso", "mato grosso"),
            Uf::Ms => ("MS", "Mato Grosso do Sul", "mato grosso do sul"),
            Uf::Mg => ("MG", "Minas Gerais", "minas gerais"),
            Uf::Pa => ("PA", "Pará", "para"),
            Uf::Pb => ("PB", "Paraíba", "paraiba"),
            Uf::Pr => ("PR", "Paraná", "parana"),
            Uf::Pe => ("PE", "Pernambuco", "pernambuco"),
            Uf::Pi => ("PI", "Piauí", "piaui"),
            Uf::Rj => ("RJ", "Rio de Janeiro", "rio de janeiro"),
            Uf::Rn => ("RN", "Rio Grande do Norte", "rio grande do norte"),
            Uf::Rs => ("RS", "Rio Grande do Sul", "rio grande do sul"),
            Uf::Ro => ("RO", "Rondônia", "rondonia"),
            Uf::Rr => ("RR", "Roraima", "roraima"),
            Uf::Sc => ("SC", "Santa Catarina", "santa catarina"),
            Uf::Sp => ("SP", "São Paulo", "sao paulo"),
            Uf::Se => ("SE", "Sergipe", "sergipe"),
            Uf::To => ("TO", "Tocantins", "tocantins"),
        }
    }

    /// Parses a code or a name.
    ///
    /// Errors: [`ErrorCode::UfEmpty`] for a blank input, [`ErrorCode::UfUnknown`] otherwise.
    ///
    /// ```
    /// use crm_core::{ErrorCode, Uf};
    /// assert_eq!(Uf::parse(" rj "), Ok(Uf::Rj));
    /// assert_eq!(Uf::parse("Espirito   Santo"), Ok(Uf::Es));
    /// assert_eq!(Uf::parse("RIO GRANDE DO SUL"), Ok(Uf::Rs));
    /// assert_eq!(Uf::parse("XX").unwrap_err().code, ErrorCode::UfUnknown);
    /// assert_eq!(Uf::parse(" ").unwrap_err().code, ErrorCode::UfEmpty);
    /// ```
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(FieldError::new(ErrorCode::UfEmpty, "the UF is blank"));
        }
        lookup(s).ok_or_else(|| {
            FieldError::new(
                ErrorCode::UfUnknown,
                format!(
                    "`{}` is not the code or name of a Brazilian state",
                    truncate(s)
                ),
            )
        })
    }

    /// Whether [`Uf::parse`] accepts `input`; allocates nothing.
    ///
    /// ```
    /// use crm_core::Uf;
    /// assert!(Uf::is_valid("Goiás"));
    /// assert!(!Uf::is_valid("Guanabara"));
    /// ```
    pub fn is_valid(input: &str) -> bool {
        lookup(input.trim()).is_some()
    }

    /// The UF whose CEP range (by the Correios) holds a five-digit CEP prefix, `None` for a
    /// prefix no state has (such as 78900–78999, which Rondônia gave up in 2008) or one above
    /// 99999.
    ///
    /// ```
    /// use crm_core::Uf;
    /// assert_eq!(Uf::from_cep_prefix(1310), Some(Uf::Sp)); // 01310-100
    /// assert_eq!(Uf::from_cep_prefix(72850), Some(Uf::Go));
    /// assert_eq!(Uf::from_cep_prefix(73010), Some(Uf::Df));
    /// assert_eq!(Uf::from_cep_prefix(78950), None);
    /// ```
    pub const fn from_cep_prefix(prefix: u32) -> Option<Uf> {
        Some(match prefix {
            1000..=19999 => Uf::Sp,
            20000..=28999 => Uf::Rj,
            29000..=29999 => Uf::Es,
            30000..=39999 => Uf::Mg,
            40000..=48999 => Uf::Ba,
            49000..=49999 => Uf::Se,
            50000..=56999 => Uf::Pe,
            57000..=57999 => Uf::Al,
            58000..=58999 => Uf::Pb,
            59000..=59999 => Uf::Rn,
            60000..=63999 => Uf::Ce,
            64000..=64999 => Uf::Pi,
            65000..=65999 => Uf::Ma,
            66000..=68899 => Uf::Pa,
            68900..=68999 => Uf::Ap,
            69000..=69299 | 69400..=69899 => Uf::Am,
            69300..=69399 => Uf::Rr,
            69900..=69999 => Uf::Ac,
            70000..=72799 | 73000..=73699 => Uf::Df,
            72800..=72999 | 73700..=76799 => Uf::Go,
            76800..=76999 => Uf::Ro,
            77000..=77999 => Uf::To,
            78000..=78899 => Uf::Mt,
            79000..=79999 => Uf::Ms,
            80000..=87999 => Uf::Pr,
            88000..=89999 => Uf::Sc,
            90000..=99999 => Uf::Rs,
            _ => return None,
        })
    }
}

/// Finds the UF for a trimmed, non-empty input, without allocating.
fn lookup(s: &str) -> Option<Uf> {
    if let &[a, b] = s.as_bytes() {
        let code = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
        return Uf::ALL.into_iter().find(|uf| uf.code().as_bytes() == code);
    }
    let mut buf = [0u8; FOLD_CAP];
    let mut len = 0usize;
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = len > 0;
            continue;
        }
        if pending_space {
            *buf.get_mut(len)? = b' ';
            len += 1;
            pending_space = false;
        }
        if is_combining_accent(c) {
            continue;
        }
        *buf.get_mut(len)? = fold(c)?;
        len += 1;
    }
    let folded = buf.get(..len)?;
    Uf::ALL
        .into_iter()
        .find(|uf| uf.info().2.as_bytes() == folded)
}

/// A letter lower-cased and stripped of its accent, as ASCII; `None` for anything that cannot
/// be part of a UF's code or name.
fn fold(c: char) -> Option<u8> {
    let folded = match c {
        'a'..='z' => c,
        'A'..='Z' => c.to_ascii_lowercase(),
        'á' | 'à' | 'â' | 'ã' | 'ä' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ç' | 'Ç' => 'c',
        _ => return None,
    };
    u8::try_from(folded).ok()
}

/// Combining diacritical marks (U+0300–U+036F), as in decomposed input (`"Sa\u{303}o Paulo"`).
fn is_combining_accent(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

impl fmt::Display for Uf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

string_serde!(Uf, display, "a UF code or name as a string, such as \"SP\"");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for uf in Uf::ALL {
            assert_eq!(Uf::parse(uf.code()), Ok(uf));
            assert_eq!(Uf::parse(&uf.code().to_lowercase()), Ok(uf));
            assert_eq!(Uf::parse(uf.name()), Ok(uf), "{}", uf.name());
            assert_eq!(Uf::parse(&uf.name().to_uppercase()), Ok(uf));
            assert_eq!(Uf::parse(&uf.name().to_lowercase()), Ok(uf));
            assert_eq!(uf.code().len(), 2);
            assert!(
                uf.info()
                    .2
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b' ')
            );
            assert!(uf.info().2.len() <= FOLD_CAP);
        }
        let mut codes: Vec<&str> = Uf::ALL.iter().map(|uf| uf.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 27);
    }

    #[test]
    fn names_with_and_without_accents() {
        assert_eq!(Uf::parse("São Paulo"), Ok(Uf::Sp));
        assert_eq!(Uf::parse("SÃO PAULO"), Ok(Uf::Sp));
        assert_eq!(Uf::parse("sao paulo"), Ok(Uf::Sp));
        assert_eq!(Uf::parse("Sa\u{303}o Paulo"), Ok(Uf::Sp));
        assert_eq!(Uf::parse("  rio \t grande\u{a0}do   sul "), Ok(Uf::Rs));
        assert_eq!(Uf::parse("Rondonia"), Ok(Uf::Ro));
        assert_eq!(Uf::parse("Ceara"), Ok(Uf::Ce));
        assert_eq!(Uf::parse("paraiba"), Ok(Uf::Pb));
        assert_eq!(Uf::parse("Parana"), Ok(Uf::Pr));
        assert_eq!(Uf::parse("Para"), Ok(Uf::Pa));
        assert_eq!(Uf::parse("Mato Grosso"), Ok(Uf::Mt));
        assert_eq!(Uf::parse("Mato Grosso do Sul"), Ok(Uf::Ms));
    }

    #[test]
    fn errors() {
        let code = |s: &str| Uf::parse(s).err().map(|e| e.code);
        assert_eq!(code(""), Some(ErrorCode::UfEmpty));
        assert_eq!(code(" \u{2003} "), Some(ErrorCode::UfEmpty));
        for bad in [
            "XX",
            "S",
            "SPP",
            "S P",
            "São-Paulo",
            "Rio Grande",
            "riograndedosul",
            "Pá",
            "S1",
        ] {
            assert_eq!(code(bad), Some(ErrorCode::UfUnknown), "{bad}");
            assert!(!Uf::is_valid(bad));
        }
        let long = "x".repeat(10_000);
        let msg = Uf::parse(&long)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(msg.chars().count() < 100, "{msg}");
        assert!(msg.ends_with("is not the code or name of a Brazilian state"));
    }

    #[test]
    fn cep_ranges() {
        let cases = [
            (1000, Some(Uf::Sp)),
            (999, None),
            (0, None),
            (19999, Some(Uf::Sp)),
            (20000, Some(Uf::Rj)),
            (28999, Some(Uf::Rj)),
            (29000, Some(Uf::Es)),
            (39999, Some(Uf::Mg)),
            (48999, Some(Uf::Ba)),
            (49000, Some(Uf::Se)),
            (56999, Some(Uf::Pe)),
            (57000, Some(Uf::Al)),
            (58000, Some(Uf::Pb)),
            (59999, Some(Uf::Rn)),
            (63999, Some(Uf::Ce)),
            (64000, Some(Uf::Pi)),
            (65999, Some(Uf::Ma)),
            (68899, Some(Uf::Pa)),
            (68900, Some(Uf::Ap)),
            (69299, Some(Uf::Am)),
            (69300, Some(Uf::Rr)),
            (69399, Some(Uf::Rr)),
            (69400, Some(Uf::Am)),
            (69899, Some(Uf::Am)),
            (69900, Some(Uf::Ac)),
            (72799, Some(Uf::Df)),
            (72800, Some(Uf::Go)),
            (72999, Some(Uf::Go)),
            (73000, Some(Uf::Df)),
            (73699, Some(Uf::Df)),
            (73700, Some(Uf::Go)),
            (76799, Some(Uf::Go)),
            (76800, Some(Uf::Ro)),
            (76999, Some(Uf::Ro)),
            (77000, Some(Uf::To)),
            (78000, Some(Uf::Mt)),
            (78899, Some(Uf::Mt)),
            (78900, None),
            (78999, None),
            (79000, Some(Uf::Ms)),
            (80000, Some(Uf::Pr)),
            (87999, Some(Uf::Pr)),
            (88000, Some(Uf::Sc)),
            (89999, Some(Uf::Sc)),
            (90000, Some(Uf::Rs)),
            (99999, Some(Uf::Rs)),
            (100000, None),
            (u32::MAX, None),
        ];
        for (prefix, uf) in cases {
            assert_eq!(Uf::from_cep_prefix(prefix), uf, "{prefix}");
        }
        // every state has at least one range
        for uf in Uf::ALL {
            assert!(
                (0..100_000).any(|p| Uf::from_cep_prefix(p) == Some(uf)),
                "{uf}"
            );
        }
    }

    #[test]
    fn serde() {
        assert_eq!(
            serde_json::to_string(&Uf::Mg).ok().as_deref(),
            Some(r#""MG""#)
        );
        assert_eq!(
            serde_json::from_str::<Uf>(r#""minas gerais""#).ok(),
            Some(Uf::Mg)
        );
        assert!(serde_json::from_str::<Uf>(r#""ZZ""#).is_err());
        assert_eq!("to".parse::<Uf>(), Ok(Uf::To));
    }
}
