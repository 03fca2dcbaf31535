-- crm-store PostgreSQL schema, version 2: row-level security keyed on the tenant, the second
-- wall behind the store's own `WHERE tenant_id = …` filters.
--
-- Every store call sets `crm.tenant_id` for its transaction; a row is visible, and may be
-- written, only when its tenant_id is that setting. An unset or empty setting matches no row.
-- FORCE applies the policies to the tables' owner too (superusers still bypass them, which is
-- why the store runs its queries as the application role, `SET ROLE crm_app`).
--
-- The application role: migrations are static SQL, so the role is always named `crm_app`.
-- `StoreOptions::app_role` must be `crm_app` or a role that is a member of it
-- (`GRANT crm_app TO my_service`). It is created NOLOGIN if missing (which needs CREATEROLE;
-- without it, create the role beforehand). It may read and write the mutable tables and only
-- read and append to the ledger and the audit log (and read the migrations table).

DO $$
BEGIN
    CREATE ROLE crm_app NOLOGIN;
EXCEPTION
    -- Another migration run (another schema, a concurrent test) created it first.
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'cannot create role crm_app (%): create it beforehand for row-level security', SQLERRM;
END
$$;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['agents', 'leads', 'activities', 'properties', 'deals', 'visits',
                             'ledger', 'audit', 'routing_counters', 'routing_state']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I '
            'USING (tenant_id = NULLIF(current_setting(''crm.tenant_id'', true), '''')::uuid) '
            'WITH CHECK (tenant_id = NULLIF(current_setting(''crm.tenant_id'', true), '''')::uuid)',
            t);
    END LOOP;

    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'crm_app') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO crm_app', current_schema());
        GRANT SELECT, INSERT, UPDATE
           ON agents, leads, activities, properties, deals, visits, routing_counters, routing_state
           TO crm_app;
        GRANT SELECT, INSERT ON ledger, audit TO crm_app;
        -- So that a service connecting with `migrate = false` can check the schema's version.
        IF to_regclass('_sqlx_migrations') IS NOT NULL THEN
            GRANT SELECT ON _sqlx_migrations TO crm_app;
        END IF;
    END IF;
END
$$;
