-- crm-store PostgreSQL schema, version 1: the tables and one index per query of the store's
-- traits. Every table is keyed by (tenant_id, id): the same UUID in another tenant is another
-- row. Records with a `doc` keep their full normalised JSON there (the source of truth read
-- back); the typed columns beside it are projections for filtering and ordering.
-- Tables are created unqualified: they land in the connection's first schema
-- (`StoreOptions::schema`, set as `search_path` by the store).

CREATE TABLE agents (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    doc        jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    version    bigint      NOT NULL CHECK (version > 0),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX agents_by_created ON agents (tenant_id, created_at, id);

CREATE TABLE leads (
    tenant_id      uuid        NOT NULL,
    id             uuid        NOT NULL,
    doc            jsonb       NOT NULL,
    name_key       text        NOT NULL,
    email          text,
    phone          text,
    document       text,
    portal         text,
    portal_lead_id text,
    stage          text        NOT NULL,
    assigned_agent uuid,
    created_at     timestamptz NOT NULL,
    version        bigint      NOT NULL CHECK (version > 0),
    PRIMARY KEY (tenant_id, id)
);
-- A portal delivers the same lead again: one lead per (portal, portal lead id) and tenant.
CREATE UNIQUE INDEX leads_portal_key ON leads (tenant_id, portal, portal_lead_id)
    WHERE portal_lead_id IS NOT NULL;
CREATE INDEX leads_by_created ON leads (tenant_id, created_at, id);
CREATE INDEX leads_by_stage_agent ON leads (tenant_id, stage, assigned_agent, created_at, id);
CREATE INDEX leads_by_agent ON leads (tenant_id, assigned_agent, created_at, id)
    WHERE assigned_agent IS NOT NULL;
CREATE INDEX leads_by_email ON leads (tenant_id, email) WHERE email IS NOT NULL;
CREATE INDEX leads_by_phone ON leads (tenant_id, phone) WHERE phone IS NOT NULL;
CREATE INDEX leads_by_document ON leads (tenant_id, document) WHERE document IS NOT NULL;

-- Name search (`name_key LIKE '%fragment%'`): a trigram GIN index when pg_trgm can be had.
-- The extension is database-wide, so it goes to `public` (never to the store's own schema,
-- whose DROP … CASCADE would take it from every other schema); without it, or without the
-- privilege to create it, name search still works by scanning the tenant's leads.
DO $$
DECLARE
    ext_schema text;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%): name search runs without a trigram index', SQLERRM;
    END;
    SELECT n.nspname INTO ext_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pg_trgm';
    IF ext_schema IS NOT NULL THEN
        EXECUTE format('CREATE INDEX leads_by_name_trgm ON leads USING gin (name_key %I.gin_trgm_ops)',
                       ext_schema);
    END IF;
END
$$;

CREATE TABLE activities (
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    lead_id     uuid        NOT NULL,
    kind        text        NOT NULL,
    at          timestamptz NOT NULL,
    property_id uuid,
    agent_id    uuid,
    note        text,
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT activities_lead_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id)
);
CREATE INDEX activities_by_lead ON activities (tenant_id, lead_id, at, id);

CREATE TABLE properties (
    tenant_id      uuid        NOT NULL,
    id             uuid        NOT NULL,
    doc            jsonb       NOT NULL,
    status         text        NOT NULL,
    listing        text        NOT NULL,
    city_key       text        NOT NULL,
    listing_broker uuid,
    sale_price     numeric,
    rent           numeric,
    created_at     timestamptz NOT NULL,
    version        bigint      NOT NULL CHECK (version > 0),
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX properties_by_created ON properties (tenant_id, created_at, id);
CREATE INDEX properties_by_status ON properties (tenant_id, status, listing, created_at, id);
CREATE INDEX properties_by_listing ON properties (tenant_id, listing, created_at, id);
CREATE INDEX properties_by_city ON properties (tenant_id, city_key, created_at, id);
CREATE INDEX properties_by_broker ON properties (tenant_id, listing_broker, created_at, id)
    WHERE listing_broker IS NOT NULL;

CREATE TABLE deals (
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    doc         jsonb       NOT NULL,
    status      text        NOT NULL,
    lead_id     uuid        NOT NULL,
    property_id uuid        NOT NULL,
    agent_ids   uuid[]      NOT NULL,
    value       numeric     NOT NULL,
    currency    text        NOT NULL,
    created_at  timestamptz NOT NULL,
    version     bigint      NOT NULL CHECK (version > 0),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT deals_lead_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id),
    CONSTRAINT deals_property_fk FOREIGN KEY (tenant_id, property_id)
        REFERENCES properties (tenant_id, id)
);
CREATE INDEX deals_by_created ON deals (tenant_id, created_at, id);
CREATE INDEX deals_by_status ON deals (tenant_id, status, created_at, id);
CREATE INDEX deals_by_lead ON deals (tenant_id, lead_id, created_at, id);
CREATE INDEX deals_by_property ON deals (tenant_id, property_id, created_at, id);
CREATE INDEX deals_by_agent ON deals USING gin (agent_ids);

CREATE TABLE visits (
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    lead_id     uuid        NOT NULL,
    property_id uuid        NOT NULL,
    agent_id    uuid        NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    status      text        NOT NULL,
    note        text,
    version     bigint      NOT NULL CHECK (version > 0),
    PRIMARY KEY (tenant_id, id),
    CONSTRAINT visits_lead_fk FOREIGN KEY (tenant_id, lead_id) REFERENCES leads (tenant_id, id),
    CONSTRAINT visits_property_fk FOREIGN KEY (tenant_id, property_id)
        REFERENCES properties (tenant_id, id),
    CONSTRAINT visits_agent_fk FOREIGN KEY (tenant_id, agent_id) REFERENCES agents (tenant_id, id)
);
CREATE INDEX visits_by_start ON visits (tenant_id, starts_at, id);
CREATE INDEX visits_by_lead ON visits (tenant_id, lead_id, starts_at, id);
CREATE INDEX visits_by_agent ON visits (tenant_id, agent_id, starts_at, id);
CREATE INDEX visits_by_property ON visits (tenant_id, property_id, starts_at, id);

-- The commission ledger: append-only (no UPDATE or DELETE privilege for the application role,
-- and a trigger refusing both for everyone). `seq` is the append order, shared by all tenants
-- (so a tenant's sequence has gaps).
CREATE TABLE ledger (
    seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    deal_id     uuid        NOT NULL,
    kind        text        NOT NULL,
    plan_id     text        NOT NULL,
    date        date        NOT NULL,
    memo        text        NOT NULL,
    postings    jsonb       NOT NULL,
    amount      numeric     NOT NULL,
    currency    text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    entry       jsonb       NOT NULL,
    CONSTRAINT ledger_id_key UNIQUE (tenant_id, id)
);
CREATE INDEX ledger_by_tenant ON ledger (tenant_id, seq);
CREATE INDEX ledger_by_deal ON ledger (tenant_id, deal_id, seq);

-- The audit log: append-only as the ledger.
CREATE TABLE audit (
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    record_kind text        NOT NULL,
    record_id   uuid        NOT NULL,
    detail      jsonb       NOT NULL,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX audit_by_at ON audit (tenant_id, at, id);
CREATE INDEX audit_by_record ON audit (tenant_id, record_id, at, id);
CREATE INDEX audit_by_actor ON audit (tenant_id, actor, at, id);

CREATE FUNCTION crm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'corrections are new entries (a reversal), never edits';
END
$$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION crm_refuse_change();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
    FOR EACH STATEMENT EXECUTE FUNCTION crm_refuse_change();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION crm_refuse_change();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION crm_refuse_change();

-- Lead routing: atomic round-robin cursors and counters, and the routing document with its
-- version for compare-and-swap.
CREATE TABLE routing_counters (
    tenant_id uuid   NOT NULL,
    kind      text   NOT NULL CHECK (kind IN ('cursor', 'counter')),
    key       text   NOT NULL,
    value     bigint NOT NULL,
    PRIMARY KEY (tenant_id, kind, key)
);

CREATE TABLE routing_state (
    tenant_id uuid   PRIMARY KEY,
    doc       jsonb  NOT NULL,
    version   bigint NOT NULL CHECK (version > 0)
);
