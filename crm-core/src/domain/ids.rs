//! Typed record ids: UUIDs that cannot be mixed up (`LeadId` is not a `PropertyId`).
//!
//! New ids are UUID v7 (time-ordered, so they index well in PostgreSQL). The core builds them
//! from a timestamp and random bytes passed in, since it reads no clock and draws no randomness;
//! the facade crate's `generate_id` does both for hosts.

use crate::error::{ErrorCode, FieldError};
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps a UUID (any version; the nil UUID is refused by [`Self::parse`] and by
            /// record validation).
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// A UUID v7 id from a Unix timestamp in milliseconds and 10 random bytes.
            pub fn from_parts(unix_millis: u64, random: [u8; 10]) -> Self {
                Self(uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid())
            }

            /// Parses the usual text forms of a UUID (hyphenated, simple, braced, `urn:uuid:`).
            pub fn parse(input: &str) -> Result<Self, FieldError> {
                let s = input.trim();
                let uuid = Uuid::try_parse(s).map_err(|_| {
                    FieldError::new(
                        ErrorCode::IdFormat,
                        format!(concat!("`{}` is not a ", $what, " (a UUID)"), crate::money::truncate_text(s)),
                    )
                })?;
                if uuid.is_nil() {
                    return Err(FieldError::new(ErrorCode::IdNil, concat!("the nil UUID is not a ", $what)));
                }
                Ok(Self(uuid))
            }

            /// The UUID inside.
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }

            /// Whether this is the nil UUID (never a real record's id).
            pub fn is_nil(&self) -> bool {
                self.0.is_nil()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0.hyphenated())
            }
        }

        impl std::str::FromStr for $name {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::serde_str::read(d, |s| Self::parse(s).map_err(|e| e.message))
            }
        }
    };
}

typed_id!(
    /// A brokerage (imobiliária): the tenant every stored record belongs to.
    ///
    /// ```
    /// use crm_core::domain::TenantId;
    /// let id = TenantId::from_parts(1_767_225_600_000, [7; 10]);
    /// assert_eq!(id.as_uuid().get_version_num(), 7);
    /// assert_eq!(TenantId::parse(&id.to_string()).unwrap(), id);
    /// ```
    TenantId,
    "tenant id"
);
typed_id!(
    /// A broker or staff member of the brokerage.
    ///
    /// ```
    /// use crm_core::domain::AgentId;
    /// assert!(AgentId::parse("00000000-0000-0000-0000-000000000000").is_err());
    /// ```
    AgentId,
    "agent id"
);
typed_id!(
    /// A lead: a person or company interested in buying or renting.
    ///
    /// ```
    /// use crm_core::domain::LeadId;
    /// let id: LeadId = "0190f5f4-8b1e-7c3a-9d2e-5a4b3c2d1e0f".parse().unwrap();
    /// assert_eq!(id.to_string(), "0190f5f4-8b1e-7c3a-9d2e-5a4b3c2d1e0f");
    /// ```
    LeadId,
    "lead id"
);
typed_id!(
    /// A property (imóvel) listed for sale, rent or both.
    ///
    /// ```
    /// use crm_core::domain::PropertyId;
    /// assert_eq!(PropertyId::parse("not-a-uuid").unwrap_err().code.as_str(), "validation.id.format");
    /// ```
    PropertyId,
    "property id"
);
typed_id!(
    /// A deal: a proposal that becomes a sale or a lease.
    ///
    /// ```
    /// use crm_core::domain::DealId;
    /// let a = DealId::from_parts(1_000, [0; 10]);
    /// let b = DealId::from_parts(2_000, [0; 10]);
    /// assert!(a < b, "v7 ids sort by creation time");
    /// ```
    DealId,
    "deal id"
);
typed_id!(
    /// A visit of a lead to a property with an agent.
    ///
    /// ```
    /// use crm_core::domain::VisitId;
    /// let id = VisitId::from_parts(1_767_225_600_000, [1; 10]);
    /// assert!(!id.is_nil());
    /// ```
    VisitId,
    "visit id"
);
typed_id!(
    /// One activity in a lead's history.
    ///
    /// ```
    /// use crm_core::domain::ActivityId;
    /// let id = ActivityId::from_parts(0, [9; 10]);
    /// assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
    /// ```
    ActivityId,
    "activity id"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_and_refuse() {
        let id = LeadId::from_parts(1_767_225_600_000, [3; 10]);
        assert_eq!(id.as_uuid().get_version_num(), 7);
        assert_eq!(LeadId::parse(&format!("  {id}  ")).ok(), Some(id));
        assert_eq!(
            LeadId::parse(&id.as_uuid().simple().to_string()).ok(),
            Some(id)
        );
        assert_eq!(
            LeadId::parse("").err().map(|e| e.code),
            Some(ErrorCode::IdFormat)
        );
        assert_eq!(
            LeadId::parse(&"a".repeat(10_000)).err().map(|e| e.code),
            Some(ErrorCode::IdFormat)
        );
        let json = serde_json::to_string(&id).unwrap_or_default();
        assert_eq!(serde_json::from_str::<LeadId>(&json).ok(), Some(id));
        assert!(
            serde_json::from_str::<LeadId>("\"00000000-0000-0000-0000-000000000000\"").is_err()
        );
    }
}
