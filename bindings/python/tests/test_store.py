"""The store from Python: blocking and asyncio, against SQLite always, and PostgreSQL and a
Redis cache when reachable (DATABASE_URL, REDIS_URL; skipped loudly when they are not, unless
CRM_REQUIRE_SERVICES=1, which makes an unreachable service a failure)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import subprocess
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import realestate_crm as crm
from realestate_crm.store import AsyncStore, Store

from conftest import load

DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")
REQUIRE = os.environ.get("CRM_REQUIRE_SERVICES") == "1"


def unreachable(what: str, e: Exception) -> None:
    message = f"{what} unreachable ({e}); set CRM_REQUIRE_SERVICES=1 to make this a failure"
    if REQUIRE:
        pytest.fail(message)
    warnings.warn(message)
    pytest.skip(message)


@pytest.fixture(params=["sqlite", "postgres", "postgres+redis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    kind = request.param
    if kind == "sqlite":
        yield {"url": f"sqlite://{tmp_path / 'crm.db'}"}
        return
    schema = f"crm_py_{uuid.uuid4().hex[:12]}"
    opts: dict[str, Any] = {"url": DATABASE_URL, "schema": schema, "connect_timeout": 3.0}
    try:
        Store.open(**opts).ping()
    except crm.StoreError as e:
        unreachable(f"PostgreSQL at {DATABASE_URL}", e)
    if kind == "postgres+redis":
        opts["cache_url"] = REDIS_URL
        opts["cache_prefix"] = schema
        try:
            import socket

            host, _, port = REDIS_URL.split("//", 1)[1].split("/")[0].rpartition("@")[2].partition(":")
            socket.create_connection((host, int(port or 6379)), timeout=2).close()
        except OSError as e:
            unreachable(f"Redis at {REDIS_URL}", e)
    try:
        yield opts
    finally:
        psql = shutil.which("psql")
        if psql:
            subprocess.run([psql, DATABASE_URL, "-q", "-c", f"DROP SCHEMA IF EXISTS {schema} CASCADE"],
                           check=False, capture_output=True, timeout=30)


TENANT = uuid.UUID("0190f3a0-0000-7000-8000-00000000aaaa")
NOW = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.timezone.utc)


def a_lead(n: int, **changes: Any) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "contact": {"name": f"Ana Souza {n}", "email": f"Ana{n}@Exemplo.com.br",
                    "phone": f"+55 11 9{8765_0000 + n:08d}"},
        "source": {"type": "website"},
        "created_at": "2026-11-01T12:00:00Z",
        "updated_at": "2026-11-01T12:00:00Z",
    }
    lead.update(changes)
    return lead


def exercise(store: Store) -> None:
    tenant = uuid.uuid4()
    store.ping()
    lead = store.insert_lead(tenant, a_lead(1))
    assert isinstance(lead, crm.Lead) and lead.version == 1
    assert lead.contact.email == "Ana1@exemplo.com.br"
    got = store.get_lead(str(tenant), lead.id)
    assert got == lead
    assert store.get_lead(uuid.uuid4(), lead.id) is None  # another tenant sees nothing

    updated = store.update_lead(tenant, lead.replace(stage="contacted"))
    assert updated.version == 2 and updated.stage == "contacted"
    with pytest.raises(crm.ConflictError) as conflict:
        store.update_lead(tenant, lead.replace(stage="qualified"))  # still carries version 1
    assert conflict.value.code == "store.conflict"
    assert isinstance(conflict.value, crm.StoreError)

    with pytest.raises(crm.ValidationError) as invalid:
        store.insert_lead(tenant, a_lead(2, contact={"name": "", "email": "nope"}))
    paths = {e["path"] for e in invalid.value.errors}
    assert {"contact.name", "contact.email"} <= paths

    page = store.find_leads(tenant, phone="(11) 98765-0001")
    assert [x.id for x in page.items] == [lead.id] and page.next is None
    first = store.find_leads(tenant, {"limit": 1})
    assert len(first.items) == 1

    portal = a_lead(3, source={"type": "portal", "portal": "zap", "external_id": "Z-1"})
    report = store.import_leads(tenant, [portal, a_lead(4)])
    assert report.inserted == [0, 1]
    again = store.import_leads(tenant, [dict(portal, id=str(uuid.uuid4()))])
    assert again.existing == [0] and again.ids[0] == uuid.UUID(portal["id"])
    by_portal = store.find_lead_by_portal(tenant, "zap", "Z-1")
    assert by_portal is not None and by_portal.id == uuid.UUID(portal["id"])

    act = store.add_activity(tenant, crm.Activity(id=uuid.uuid4(), lead_id=lead.id, kind="call", at=NOW, note="ligou"))
    assert [a.id for a in store.list_activities(tenant, lead.id)] == [act.id]
    with pytest.raises(crm.NotFoundError):
        store.add_activity(tenant, crm.Activity(id=uuid.uuid4(), lead_id=uuid.uuid4(), kind="call", at=NOW))

    assert [store.next_cursor(tenant, "rr") for _ in range(3)] == [0, 1, 2]
    assert store.add_to_counter(tenant, "open", 2) == 2
    assert store.add_to_counter(tenant, "open", -1) == 1

    case = next(c for c in load("commission.json")["cases"] if c["operation"] == "statement" and "pool" in c["expect"])
    engine = crm.CommissionEngine(case["plan"], case["withholding"])
    statement = engine.statement(case["deal"], dt.date.fromisoformat(case["context"]["as_of"]))
    entry = engine.ledger_entry(statement)
    new = {"id": str(uuid.uuid4()), "recorded_at": NOW, "entry": entry.to_dict()}
    stored = store.append_ledger(tenant, [new])
    assert len(stored) == 1 and stored[0].entry == entry
    assert store.append_ledger(tenant, [new]) == stored  # a retry is a no-op
    assert store.ledger_for_deal(tenant, entry.deal_id) == stored

    consented = store.record_consent(tenant, lead.id, {"purpose": "marketing", "granted_at": NOW,
                                                      "text_version": "v1", "channel": "site"}, actor="form")
    assert len(consented.consents) == 1 and consented.consents[0].revoked_at is None
    revoked = store.revoke_consent(tenant, lead.id, "marketing", actor="dpo", at=NOW)
    assert revoked.consents[0].revoked_at is not None and revoked.marketing_opt_in is False

    export = store.export_subject(tenant, email="ana1@exemplo.com.br", now=NOW)
    assert len(export["leads"]) == 1
    erased = store.erase_subject(tenant, phone="(11) 98765-0001", actor="dpo", now=NOW)
    assert erased.leads == [lead.id]
    assert store.find_leads(tenant, phone="(11) 98765-0001").items == []
    assert store.find_leads(tenant, email="ana1@exemplo.com.br").items == []
    gone = store.get_lead(tenant, lead.id)
    assert gone is not None and gone.contact.email is None


def test_agents_properties_deals_and_visits(store_url: dict[str, Any]) -> None:
    store = Store.open(**store_url)
    tenant = uuid.uuid4()
    t = "2026-11-01T12:00:00Z"
    agent = store.insert_agent(tenant, {"id": str(uuid.uuid4()), "name": "Bruno Lima", "creci": "CRECI-SP 184372-F",
                                        "email": "bruno@imob.com.br", "created_at": t, "updated_at": t})
    assert isinstance(agent, crm.Agent) and agent.version == 1
    assert store.update_agent(tenant, agent.replace(team="Moema")).version == 2
    prop = store.insert_property(tenant, {
        "id": str(uuid.uuid4()), "listing": "sale", "property_type": "apartment", "private_area_m2": "84.5",
        "address": {"cep": "04089-011", "street": "Alameda dos Maracatins", "city": "São Paulo", "uf": "SP",
                    "neighbourhood": "Moema", "number": "1187"},
        "sale_price": {"amount": "850000.00", "currency": "BRL"}, "created_at": t, "updated_at": t})
    assert isinstance(prop, crm.Property) and store.get_property(tenant, prop.id) == prop
    assert store.update_property(tenant, prop.replace(bedrooms=3)).version == 2
    lead = store.insert_lead(tenant, a_lead(50))
    deal = store.insert_deal(tenant, {
        "id": str(uuid.uuid4()), "lead_id": str(lead.id), "property_id": str(prop.id), "kind": "sale",
        "value": {"amount": "850000.00", "currency": "BRL"}, "proposed_on": "2026-11-02",
        "participants": [{"role": "agency"}, {"role": "listing_broker", "agent_id": str(agent.id)}],
        "created_at": t, "updated_at": t})
    assert isinstance(deal, crm.Deal) and store.get_deal(tenant, deal.id) == deal
    assert store.update_deal(tenant, deal).version == 2
    with pytest.raises(crm.ConflictError):
        store.update_deal(tenant, deal)
    visit = store.insert_visit(tenant, {
        "id": str(uuid.uuid4()), "lead_id": str(lead.id), "property_id": str(prop.id), "agent_id": str(agent.id),
        "starts_at": "2026-11-03T12:00:00Z", "ends_at": "2026-11-03T12:45:00Z"})
    assert isinstance(visit, crm.Visit) and store.get_visit(tenant, visit.id) == visit
    assert store.update_visit(tenant, visit).version == 2
    assert store.get_deal(tenant, uuid.uuid4()) is None
    # The list queries.
    assert [a.id for a in store.list_agents(tenant)] == [agent.id]
    assert [p.id for p in store.find_properties(tenant, city="SAO PAULO").items] == [prop.id]
    assert store.find_properties(tenant, status="sold").items == []
    assert [d.id for d in store.find_deals(tenant, agent=str(agent.id)).items] == [deal.id]
    assert [v.id for v in store.find_visits(tenant, lead_id=str(lead.id)).items] == [visit.id]
    assert store.find_deals(uuid.uuid4(), agent=str(agent.id)).items == [], "another tenant sees nothing"
    with pytest.raises(crm.ValidationError):
        store.find_deals(tenant, limit=0)
    # Routing state with compare-and-swap, counters, the audit log.
    state, version = store.load_routing_state(tenant)
    assert version == 0
    assert store.save_routing_state(tenant, {"cursors": {"zona_sul": 2}}, 0) == 1
    assert store.load_routing_state(tenant)[0]["cursors"] == {"zona_sul": 2}
    with pytest.raises(crm.ConflictError):
        store.save_routing_state(tenant, {}, 0)
    assert store.counter(tenant, "open") == 0
    store.append_audit(tenant, {"id": str(uuid.uuid4()), "at": t, "actor": "agent:bruno", "action": "deal.update",
                                "record_kind": "deal", "record_id": str(deal.id), "detail": {"fields": ["status"]}})
    trail = store.find_audit(tenant, record_id=str(deal.id)).items
    assert [e["action"] for e in trail] == ["deal.update"]
    assert store.ledger_page(tenant) == []
    with pytest.raises(crm.NotFoundError):
        store.insert_visit(tenant, {
            "id": str(uuid.uuid4()), "lead_id": str(uuid.uuid4()), "property_id": str(prop.id),
            "agent_id": str(agent.id), "starts_at": "2026-11-03T12:00:00Z", "ends_at": "2026-11-03T12:45:00Z"})


def test_blocking_store(store_url: dict[str, Any]) -> None:
    store = Store.open(**store_url)
    assert store.backend in ("sqlite", "postgres", "redis+postgres") or store.backend.startswith("redis")
    exercise(store)


def test_async_store(store_url: dict[str, Any]) -> None:
    async def main() -> None:
        store = await AsyncStore.open(**store_url)
        tenant = uuid.uuid4()
        leads = await asyncio.gather(*(store.insert_lead(tenant, a_lead(10 + i)) for i in range(5)))
        assert all(x.version == 1 for x in leads)
        got = await store.get_lead(tenant, leads[0].id)
        assert got == leads[0]
        with pytest.raises(crm.ConflictError):
            await store.update_lead(tenant, leads[0])
            await store.update_lead(tenant, leads[0])
        page = await store.find_leads(tenant, phone="(11) 98765-0012")
        assert [x.id for x in page.items] == [leads[2].id]
        assert await store.next_cursor(tenant, "k") == 0

    asyncio.run(main())


def test_bad_urls_and_unreachable_servers() -> None:
    with pytest.raises(crm.StoreError) as bad:
        Store.open("mysql://x")
    assert bad.value.code == "store.config"
    with pytest.raises(crm.StoreUnavailableError):
        Store.open("postgres://postgres@127.0.0.1:1/none", connect_timeout=1.0, acquire_timeout=1.0)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() on this platform")
def test_a_forked_child_opens_and_uses_a_store(tmp_path: Path) -> None:
    parent = Store.open(f"sqlite://{tmp_path / 'parent.db'}")
    parent.ping()  # the runtime exists in the parent before the fork
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            child = Store.open(f"sqlite://{tmp_path / 'child.db'}")
            stored = child.insert_lead(TENANT, a_lead(99))
            code = 0 if child.get_lead(TENANT, stored.id) == stored else 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    parent.ping()
