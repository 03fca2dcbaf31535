//! Brazilian addresses and map coordinates.

use super::checks::{MAX_NAME_CHARS, optional_text, required_text};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::validation::{Cep, Uf};
use serde::{Deserialize, Serialize};

/// A Brazilian address as listings carry it.
///
/// ```
/// use crm_core::domain::Address;
/// let a = Address::new("01310-100", "Avenida Paulista", "São Paulo", "sp").with_neighbourhood("Bela Vista");
/// assert!(a.validate().is_ok());
/// assert_eq!(a.normalized().unwrap().uf, "SP");
/// let wrong_state = Address::new("20040-002", "Rua da Assembleia", "São Paulo", "SP").with_neighbourhood("Centro");
/// assert_eq!(wrong_state.validate().unwrap_err().errors()[0].code.as_str(), "validation.address.cep_uf_mismatch");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Postal code.
    pub cep: String,
    /// Street (logradouro).
    pub street: String,
    /// Street number; `s/n` where there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Flat, block, floor…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complement: Option<String>,
    /// Neighbourhood (bairro).
    pub neighbourhood: String,
    /// City (município).
    pub city: String,
    /// State (UF), as its two-letter code or its name.
    pub uf: String,
}

impl Address {
    /// An address with its CEP, street, city and UF.
    pub fn new(
        cep: impl Into<String>,
        street: impl Into<String>,
        city: impl Into<String>,
        uf: impl Into<String>,
    ) -> Self {
        Self {
            cep: cep.into(),
            street: street.into(),
            city: city.into(),
            uf: uf.into(),
            ..Self::default()
        }
    }

    /// With a neighbourhood.
    #[must_use]
    pub fn with_neighbourhood(mut self, neighbourhood: impl Into<String>) -> Self {
        self.neighbourhood = neighbourhood.into();
        self
    }

    /// With a street number.
    #[must_use]
    pub fn with_number(mut self, number: impl Into<String>) -> Self {
        self.number = Some(number.into());
        self
    }

    /// Every problem: a valid CEP and UF, street, neighbourhood and city present, and the CEP
    /// in the UF's range of the Correios table (`validation.address.cep_uf_mismatch`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        self.check(&mut errors);
        errors.into_result()
    }

    fn check(&self, errors: &mut ValidationErrors) -> (Option<Cep>, Option<Uf>) {
        let cep = errors.check("cep", Cep::parse(&self.cep));
        required_text(errors, "street", &self.street, MAX_NAME_CHARS);
        optional_text(errors, "number", &self.number, 20);
        optional_text(errors, "complement", &self.complement, MAX_NAME_CHARS);
        required_text(errors, "neighbourhood", &self.neighbourhood, MAX_NAME_CHARS);
        required_text(errors, "city", &self.city, MAX_NAME_CHARS);
        let uf = errors.check("uf", Uf::parse(&self.uf));
        if let (Some(cep), Some(uf)) = (cep, uf) {
            if let Some(range_uf) = cep.uf().filter(|r| *r != uf) {
                errors.push(
                    FieldError::new(
                        ErrorCode::AddressCepUfMismatch,
                        format!(
                            "CEP {cep} is in {}'s range, but the address is in {}",
                            range_uf.code(),
                            uf.code()
                        ),
                    )
                    .at("cep"),
                );
            }
        }
        (cep, uf)
    }

    /// A copy with the CEP bare, the UF as its code and texts trimmed.
    pub fn normalized(&self) -> Result<Address, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let (cep, uf) = self.check(&mut errors);
        errors.into_result()?;
        let trim = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(Address {
            cep: cep.map(|c| c.as_str().to_owned()).unwrap_or_default(),
            street: trim(&self.street),
            number: self.number.as_deref().map(trim).filter(|s| !s.is_empty()),
            complement: self
                .complement
                .as_deref()
                .map(trim)
                .filter(|s| !s.is_empty()),
            neighbourhood: trim(&self.neighbourhood),
            city: trim(&self.city),
            uf: uf.map(|u| u.code().to_owned()).unwrap_or_default(),
        })
    }
}

/// A point on the map (WGS 84 degrees). Coordinates are not money, so `f64` is fine here.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude, −90..=90 (negative south of the equator: São Paulo is about −23.55).
    pub latitude: f64,
    /// Longitude, −180..=180 (negative west of Greenwich: São Paulo is about −46.63).
    pub longitude: f64,
}

impl GeoPoint {
    /// Every problem: each coordinate finite and in range.
    ///
    /// ```
    /// use crm_core::domain::GeoPoint;
    /// assert!(GeoPoint { latitude: -23.5613, longitude: -46.6565 }.validate().is_ok());
    /// assert!(GeoPoint { latitude: -123.0, longitude: 0.0 }.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        errors.ensure_with(
            self.latitude.is_finite() && (-90.0..=90.0).contains(&self.latitude),
            "latitude",
            ErrorCode::GeoRange,
            || format!("latitude {} is outside -90..=90", self.latitude),
        );
        errors.ensure_with(
            self.longitude.is_finite() && (-180.0..=180.0).contains(&self.longitude),
            "longitude",
            ErrorCode::GeoRange,
            || format!("longitude {} is outside -180..=180", self.longitude),
        );
        errors.into_result()
    }
}
