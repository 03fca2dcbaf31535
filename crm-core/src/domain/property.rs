//! [`Property`]: a listing for sale, rent or both, with its prices, areas, rooms and address.

use super::address::{Address, GeoPoint};
use super::checks::{
    MAX_NAME_CHARS, non_negative_money, not_before, optional_text, positive_money,
};
use super::ids::{AgentId, PropertyId};
use crate::error::{ErrorCode, FieldError, ValidationErrors};
use crate::money::Money;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What the listing offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingKind {
    /// For sale (venda).
    Sale,
    /// For rent (aluguel).
    Rent,
    /// For sale or rent (venda e aluguel).
    SaleAndRent,
}

impl ListingKind {
    /// Whether the property can be bought.
    pub fn for_sale(self) -> bool {
        matches!(self, ListingKind::Sale | ListingKind::SaleAndRent)
    }

    /// Whether the property can be rented.
    pub fn for_rent(self) -> bool {
        matches!(self, ListingKind::Rent | ListingKind::SaleAndRent)
    }
}

/// The kind of property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropertyType {
    /// Apartamento.
    Apartment,
    /// Casa.
    House,
    /// Casa em condomínio fechado.
    CondoHouse,
    /// Cobertura.
    Penthouse,
    /// Studio or kitnet.
    Studio,
    /// Terreno or lote.
    Land,
    /// Sala or conjunto comercial.
    Office,
    /// Loja or ponto comercial.
    Store,
    /// Galpão or depósito.
    Warehouse,
    /// Chácara, sítio or fazenda.
    Rural,
    /// Anything else.
    Other,
}

/// Where the listing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PropertyStatus {
    /// Being prepared, not published.
    Draft,
    /// On the market.
    #[default]
    Active,
    /// Held for a proposal under way.
    Reserved,
    /// Sold.
    Sold,
    /// Rented.
    Rented,
    /// Off the market.
    Inactive,
}

/// A property listing.
///
/// ```
/// use crm_core::{Money, domain::{Address, ListingKind, Property, PropertyId, PropertyType}};
/// use chrono::{TimeZone, Utc};
/// use rust_decimal_macros::dec;
/// let at = Utc.with_ymd_and_hms(2026, 10, 5, 10, 0, 0).unwrap();
/// let address = Address::new("04538-133", "Avenida Brigadeiro Faria Lima", "São Paulo", "SP")
///     .with_neighbourhood("Itaim Bibi");
/// let mut p = Property::new(PropertyId::from_parts(1, [2; 10]), ListingKind::Sale, PropertyType::Apartment, address, at);
/// p.private_area_m2 = Some(dec!(84.5));
/// assert_eq!(p.validate().unwrap_err().errors()[0].path, "sale_price");
/// p.sale_price = Some(Money::brl(dec!(1250000)));
/// assert!(p.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    /// The property's id.
    pub id: PropertyId,
    /// The brokerage's own listing code (`AP0123`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Sale, rent or both.
    pub listing: ListingKind,
    /// Apartment, house…
    pub property_type: PropertyType,
    /// Draft, active, sold…
    #[serde(default)]
    pub status: PropertyStatus,
    /// Asking price, required when for sale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale_price: Option<Money>,
    /// Monthly rent, required when for rent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rent: Option<Money>,
    /// Monthly condominium fee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condo_fee: Option<Money>,
    /// Yearly IPTU (municipal property tax).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iptu_yearly: Option<Money>,
    /// Private (useful) area in m².
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_area_m2: Option<Decimal>,
    /// Total area in m² (with common areas, or the plot for land and houses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_area_m2: Option<Decimal>,
    /// Bedrooms (dormitórios), suites included.
    #[serde(default)]
    pub bedrooms: u8,
    /// Bedrooms with their own bathroom.
    #[serde(default)]
    pub suites: u8,
    /// Bathrooms, suites' included.
    #[serde(default)]
    pub bathrooms: u8,
    /// Parking spaces (vagas).
    #[serde(default)]
    pub parking_spaces: u8,
    /// Where it is.
    pub address: Address,
    /// Map position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// The broker who brought the listing in (captador).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listing_broker: Option<AgentId>,
    /// Features such as `pool`, `balcony`, `gym`, `pet_friendly`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<String>,
    /// When the listing was created.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(deserialize_with = "super::instant::deserialize")]
    pub updated_at: DateTime<Utc>,
    /// Optimistic-concurrency version.
    #[serde(default)]
    pub version: u64,
}

impl Property {
    /// An active listing with no prices, areas or rooms yet.
    pub fn new(
        id: PropertyId,
        listing: ListingKind,
        property_type: PropertyType,
        address: Address,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            id,
            reference: None,
            listing,
            property_type,
            status: PropertyStatus::default(),
            sale_price: None,
            rent: None,
            condo_fee: None,
            iptu_yearly: None,
            private_area_m2: None,
            total_area_m2: None,
            bedrooms: 0,
            suites: 0,
            bathrooms: 0,
            parking_spaces: 0,
            address,
            location: None,
            listing_broker: None,
            features: Vec::new(),
            created_at: now,
            updated_at: now,
            version: 0,
        }
    }

    /// Price per m² of private area (or total area when there is no private area), rounded
    /// half-even to cents; `None` without a sale price or an area.
    ///
    /// ```
    /// # use crm_core::{Money, domain::{Address, ListingKind, Property, PropertyId, PropertyType}};
    /// # use chrono::{TimeZone, Utc};
    /// # use rust_decimal_macros::dec;
    /// # let at = Utc.with_ymd_and_hms(2026, 10, 5, 10, 0, 0).unwrap();
    /// # let mut p = Property::new(PropertyId::from_parts(1, [2; 10]), ListingKind::Sale, PropertyType::Apartment, Address::default(), at);
    /// p.sale_price = Some(Money::brl(dec!(1000000)));
    /// p.private_area_m2 = Some(dec!(75));
    /// assert_eq!(p.sale_price_per_m2(), Some(Money::brl(dec!(13333.33))));
    /// ```
    pub fn sale_price_per_m2(&self) -> Option<Money> {
        let area = self
            .private_area_m2
            .or(self.total_area_m2)
            .filter(|a| *a > Decimal::ZERO)?;
        let price = self.sale_price?;
        let per = price.amount().checked_div(area)?;
        Some(Money::new(per, price.currency()).round(crate::RoundingMode::HalfEven))
    }

    /// Every problem with the listing, each with its path: prices for what it is listed for
    /// (`sale_price`, `rent`), no negative fees, areas above zero with private ≤ total, at
    /// least one area, suites ≤ bedrooms and ≤ bathrooms, the address (`address.cep`, …), the
    /// map point, and `updated_at` not before `created_at`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        optional_text(&mut errors, "reference", &self.reference, 60);
        self.check_prices(&mut errors);
        self.check_areas(&mut errors);
        self.check_rooms(&mut errors);
        if let Err(e) = self.address.validate() {
            errors.extend_at("address", e);
        }
        if let Some(Err(e)) = self.location.map(|l| l.validate()) {
            errors.extend_at("location", e);
        }
        for (i, f) in self.features.iter().enumerate() {
            super::checks::required_text(&mut errors, &format!("features[{i}]"), f, MAX_NAME_CHARS);
        }
        not_before(
            &mut errors,
            "updated_at",
            self.updated_at,
            "created_at",
            self.created_at,
        );
        errors.into_result()
    }

    fn check_prices(&self, errors: &mut ValidationErrors) {
        for (wanted, value, path, what) in [
            (
                self.listing.for_sale(),
                &self.sale_price,
                "sale_price",
                "a listing for sale needs a sale price",
            ),
            (
                self.listing.for_rent(),
                &self.rent,
                "rent",
                "a listing for rent needs a monthly rent",
            ),
        ] {
            match value {
                Some(v) => positive_money(errors, path, v),
                None if wanted => {
                    errors.push(FieldError::new(ErrorCode::PropertyPriceMissing, what).at(path))
                }
                None => {}
            }
        }
        non_negative_money(errors, "condo_fee", &self.condo_fee);
        non_negative_money(errors, "iptu_yearly", &self.iptu_yearly);
    }

    fn check_areas(&self, errors: &mut ValidationErrors) {
        for (path, area) in [
            ("private_area_m2", self.private_area_m2),
            ("total_area_m2", self.total_area_m2),
        ] {
            if let Some(a) = area.filter(|a| *a <= Decimal::ZERO) {
                errors.push(
                    FieldError::new(
                        ErrorCode::NumberRange,
                        format!("must be above zero, found {a}"),
                    )
                    .at(path),
                );
            }
        }
        match (self.private_area_m2, self.total_area_m2) {
            (None, None) => errors.push(
                FieldError::new(ErrorCode::Required, "a private or a total area is required")
                    .at("private_area_m2"),
            ),
            (Some(p), Some(t)) if p > t => errors.push(
                FieldError::new(
                    ErrorCode::PropertyAreaOrder,
                    format!("private area {p} m² is above total area {t} m²"),
                )
                .at("private_area_m2"),
            ),
            _ => {}
        }
    }

    fn check_rooms(&self, errors: &mut ValidationErrors) {
        if self.suites > self.bedrooms {
            errors.push(
                FieldError::new(
                    ErrorCode::PropertySuites,
                    format!("{} suites but only {} bedrooms", self.suites, self.bedrooms),
                )
                .at("suites"),
            );
        } else if self.suites > self.bathrooms {
            errors.push(
                FieldError::new(
                    ErrorCode::PropertySuites,
                    format!(
                        "{} suites but only {} bathrooms",
                        self.suites, self.bathrooms
                    ),
                )
                .at("suites"),
            );
        }
    }

    /// A copy ready to store: the address in canonical form, features trimmed.
    pub fn normalized(&self) -> Result<Property, ValidationErrors> {
        self.validate()?;
        let mut p = self.clone();
        p.address = self.address.normalized()?;
        p.features = self.features.iter().map(|f| f.trim().to_owned()).collect();
        Ok(p)
    }
}
