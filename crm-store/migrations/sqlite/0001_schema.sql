-- crm-store, SQLite: the whole schema.
--
-- Every table is keyed by (tenant_id, id): the same UUID in another tenant is another row.
-- UUIDs are 16-byte BLOBs (they sort as the store sorts them: byte by byte). Instants used for
-- ordering and filtering are INTEGER microseconds since the Unix epoch. Leads, agents,
-- properties and deals keep the full normalised record as JSON in `doc` (what is read back);
-- the other columns are projections of it for filtering and ordering. Activities and visits
-- are flat, so an LGPD erasure can clear their notes in place. Money only ever appears inside
-- JSON documents, as decimal strings.

CREATE TABLE agents (
    tenant_id  BLOB    NOT NULL,
    id         BLOB    NOT NULL,
    doc        TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX agents_by_created ON agents (tenant_id, created_at, id);

CREATE TABLE leads (
    tenant_id      BLOB    NOT NULL,
    id             BLOB    NOT NULL,
    doc            TEXT    NOT NULL,
    name_key       TEXT    NOT NULL,
    email          TEXT,
    phone          TEXT,
    document       TEXT,
    portal         TEXT,
    portal_lead_id TEXT,
    stage          TEXT    NOT NULL,
    assigned_agent BLOB,
    created_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
-- A portal delivers each of its leads once: (portal, portal lead id) is unique per tenant.
-- The portal lead id comes first so that a batch can be looked up by `portal_lead_id IN (…)`.
CREATE UNIQUE INDEX leads_by_portal ON leads (tenant_id, portal_lead_id, portal)
    WHERE portal_lead_id IS NOT NULL;
CREATE INDEX leads_by_created ON leads (tenant_id, created_at, id);
CREATE INDEX leads_by_stage ON leads (tenant_id, stage, created_at, id);
CREATE INDEX leads_by_agent ON leads (tenant_id, assigned_agent, created_at, id)
    WHERE assigned_agent IS NOT NULL;
CREATE INDEX leads_by_email ON leads (tenant_id, email) WHERE email IS NOT NULL;
CREATE INDEX leads_by_phone ON leads (tenant_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX leads_by_document ON leads (tenant_id, document) WHERE document IS NOT NULL;

CREATE TABLE activities (
    tenant_id   BLOB    NOT NULL,
    id          BLOB    NOT NULL,
    lead_id     BLOB    NOT NULL,
    kind        TEXT    NOT NULL,
    at          INTEGER NOT NULL,
    property_id BLOB,
    agent_id    BLOB,
    note        TEXT,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id)
);
CREATE INDEX activities_by_lead ON activities (tenant_id, lead_id, at, id);

CREATE TABLE properties (
    tenant_id      BLOB    NOT NULL,
    id             BLOB    NOT NULL,
    doc            TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    listing        TEXT    NOT NULL,
    city_key       TEXT    NOT NULL,
    listing_broker BLOB,
    created_at     INTEGER NOT NULL,
    version        INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX properties_by_created ON properties (tenant_id, created_at, id);
CREATE INDEX properties_by_city ON properties (tenant_id, city_key, created_at, id);
CREATE INDEX properties_by_broker ON properties (tenant_id, listing_broker, created_at, id)
    WHERE listing_broker IS NOT NULL;

CREATE TABLE deals (
    tenant_id   BLOB    NOT NULL,
    id          BLOB    NOT NULL,
    doc         TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    lead_id     BLOB    NOT NULL,
    property_id BLOB    NOT NULL,
    created_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id),
    FOREIGN KEY (tenant_id, property_id) REFERENCES properties (tenant_id, id)
);
CREATE INDEX deals_by_created ON deals (tenant_id, created_at, id);
CREATE INDEX deals_by_lead ON deals (tenant_id, lead_id, created_at, id);
CREATE INDEX deals_by_property ON deals (tenant_id, property_id, created_at, id);

-- The agents taking part in a deal (any role), to find deals by agent.
CREATE TABLE deal_agents (
    tenant_id BLOB NOT NULL,
    deal_id   BLOB NOT NULL,
    agent_id  BLOB NOT NULL,
    PRIMARY KEY (tenant_id, deal_id, agent_id),
    FOREIGN KEY (tenant_id, deal_id) REFERENCES deals (tenant_id, id)
) WITHOUT ROWID;
CREATE INDEX deal_agents_by_agent ON deal_agents (tenant_id, agent_id, deal_id);

CREATE TABLE visits (
    tenant_id   BLOB    NOT NULL,
    id          BLOB    NOT NULL,
    lead_id     BLOB    NOT NULL,
    property_id BLOB    NOT NULL,
    agent_id    BLOB    NOT NULL,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    note        TEXT,
    version     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id),
    FOREIGN KEY (tenant_id, property_id) REFERENCES properties (tenant_id, id),
    FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id)
);
CREATE INDEX visits_by_start ON visits (tenant_id, starts_at, id);
CREATE INDEX visits_by_lead ON visits (tenant_id, lead_id, starts_at, id);
CREATE INDEX visits_by_agent ON visits (tenant_id, agent_id, starts_at, id);
CREATE INDEX visits_by_property ON visits (tenant_id, property_id, starts_at, id);

-- The commission ledger: append-only (the triggers refuse any change).
CREATE TABLE ledger (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   BLOB    NOT NULL,
    id          BLOB    NOT NULL,
    deal_id     BLOB    NOT NULL,
    kind        TEXT    NOT NULL,
    plan_id     TEXT    NOT NULL,
    date        TEXT    NOT NULL,
    memo        TEXT    NOT NULL,
    postings    TEXT    NOT NULL,
    recorded_at INTEGER NOT NULL,
    entry       TEXT    NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX ledger_by_deal ON ledger (tenant_id, deal_id, seq);
CREATE INDEX ledger_by_tenant ON ledger (tenant_id, seq);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
    SELECT RAISE(ABORT, 'the ledger is append-only');
END;

-- The audit log: append-only as well.
CREATE TABLE audit (
    tenant_id   BLOB    NOT NULL,
    id          BLOB    NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    record_kind TEXT    NOT NULL,
    record_id   BLOB    NOT NULL,
    detail      TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_by_at ON audit (tenant_id, at, id);
CREATE INDEX audit_by_record ON audit (tenant_id, record_id, at, id);
CREATE INDEX audit_by_actor ON audit (tenant_id, actor, at, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Lead routing: round-robin cursors and counters (separate namespaces), and the core's
-- routing state document with its version for compare-and-swap.
CREATE TABLE routing_cursors (
    tenant_id BLOB    NOT NULL,
    key       TEXT    NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;

CREATE TABLE routing_counters (
    tenant_id BLOB    NOT NULL,
    key       TEXT    NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, key)
) WITHOUT ROWID;

CREATE TABLE routing_state (
    tenant_id BLOB    NOT NULL PRIMARY KEY,
    doc       TEXT    NOT NULL,
    version   INTEGER NOT NULL
);
