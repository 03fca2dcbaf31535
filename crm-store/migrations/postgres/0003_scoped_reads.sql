-- crm-store PostgreSQL schema, version 3: reads by id in one round trip with the tenant set for
-- their own transaction only.
--
-- Each function sets `crm.tenant_id` transaction-locally, then reads the row with the tenant
-- filter as well. Called as one statement outside an explicit transaction, the setting lives
-- exactly as long as that statement; the store never leaves a tenant set on a pooled connection.
-- They run with the caller's rights (SECURITY INVOKER), so the row-level security policies
-- and the caller's privileges still apply: they give no access that `set_config` and a SELECT
-- would not. Unqualified names resolve through the caller's search path (the store's schema).

CREATE FUNCTION crm_agent_doc(tenant uuid, record uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('crm.tenant_id', tenant::text, true);
    RETURN (SELECT doc FROM agents WHERE tenant_id = tenant AND id = record);
END
$$;

CREATE FUNCTION crm_lead_doc(tenant uuid, record uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('crm.tenant_id', tenant::text, true);
    RETURN (SELECT doc FROM leads WHERE tenant_id = tenant AND id = record);
END
$$;

CREATE FUNCTION crm_property_doc(tenant uuid, record uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('crm.tenant_id', tenant::text, true);
    RETURN (SELECT doc FROM properties WHERE tenant_id = tenant AND id = record);
END
$$;

CREATE FUNCTION crm_deal_doc(tenant uuid, record uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('crm.tenant_id', tenant::text, true);
    RETURN (SELECT doc FROM deals WHERE tenant_id = tenant AND id = record);
END
$$;

CREATE FUNCTION crm_visit_row(tenant uuid, record uuid) RETURNS SETOF visits
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM set_config('crm.tenant_id', tenant::text, true);
    RETURN QUERY SELECT * FROM visits WHERE tenant_id = tenant AND id = record;
END
$$;
