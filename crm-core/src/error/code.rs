//! The error-code catalogue: every stable machine code the core can return.
//!
//! Codes are public API. Hosts match on them (`err.code` in Python and JS, a typed exception on
//! mobile), so a code is never renamed or reused; new codes are only added. The catalogue is
//! rendered to `docs/error-codes.md` and a test keeps that file in step with this one.

use std::fmt;

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $variant:ident = $code:literal, $desc:literal; )+) => {
        /// A stable machine code, such as `validation.cpf.check_digit`.
        ///
        /// ```
        /// use crm_core::ErrorCode;
        /// assert_eq!(ErrorCode::CpfCheckDigit.as_str(), "validation.cpf.check_digit");
        /// assert_eq!("validation.cpf.check_digit".parse::<ErrorCode>(), Ok(ErrorCode::CpfCheckDigit));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$meta])* #[doc = $desc] $variant, )+
        }

        impl ErrorCode {
            /// Every code, in catalogue order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )+ ];

            /// The dotted machine code, stable across releases and languages.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $code, )+ }
            }

            /// One line saying when the code is returned.
            pub const fn description(self) -> &'static str {
                match self { $( ErrorCode::$variant => $desc, )+ }
            }
        }

        impl std::str::FromStr for ErrorCode {
            type Err = UnknownErrorCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $code => Ok(ErrorCode::$variant), )+
                    _ => Err(UnknownErrorCode(s.to_owned())),
                }
            }
        }
    };
}

error_codes! {
    // --- generic input -------------------------------------------------------------------
    Json = "input.json", "The JSON given could not be read into the expected record: malformed, a wrong type or an unknown variant (the message names the path).";
    Required = "validation.required", "A required field is missing or blank.";
    TextTooLong = "validation.text.too_long", "A text field is longer than its limit.";
    NumberRange = "validation.number.range", "A number is outside its allowed range (for example an area that is not positive).";
    DateOrder = "validation.date.order", "Two dates or instants are in the wrong order (an end before its start, an update before the creation).";
    IdFormat = "validation.id.format", "An id is not a UUID in its usual text form.";
    IdNil = "validation.id.nil", "An id is the nil UUID, which is never a real record's id.";
    // --- money ---------------------------------------------------------------------------
    MoneyFormat = "validation.money.format", "An amount is not a decimal number written as a string (\"1234.56\"), or it is a JSON float.";
    MoneyNegative = "validation.money.negative", "An amount that must not be negative is negative.";
    CurrencyUnknown = "validation.currency.unknown", "A currency is not an ISO 4217 code.";
    CurrencyMismatch = "money.currency_mismatch", "Two amounts in different currencies were combined.";
    Overflow = "money.overflow", "A computation went beyond the range of a 96-bit decimal.";
    AllocationNoParts = "money.allocation.no_parts", "An allocation was asked for no parts at all.";
    AllocationNegativeWeight = "money.allocation.negative_weight", "An allocation weight is negative.";
    AllocationZeroWeights = "money.allocation.zero_weights", "All allocation weights are zero, so there is nothing to allocate by.";
    AllocationSubUnit = "money.allocation.sub_unit", "The total to allocate has fractions of the currency's minor unit (round it first).";
    RateFormat = "validation.rate.format", "A rate is not a decimal fraction (\"0.065\") or a percentage (\"6.5%\").";
    RateRange = "validation.rate.range", "A rate is outside its allowed range (0% to 100% unless the rule says otherwise).";
    // --- Brazilian documents ------------------------------------------------------------
    CpfEmpty = "validation.cpf.empty", "The CPF is blank.";
    CpfCharacter = "validation.cpf.character", "The CPF holds a character that is neither a digit nor a mask separator (. - space).";
    CpfLength = "validation.cpf.length", "The CPF does not have 11 digits.";
    CpfRepeated = "validation.cpf.repeated", "The CPF is one digit repeated (000.000.000-00 … 999.999.999-99): valid arithmetic, never issued.";
    CpfCheckDigit = "validation.cpf.check_digit", "The CPF's check digits do not match its first nine digits.";
    CnpjEmpty = "validation.cnpj.empty", "The CNPJ is blank.";
    CnpjCharacter = "validation.cnpj.character", "The CNPJ holds a character outside 0-9, A-Z and the mask separators, or a letter in a check-digit position.";
    CnpjLength = "validation.cnpj.length", "The CNPJ does not have 14 characters.";
    CnpjRepeated = "validation.cnpj.repeated", "The CNPJ is one digit repeated, which is never issued.";
    CnpjCheckDigit = "validation.cnpj.check_digit", "The CNPJ's check digits do not match its first twelve characters.";
    DocumentLength = "validation.document.length", "A CPF-or-CNPJ field has neither 11 (CPF) nor 14 (CNPJ) characters.";
    CepEmpty = "validation.cep.empty", "The CEP is blank.";
    CepCharacter = "validation.cep.character", "The CEP holds a character that is neither a digit nor a mask separator (- . space).";
    CepLength = "validation.cep.length", "The CEP does not have 8 digits.";
    CepRange = "validation.cep.range", "The CEP is below 01000-000, where no postal code is assigned.";
    UfEmpty = "validation.uf.empty", "The UF (state) is blank.";
    UfUnknown = "validation.uf.unknown", "The UF is not one of the 26 states and the Federal District.";
    AddressCepUfMismatch = "validation.address.cep_uf_mismatch", "The CEP belongs to another state's range than the address's UF.";
    // --- contact data -------------------------------------------------------------------
    PhoneEmpty = "validation.phone.empty", "The phone number is blank.";
    PhoneCharacter = "validation.phone.character", "The phone number holds a character other than digits, a leading +, spaces, dots, dashes and parentheses.";
    PhoneLength = "validation.phone.length", "The phone number has too few or too many digits (a Brazilian number needs its two-digit area code).";
    PhoneCountryCode = "validation.phone.country_code", "An international number starts with 0 where the country code should be.";
    PhoneAreaCode = "validation.phone.area_code", "The two-digit area code (DDD) is not one in use in Brazil.";
    PhoneSubscriber = "validation.phone.subscriber", "The subscriber number starts with a digit no Brazilian line starts with (mobiles 9, landlines 2-5).";
    PhoneLegacyMobile = "validation.phone.legacy_mobile", "An 8-digit mobile from before the ninth digit; it can be repaired by an opt-in option.";
    PhoneNonGeographic = "validation.phone.non_geographic", "A non-geographic service number (0800, 0300, 4004 …), not a person's line.";
    EmailEmpty = "validation.email.empty", "The e-mail address is blank.";
    EmailFormat = "validation.email.format", "The e-mail address is not valid under the usual (HTML5/RFC 5322 subset) rules.";
    CreciEmpty = "validation.creci.empty", "The CRECI registration is blank.";
    CreciFormat = "validation.creci.format", "The CRECI registration cannot be read as UF, number and optional F/J kind.";
    CreciNumber = "validation.creci.number", "The CRECI number is missing, zero or longer than six digits.";
    CreciUf = "validation.creci.uf", "The CRECI registration has no UF or an unknown one.";
    CreciKind = "validation.creci.kind", "The CRECI kind letter is neither F (individual) nor J (company).";
    // --- commission ---------------------------------------------------------------------
    CommissionTierGap = "validation.commission.tier_gap", "Tiers leave a gap (or do not start at zero, or the last one is not open-ended), which would pay zero for some values.";
    CommissionTierOverlap = "validation.commission.tier_overlap", "Tiers overlap, or a tier's upper bound is not above its lower bound.";
    CommissionSharesSum = "validation.commission.shares_sum", "The shares of the remainder do not sum to 100%, or shares off the top exceed 100% of the pool.";
    CommissionShareKind = "validation.commission.share_kind", "A share off the top gives neither or both of percent_of_pool and fixed.";
    CommissionRoleDuplicate = "validation.commission.role_duplicate", "A role appears twice in a plan's split, limits or accelerators where it may appear once.";
    CommissionAccelerator = "validation.commission.accelerator", "An accelerator names a role without a share, lowers the share, or cannot be funded by the house role.";
    CommissionCapBelowMinimum = "validation.commission.cap_below_minimum", "A participant limit's maximum is below its minimum.";
    CommissionPoolKind = "validation.commission.pool_kind", "The pool rule or administration fee does not fit the kind of deal the plan applies to.";
    CommissionDealKind = "validation.commission.deal_kind", "The deal is a sale and the plan a lease plan, or the other way round.";
    CommissionRoleUnfilled = "validation.commission.role_unfilled", "A role with a share in the plan has no participant in the deal, and the plan names no role to take vacant shares.";
    CommissionRoleUnpaid = "validation.commission.role_unpaid", "A participant's role has no share in the plan, so it would silently be paid nothing.";
    CommissionPeriod = "validation.commission.period", "A rent period is empty, reversed or spans more than one calendar month.";
    WithholdingRule = "validation.withholding.rule", "A withholding rule gives neither or both of a flat rate and progressive brackets.";
    WithholdingBrackets = "validation.withholding.brackets", "Progressive brackets are unsorted, or an open-ended bracket is not the last.";
    WithholdingOverlap = "validation.withholding.overlap", "Two rules for the same tax could apply to the same recipient on the same date.";
    CommissionPoolExceeded = "commission.pool_exceeded", "Shares taken off the top exceed the pool.";
    CommissionLimitUnfunded = "commission.limit_unfunded", "A minimum or an accelerator needs more than the house role's share holds.";
    CommissionWithholdingExceedsGross = "commission.withholding_exceeds_gross", "The taxes withheld from a line would exceed its gross.";
    // --- pricing ------------------------------------------------------------------------
    FinancingPrincipal = "validation.financing.principal", "A financing amount is out of range: a principal, income, property or declared value that is not positive (or a principal with fractions of a cent), a fee with fractions of a cent, or a financed amount that is negative or above the price.";
    FinancingRate = "validation.financing.rate", "A financing rate (interest, TR or insurance) is at or below -100% or above 100% a month, an insurance rate is negative, or a negative rate leaves a SAC loan without a positive first instalment.";
    FinancingTerm = "validation.financing.term", "A financing term is outside 1..=600 months (50 years), or its due dates would leave the calendar.";
    FinancingTrSeries = "validation.financing.tr_series", "The TR series given does not have one entry per month of the term.";
    FinancingNegativeAmortization = "validation.financing.negative_amortization", "An amortisation would be negative or exceed the balance, so the schedule cannot end at zero in its last month (a principal too small for its term, or a PRICE instalment whose rounding, compounded over a long term, repays the loan early).";
    CetNoSolution = "pricing.cet.no_solution", "No total effective cost (CET) rate between -99% and 1000% a month discounts the payments to the amount received.";
    IndexEmpty = "validation.index.empty", "The price-index series is empty.";
    IndexMissingMonths = "validation.index.missing_months", "The price-index series lacks months the adjustment window needs (the message lists them as YYYY-MM).";
    IndexValue = "validation.index.value", "A monthly index variation is at or below -100%, or an index number is not positive.";
    IndexTooEarly = "validation.index.too_early", "The adjustment year is not at least a year after the contract start or the last renegotiation.";
    FeeTableOrder = "validation.fee_table.order", "A fee table's brackets are not in strictly ascending order of `up_to`, or an open-ended bracket is not the last.";
    FeeTableUncovered = "validation.fee_table.uncovered", "A value is above every bracket of a fee table that has no open-ended bracket.";
    StatsEmpty = "validation.stats.empty", "Statistics were asked of an empty list.";
    StatsValue = "validation.stats.value", "A price or an area given to the statistics is not positive.";
    // --- scoring ------------------------------------------------------------------------
    ScoringDuplicate = "validation.scoring.duplicate", "Two rules share an id, or two groups or bands share a name.";
    ScoringGroupUnknown = "validation.scoring.group_unknown", "A rule names a group its section does not define.";
    ScoringCondition = "validation.scoring.condition", "A rule's condition is empty or out of range (no kinds, an unknown source, a repeat of fewer than two views…).";
    ScoringWeights = "validation.scoring.weights", "The fit and engagement weights are negative or both zero.";
    ScoringBands = "validation.scoring.bands", "Bands are missing, outside 0–100, not strictly descending, or the last does not start at 0.";
    // --- dedupe -------------------------------------------------------------------------
    DedupeProbability = "validation.dedupe.probability", "A duplicate-detection m or u probability is not strictly between 0 and 1.";
    DedupeWeightOrder = "validation.dedupe.weight_order", "A duplicate-detection field's m probability is not above its u probability, so agreeing would count against a match.";
    DedupeSimilarity = "validation.dedupe.similarity", "A duplicate-detection similarity threshold (`similar_at`) is not within 0 (inclusive) and 1 (exclusive).";
    DedupeThresholds = "validation.dedupe.thresholds", "A duplicate-detection threshold is not a finite number, or `review_at` is above `match_at`.";
    DedupeBlockSize = "validation.dedupe.block_size", "A duplicate-detection block limit is zero, or the sorted-neighbourhood window is below 2.";
    // --- workflow: calendar and SLAs ------------------------------------------------------
    CalendarHours = "validation.calendar.hours", "A business calendar's working hours are wrong: an interval that does not end after it starts, two intervals of one weekday that overlap, or no working interval at all.";
    CalendarTimeZone = "validation.calendar.time_zone", "A business calendar's time zone is not an IANA zone name (such as `America/Sao_Paulo`).";
    CalendarTooFar = "workflow.calendar.too_far", "A business-time deadline would lie more than 10 years of calendar time away (or outside the supported dates), so it is refused rather than searched for.";
    SlaId = "validation.sla.id", "An SLA policy's id is empty, or two policies share an id.";
    SlaDuration = "validation.sla.duration", "An SLA duration (`within`, `warn_before` or an escalation's `after`) is out of range: `within` is zero, or a duration exceeds 10 years.";
    SlaWarnBefore = "validation.sla.warn_before", "An SLA policy's `warn_before` is not shorter than its `within`, or is counted in a different unit.";
    SlaEscalation = "validation.sla.escalation", "An SLA policy's escalation steps are not in non-decreasing order of `after`, or count `after` in different units.";
    SlaStart = "validation.sla.start", "An SLA policy starts at a field whose name is empty.";
    // --- workflow: conditions ------------------------------------------------------------
    WorkflowCondition = "validation.workflow.condition", "A condition cannot be evaluated as written: `between` with min above max or values that do not compare, an empty `in` list, or nesting deeper than 32 levels.";
    // --- workflow: routing ----------------------------------------------------------------
    RoutingTeam = "validation.routing.team", "A routing team is invalid: a blank or repeated id, no members, a zero capacity, or a `fallback_team` that names no team.";
    RoutingMember = "validation.routing.member", "A routing team member is invalid: a nil agent id, the same agent twice in one team, a weight outside 1..=100, or a `max_open_leads` of zero.";
    RoutingMatchOrder = "validation.routing.match_order", "The routing match order names a criterion twice.";
    RoutingClaim = "validation.routing.claim", "A claim offer is invalid: `offer_to` or `timeout_minutes` is zero or above its limit.";
    RoutingFallback = "validation.routing.fallback", "A claim fallback step is not `next_in_team`, `team:<id>` of a known team, `manager` (with a manager set) or `pool`.";
    RoutingSchedule = "validation.routing.schedule", "An agent's working hours are invalid: a time not written `HH:MM`, an interval that ends before it starts, no weekday, or a UTC offset beyond ±14 hours.";
    RoutingAgentStatus = "validation.routing.agent_status", "Two agent statuses given to routing share an agent id.";
    RoutingOfferPending = "workflow.routing.offer_pending", "The lead already has an outstanding claim offer; resolve it before routing the lead again.";
    RoutingOfferUnknown = "workflow.routing.offer_unknown", "No outstanding claim offer has this id in the routing state.";
    RoutingOfferNotExpired = "workflow.routing.offer_not_expired", "An unclaimed offer was resolved before its timeout passed.";
    RoutingOfferExpired = "workflow.routing.offer_expired", "A claim arrived at or after the offer's expiry; the offer has moved on (resolve it without a claim).";
    RoutingClaimNotOffered = "workflow.routing.claim_not_offered", "An agent claimed an offer that was not made to them.";
    // --- workflow: pipelines and automation ----------------------------------------------
    PipelineId = "validation.pipeline.id", "A pipeline's id is blank.";
    PipelineStageKey = "validation.pipeline.stage_key", "A pipeline stage key is blank or not `snake_case` (lower-case letters, digits and `_`), or `*` is used as a stage key.";
    PipelineStageDuplicate = "validation.pipeline.stage_duplicate", "Two stages of a pipeline share a key.";
    PipelineTerminalMissing = "validation.pipeline.terminal_missing", "A pipeline has no open stage, no won stage or no lost stage.";
    PipelineUnknownStage = "validation.pipeline.unknown_stage", "A transition names a stage (`from` or `to`) that the pipeline does not have.";
    PipelineTransitionDuplicate = "validation.pipeline.transition_duplicate", "Two transitions of a pipeline cover the same move (`from` to `to`), or a transition leads from a stage to itself.";
    PipelineUnreachable = "validation.pipeline.unreachable", "A stage cannot be reached from the pipeline's first stage by any allowed transition.";
    PipelineTerminalExit = "validation.pipeline.terminal_exit", "A transition leaves a won or lost stage without `reopen: true` (a `*` source never covers won or lost stages).";
    PipelineGuard = "validation.pipeline.guard", "A transition guard is invalid: a `condition` guard with a wrong condition or a blank `code`.";
    AutomationRuleId = "validation.automation.rule_id", "An automation rule's id is blank, or two rules share an id.";
    AutomationTrigger = "validation.automation.trigger", "An automation trigger is invalid: a blank field, `from`, `to` or `sla`, a change with the same `from` and `to`, a time offset that is zero or over 3650 days, or a `before` condition on a trigger whose events carry no before record.";
    AutomationAction = "validation.automation.action", "An automation rule has no actions, or an action is invalid (a blank stage, task title, template or tag).";
    AutomationLoop = "validation.automation.loop", "Automation rules can trigger each other in a cycle (a rule whose action produces an event matching its own trigger, directly or through other rules); the message lists the cycle's rule ids.";
    TransitionForbidden = "workflow.transition.forbidden", "The pipeline has no transition from the record's stage to the requested one.";
    TransitionGuard = "workflow.transition.guard", "A guard of an allowed transition failed (no property, no offered value, no accepted proposal, no reason, or a condition); the path names the guard (`guards[1]`).";
    StageUnknown = "workflow.stage.unknown", "A stage key (the record's current stage or the requested one) is not a stage of the pipeline, or the pipeline does not apply to this kind of record (lead or deal).";
    // --- workflow: decision tables ------------------------------------------------------
    DecisionShape = "validation.decision.shape", "A decision table is malformed: no rows or outputs, a blank or repeated input or output name, or a row whose `when` or `then` does not have one cell per input or output.";
    DecisionPolicy = "validation.decision.policy", "A decision table's hit policy settings do not fit: an aggregation without the collect policy or over more than one output, the priority policy without a `priority` list (or a list elsewhere, empty or repeated), or a row output missing from its priority list.";
    DecisionCell = "validation.decision.cell", "A decision table cell cannot be used: a test value that does not fit the input's declared type or allowed values, or a JSON float where a decimal string is required.";
    DecisionNotUnique = "workflow.decision.not_unique", "A decision table with the unique hit policy matched more than one row (the message names them).";
    DecisionConflict = "workflow.decision.conflict", "A decision table with the any hit policy matched rows whose outputs differ (the message names them).";
    DecisionNoMatch = "workflow.decision.no_match", "A decision table whose hit policy needs a match (unique, first, priority, any) matched no row.";
    DecisionAggregate = "workflow.decision.aggregate", "A collect aggregation (sum, min, max) met an output that is not a number.";
    DecisionInputType = "workflow.decision.input_type", "An input value does not fit the decision table input's declared type or allowed values.";
    // --- storage ------------------------------------------------------------------------
    StoreNotFound = "store.not_found", "The record to update, or that a new record refers to (an activity's lead), does not exist in this tenant.";
    StoreConflict = "store.conflict", "An update carried a version that is no longer the stored one: someone else changed the record since it was read. Read it again and retry.";
    StoreDuplicate = "store.duplicate", "A new record has the id of a stored one, or a lead repeats the portal lead id of a stored lead (the error names the stored record).";
    StoreCursor = "store.cursor", "A pagination cursor is not one this store handed out (malformed, or from another kind of query).";
    StoreLedgerUnbalanced = "store.ledger.unbalanced", "A ledger entry's postings do not sum to zero, or mix currencies; the ledger only takes balanced entries.";
    StoreUnavailable = "store.unavailable", "The database could not be reached or did not answer in time (refused connection, timeout, pool exhausted). Retrying later may work.";
    StoreAuth = "store.auth", "The database refused the credentials or the role (wrong password, unknown user, no permission).";
    StoreMigration = "store.migration", "The database schema is not the one this build expects: migrations not applied, applied ones changed, or a newer schema than this build knows.";
    StoreConfig = "store.config", "A store or cache URL or option is wrong: an unknown scheme, a backend not compiled in, or a malformed setting.";
    StoreCorrupt = "store.corrupt", "A stored row could not be read back into its record (edited by hand or written by an incompatible version).";
    StoreBackend = "store.backend", "The database reported an error the store does not classify further; the message carries the database's own words.";
    // --- host ---------------------------------------------------------------------------
    Panic = "internal.panic", "A bug inside the library stopped a call (a Rust panic caught at the host boundary, never an abort); the message says where. Please report it.";
    NaiveDatetime = "input.naive_datetime", "A date-time without a time zone (a naive Python `datetime`) was given where an instant is required; attach a zone (`tzinfo`).";
    // --- records ------------------------------------------------------------------------
    LeadContactMissing = "validation.lead.contact_missing", "A lead has neither an e-mail nor a phone, so no one can reach it.";
    LeadBudgetOrder = "validation.lead.budget_order", "A lead's budget minimum is above its maximum.";
    LeadPortalIdMissing = "validation.lead.portal_id_missing", "A portal lead lacks the portal's own lead id, needed to ingest deliveries idempotently.";
    ConsentRequired = "validation.consent.required", "Marketing contact is switched on without an active (granted, not revoked) marketing consent (LGPD art. 7 and 8).";
    PropertyPriceMissing = "validation.property.price_missing", "A listing for sale has no sale price, or one for rent has no rent.";
    PropertyAreaOrder = "validation.property.area_order", "The private area is larger than the total area.";
    PropertySuites = "validation.property.suites", "A property has more suites than bedrooms, or than bathrooms.";
    GeoRange = "validation.geo.range", "A latitude is outside -90..=90 or a longitude outside -180..=180.";
    DealParticipantsMissing = "validation.deal.participants_missing", "A deal names no participant to be paid.";
    DealParticipantAgent = "validation.deal.participant_agent", "A broker participant (listing or selling) has no agent id.";
    DealRoleDuplicate = "validation.deal.role_duplicate", "A deal names the same agent twice in one role, or more than one agency.";
    DealSellingBroker = "validation.deal.selling_broker", "A closed deal has no selling broker.";
    DealRecipientDocument = "validation.deal.recipient_document", "A company recipient's document is not a CNPJ, or an individual's is not a CPF.";
    ActivityPropertyMissing = "validation.activity.property_missing", "An activity about a listing (view, favourite, visit, proposal) names no property.";
}

/// A string that is not one of the catalogue's codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown error code `{0}`")]
pub struct UnknownErrorCode(pub String);

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ErrorCode {
    /// The family of a code: its first two dotted segments (`validation.cpf`, `money.allocation`).
    ///
    /// ```
    /// use crm_core::ErrorCode;
    /// assert_eq!(ErrorCode::CpfLength.family(), "validation.cpf");
    /// assert_eq!(ErrorCode::Json.family(), "input.json");
    /// ```
    pub fn family(self) -> &'static str {
        let s = self.as_str();
        match s.match_indices('.').nth(1) {
            Some((i, _)) => s.get(..i).unwrap_or(s),
            None => s,
        }
    }

    /// Whether the code reports bad input (every `validation.*` and `input.*` code).
    pub fn is_validation(self) -> bool {
        let s = self.as_str();
        s.starts_with("validation.") || s.starts_with("input.")
    }

    /// The catalogue as a Markdown table, the form `docs/error-codes.md` keeps.
    pub fn catalogue_markdown() -> String {
        let mut out = String::from("| code | when |\n|---|---|\n");
        for code in Self::ALL {
            out.push_str("| `");
            out.push_str(code.as_str());
            out.push_str("` | ");
            out.push_str(&code.description().replace('|', "\\|"));
            out.push_str(" |\n");
        }
        out
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {code}");
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(*code));
            assert!(
                code.as_str()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            );
            assert!(!code.description().is_empty());
        }
        assert!("validation.nope".parse::<ErrorCode>().is_err());
    }

    #[test]
    fn families() {
        assert_eq!(ErrorCode::AllocationSubUnit.family(), "money.allocation");
        assert_eq!(
            ErrorCode::CurrencyMismatch.family(),
            "money.currency_mismatch"
        );
        assert!(ErrorCode::Json.is_validation());
        assert!(!ErrorCode::Overflow.is_validation());
    }
}
