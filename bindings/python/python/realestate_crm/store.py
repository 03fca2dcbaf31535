"""The store: leads, properties, deals, visits, agents, the commission ledger and LGPD
operations in SQLite, PostgreSQL, or either behind a Redis cache.

``Store`` is blocking; ``AsyncStore`` has the same methods as coroutines::

    store = Store.open("sqlite:///var/lib/crm/crm.db")          # or "postgres://…"
    store = Store.open("postgres://crm@db/crm", cache_url="redis://cache:6379")
    lead = store.insert_lead(tenant, Lead(...))                  # validated, version 1
    page = store.find_leads(tenant, phone="(11) 98765-4321")

    astore = await AsyncStore.open("sqlite:///crm.db")
    lead = await astore.get_lead(tenant, lead_id)

Every call runs on one tokio runtime shared by the whole process, with the GIL released while
Rust works and while it waits on the database, so other Python threads keep running.

``AsyncStore`` runs each blocking call in a worker thread (``asyncio.to_thread``): since the
native call releases the GIL, the event loop keeps running while the database answers, and no
Rust future is tied to a particular event loop (so a store works from any loop, and from
``asyncio.run`` called several times). Each call costs one hand-off to the default executor.

Fork safety (gunicorn, Celery prefork): the runtime is rebuilt in a child process on its first
store call, so a forked worker can open and use stores. A store opened *before* the fork holds
connections and tasks of the parent's runtime and must not be used in the child: open stores
after forking (for instance in gunicorn's ``post_fork`` or Celery's ``worker_process_init``).
Forking while another thread is inside a store call is not supported.

Errors: :class:`ConflictError` (``store.conflict``, a stale ``version``),
:class:`NotFoundError`, :class:`DuplicateError`, :class:`StoreUnavailableError`,
:class:`ValidationError` (with every ``{path, code, message}``), other ``store.*`` codes as
:class:`StoreError`.
"""

from __future__ import annotations

import asyncio
import datetime as _dt
import uuid as _uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from . import _native
from ._records import Record, instant, list_of, uid
from .records import Activity, Agent, Deal, Lead, LedgerEntry, Property, Visit

__all__ = ["AsyncStore", "ErasureReport", "ImportReport", "Page", "Store", "StoredLedgerEntry"]

T = TypeVar("T")
Tenant = _uuid.UUID | str
Id = _uuid.UUID | str


def _query(query: Mapping[str, Any] | None, filters: Mapping[str, Any]) -> dict[str, Any]:
    """A query dict from a mapping and keywords, without the ``None`` values."""
    return {k: v for k, v in {**(query or {}), **filters}.items() if v is not None}


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list; pass ``next`` as ``after`` to get the following one (``None`` on
    the last page)."""

    items: list[T]
    next: str | None


class StoredLedgerEntry(Record):
    """A ledger entry as stored: its id, its place ``seq`` in the tenant's ledger, when it was
    booked and the balanced ``entry``."""

    __slots__ = ()
    _fields = ("id", "seq", "recorded_at", "entry")
    _types = {"id": uid, "recorded_at": instant, "entry": LedgerEntry._wrap}


class ImportReport(Record):
    """What a bulk import did: per position the stored lead's ``ids``, and the positions
    ``inserted`` and ``existing`` (re-deliveries left unchanged)."""

    __slots__ = ()
    _fields = ("ids", "inserted", "existing")
    _types = {"ids": list_of(uid), "inserted": list_of(), "existing": list_of()}


class ErasureReport(Record):
    """The leads an erasure anonymised."""

    __slots__ = ()
    _fields = ("leads",)
    _types = {"leads": list_of(uid)}


def _opt(cls: type[Any], data: Any) -> Any:
    return None if data is None else cls._wrap(data)


def _subject(email: str | None, phone: str | None, document: str | None) -> dict[str, str]:
    given = [(k, v) for k, v in (("email", email), ("phone", phone), ("document", document)) if v is not None]
    if len(given) != 1:
        from .errors import ValidationError

        raise ValidationError("input.json", "give exactly one of email=, phone=, document=", "subject", [])
    return {"by": given[0][0], "value": given[0][1]}


def _now(now: _dt.datetime | None) -> _dt.datetime:
    return now if now is not None else _dt.datetime.now(_dt.timezone.utc)


class Store:
    """A blocking store. Open it with :meth:`Store.open`; it is safe to share between threads."""

    __slots__ = ("_native",)

    def __init__(self, native: _native.NativeStore) -> None:
        self._native = native

    @classmethod
    def open(
        cls,
        url: str,
        *,
        cache_url: str | None = None,
        max_connections: int = 10,
        acquire_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        schema: str | None = None,
        migrate: bool = True,
        app_role: str | None = "crm_app",
        cache_ttl: float = 300.0,
        cache_timeout: float = 0.25,
        cache_prefix: str = "crm",
    ) -> Store:
        """Opens the store ``url`` names (``sqlite:///path``, ``sqlite::memory:``,
        ``postgres://user@host/db``, ``memory:``), applying migrations unless ``migrate`` is
        false; with ``cache_url`` (``redis://…``) behind a read-through Redis cache. ``schema``
        and ``app_role`` are PostgreSQL's (``app_role=None`` runs as the login role)."""
        return cls(
            _native.NativeStore.open(
                url, cache_url, max_connections, acquire_timeout, connect_timeout, schema,
                migrate, app_role, cache_ttl, cache_timeout, cache_prefix,
            )
        )

    @property
    def backend(self) -> str:
        """``memory``, ``sqlite``, ``postgres``, or ``redis+…`` for a cached store."""
        return self._native.backend()

    def ping(self) -> None:
        """Checks that the backend answers (:class:`StoreUnavailableError` otherwise)."""
        self._native.ping()

    # --- agents, leads, properties, deals, visits ---------------------------------------

    def insert_agent(self, tenant: Tenant, agent: Agent | Mapping[str, Any]) -> Agent:
        """Stores a new agent (version 1)."""
        return Agent._wrap(self._native.insert_agent(tenant, agent))

    def get_agent(self, tenant: Tenant, id: Id) -> Agent | None:
        """The agent, or ``None``."""
        return _opt(Agent, self._native.get_agent(tenant, id))  # type: ignore[no-any-return]

    def update_agent(self, tenant: Tenant, agent: Agent | Mapping[str, Any]) -> Agent:
        """Replaces an agent; its ``version`` must be the stored one."""
        return Agent._wrap(self._native.update_agent(tenant, agent))

    def insert_lead(self, tenant: Tenant, lead: Lead | Mapping[str, Any]) -> Lead:
        """Stores a new lead (validated and normalised, version 1)."""
        return Lead._wrap(self._native.insert_lead(tenant, lead))

    def get_lead(self, tenant: Tenant, id: Id) -> Lead | None:
        """The lead, or ``None``."""
        return _opt(Lead, self._native.get_lead(tenant, id))  # type: ignore[no-any-return]

    def update_lead(self, tenant: Tenant, lead: Lead | Mapping[str, Any]) -> Lead:
        """Replaces a lead; its ``version`` must be the stored one (:class:`ConflictError`)."""
        return Lead._wrap(self._native.update_lead(tenant, lead))

    def insert_property(self, tenant: Tenant, property: Property | Mapping[str, Any]) -> Property:
        """Stores a new property (version 1)."""
        return Property._wrap(self._native.insert_property(tenant, property))

    def get_property(self, tenant: Tenant, id: Id) -> Property | None:
        """The property, or ``None``."""
        return _opt(Property, self._native.get_property(tenant, id))  # type: ignore[no-any-return]

    def update_property(self, tenant: Tenant, property: Property | Mapping[str, Any]) -> Property:
        """Replaces a property; its ``version`` must be the stored one."""
        return Property._wrap(self._native.update_property(tenant, property))

    def insert_deal(self, tenant: Tenant, deal: Deal | Mapping[str, Any]) -> Deal:
        """Stores a new deal (version 1); its lead and property must be in this tenant."""
        return Deal._wrap(self._native.insert_deal(tenant, deal))

    def get_deal(self, tenant: Tenant, id: Id) -> Deal | None:
        """The deal, or ``None``."""
        return _opt(Deal, self._native.get_deal(tenant, id))  # type: ignore[no-any-return]

    def update_deal(self, tenant: Tenant, deal: Deal | Mapping[str, Any]) -> Deal:
        """Replaces a deal; its ``version`` must be the stored one."""
        return Deal._wrap(self._native.update_deal(tenant, deal))

    def insert_visit(self, tenant: Tenant, visit: Visit | Mapping[str, Any]) -> Visit:
        """Stores a new visit (version 1)."""
        return Visit._wrap(self._native.insert_visit(tenant, visit))

    def get_visit(self, tenant: Tenant, id: Id) -> Visit | None:
        """The visit, or ``None``."""
        return _opt(Visit, self._native.get_visit(tenant, id))  # type: ignore[no-any-return]

    def update_visit(self, tenant: Tenant, visit: Visit | Mapping[str, Any]) -> Visit:
        """Replaces a visit; its ``version`` must be the stored one."""
        return Visit._wrap(self._native.update_visit(tenant, visit))

    # --- lead queries and imports -------------------------------------------------------

    def find_leads(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Lead]:
        """Leads matching every filter (``stage``, ``assigned_agent``, ``created_from``,
        ``created_to``, ``email``, ``phone``, ``document``, ``name``), ``limit`` per page,
        starting ``after`` a cursor. Phones, e-mails and documents match in any usual format."""
        q = {**(query or {}), **filters}
        page = self._native.find_leads(tenant, {k: v for k, v in q.items() if v is not None})
        return Page([Lead._wrap(x) for x in page["items"]], page["next"])

    def find_lead_by_portal(self, tenant: Tenant, portal: str, portal_lead_id: str) -> Lead | None:
        """The lead a portal delivered under its own lead id, or ``None``."""
        return _opt(Lead, self._native.find_lead_by_portal(tenant, portal, portal_lead_id))  # type: ignore[no-any-return]

    def import_leads(self, tenant: Tenant, leads: Iterable[Lead | Mapping[str, Any]]) -> ImportReport:
        """Bulk import: new leads inserted, re-deliveries (same id or portal lead id) left
        unchanged; any invalid lead fails the whole import (paths like ``[3].contact.email``)."""
        return ImportReport._wrap(self._native.import_leads(tenant, list(leads)))

    def add_activity(self, tenant: Tenant, activity: Activity | Mapping[str, Any]) -> Activity:
        """Appends an activity to its lead (:class:`NotFoundError` if the lead is not here)."""
        return Activity._wrap(self._native.add_activity(tenant, activity))

    def list_activities(self, tenant: Tenant, lead_id: Id) -> list[Activity]:
        """A lead's activities, by time."""
        return [Activity._wrap(x) for x in self._native.list_activities(tenant, lead_id)]

    # --- ledger and routing state -------------------------------------------------------

    def append_ledger(self, tenant: Tenant, entries: Iterable[Mapping[str, Any]]) -> list[StoredLedgerEntry]:
        """Appends ledger entries (``{"id", "recorded_at", "entry"}``), all or none. The id is
        an idempotency key: a retry with the same entry returns the stored one."""
        return [StoredLedgerEntry._wrap(x) for x in self._native.append_ledger(tenant, list(entries))]

    def ledger_for_deal(self, tenant: Tenant, deal_id: Id) -> list[StoredLedgerEntry]:
        """A deal's ledger entries, in append order."""
        return [StoredLedgerEntry._wrap(x) for x in self._native.ledger_for_deal(tenant, deal_id)]

    def next_cursor(self, tenant: Tenant, key: str) -> int:
        """Takes the round-robin cursor ``key`` and advances it: 0, 1, 2, … across processes."""
        return self._native.next_cursor(tenant, key)

    def add_to_counter(self, tenant: Tenant, key: str, delta: int) -> int:
        """Adds ``delta`` (may be negative) to the counter ``key`` and returns the new value."""
        return self._native.add_to_counter(tenant, key, delta)

    def list_agents(self, tenant: Tenant) -> list[Agent]:
        """Every agent of the tenant, by creation."""
        return [Agent._wrap(x) for x in self._native.list_agents(tenant)]

    def find_properties(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Property]:
        """Properties by ``status``, ``listing``, ``city`` (case and accents ignored),
        ``listing_broker``; ``limit`` per page, starting ``after`` a cursor."""
        page = self._native.find_properties(tenant, _query(query, filters))
        return Page([Property._wrap(x) for x in page["items"]], page["next"])

    def find_deals(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Deal]:
        """Deals by ``status``, ``agent`` (any role), ``lead_id``, ``property_id``,
        ``created_from``/``created_to``; ``limit`` per page, starting ``after`` a cursor."""
        page = self._native.find_deals(tenant, _query(query, filters))
        return Page([Deal._wrap(x) for x in page["items"]], page["next"])

    def find_visits(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Visit]:
        """Visits by ``lead_id``, ``agent_id``, ``property_id``, ``status``,
        ``starts_from``/``starts_to``, by start time."""
        page = self._native.find_visits(tenant, _query(query, filters))
        return Page([Visit._wrap(x) for x in page["items"]], page["next"])

    def ledger_page(self, tenant: Tenant, after_seq: int | None = None, limit: int = 100) -> list[StoredLedgerEntry]:
        """The tenant's ledger in append order: up to ``limit`` entries after ``after_seq``."""
        return [StoredLedgerEntry._wrap(x) for x in self._native.ledger_page(tenant, after_seq, limit)]

    def counter(self, tenant: Tenant, key: str) -> int:
        """The counter ``key`` (0 when never touched)."""
        return self._native.counter(tenant, key)

    def load_routing_state(self, tenant: Tenant) -> tuple[dict[str, Any], int]:
        """The routing state (the core's JSON form) and its version (0 when never saved)."""
        v = self._native.load_routing_state(tenant)
        return dict(v["value"]), int(v["version"])

    def save_routing_state(self, tenant: Tenant, state: Mapping[str, Any], expected_version: int) -> int:
        """Saves the routing state if its stored version is still ``expected_version``
        (:class:`ConflictError` otherwise); returns the new version."""
        return self._native.save_routing_state(tenant, state, expected_version)

    def append_audit(self, tenant: Tenant, event: Mapping[str, Any]) -> None:
        """Appends an audit event: ``id``, ``at``, ``actor``, ``action``, ``record_kind``,
        ``record_id``, ``detail`` (no personal data in ``detail``)."""
        self._native.append_audit(tenant, event)

    def find_audit(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[dict[str, Any]]:
        """Audit events by ``record_id``, ``actor``, ``from``/``to``, by time."""
        page = self._native.find_audit(tenant, _query(query, filters))
        return Page([dict(x) for x in page["items"]], page["next"])

    # --- LGPD ---------------------------------------------------------------------------

    def export_subject(
        self, tenant: Tenant, *, email: str | None = None, phone: str | None = None,
        document: str | None = None, now: _dt.datetime | None = None,
    ) -> dict[str, Any]:
        """Everything held about the subject found by one identifier, as one JSON document."""
        return dict(self._native.export_subject(tenant, _subject(email, phone, document), _now(now)))

    def erase_subject(
        self, tenant: Tenant, *, email: str | None = None, phone: str | None = None,
        document: str | None = None, actor: str = "system", now: _dt.datetime | None = None,
    ) -> ErasureReport:
        """Anonymises every lead of the subject (and their notes), auditing each erasure."""
        return ErasureReport._wrap(
            self._native.erase_subject(tenant, _subject(email, phone, document), actor, _now(now))
        )

    def record_consent(self, tenant: Tenant, lead_id: Id, consent: Mapping[str, Any] | Record, actor: str = "system") -> Lead:
        """Adds a consent to a lead and audits it; returns the lead."""
        return Lead._wrap(self._native.record_consent(tenant, lead_id, consent, actor))

    def revoke_consent(
        self, tenant: Tenant, lead_id: Id, purpose: str, actor: str = "system", at: _dt.datetime | None = None,
    ) -> Lead:
        """Revokes the lead's active consents for ``purpose`` and audits it; returns the lead."""
        return Lead._wrap(self._native.revoke_consent(tenant, lead_id, purpose, actor, _now(at)))


class AsyncStore:
    """The asyncio store: :class:`Store`'s methods as coroutines, each running the blocking
    native call in a worker thread (``asyncio.to_thread``) with the GIL released, so the event
    loop keeps serving other tasks while the database answers."""

    __slots__ = ("sync",)

    def __init__(self, store: Store) -> None:
        self.sync = store
        """The blocking store underneath (for code that is not async)."""

    @classmethod
    async def open(cls, url: str, **options: Any) -> AsyncStore:
        """Opens a store; the same arguments as :meth:`Store.open`."""
        return cls(await asyncio.to_thread(Store.open, url, **options))

    @property
    def backend(self) -> str:
        """``memory``, ``sqlite``, ``postgres``, or ``redis+…``."""
        return self.sync.backend

    async def ping(self) -> None:
        """Checks that the backend answers."""
        await asyncio.to_thread(self.sync.ping)

    async def insert_agent(self, tenant: Tenant, agent: Agent | Mapping[str, Any]) -> Agent:
        return await asyncio.to_thread(self.sync.insert_agent, tenant, agent)

    async def get_agent(self, tenant: Tenant, id: Id) -> Agent | None:
        return await asyncio.to_thread(self.sync.get_agent, tenant, id)

    async def update_agent(self, tenant: Tenant, agent: Agent | Mapping[str, Any]) -> Agent:
        return await asyncio.to_thread(self.sync.update_agent, tenant, agent)

    async def insert_lead(self, tenant: Tenant, lead: Lead | Mapping[str, Any]) -> Lead:
        return await asyncio.to_thread(self.sync.insert_lead, tenant, lead)

    async def get_lead(self, tenant: Tenant, id: Id) -> Lead | None:
        return await asyncio.to_thread(self.sync.get_lead, tenant, id)

    async def update_lead(self, tenant: Tenant, lead: Lead | Mapping[str, Any]) -> Lead:
        return await asyncio.to_thread(self.sync.update_lead, tenant, lead)

    async def insert_property(self, tenant: Tenant, property: Property | Mapping[str, Any]) -> Property:
        return await asyncio.to_thread(self.sync.insert_property, tenant, property)

    async def get_property(self, tenant: Tenant, id: Id) -> Property | None:
        return await asyncio.to_thread(self.sync.get_property, tenant, id)

    async def update_property(self, tenant: Tenant, property: Property | Mapping[str, Any]) -> Property:
        return await asyncio.to_thread(self.sync.update_property, tenant, property)

    async def insert_deal(self, tenant: Tenant, deal: Deal | Mapping[str, Any]) -> Deal:
        return await asyncio.to_thread(self.sync.insert_deal, tenant, deal)

    async def get_deal(self, tenant: Tenant, id: Id) -> Deal | None:
        return await asyncio.to_thread(self.sync.get_deal, tenant, id)

    async def update_deal(self, tenant: Tenant, deal: Deal | Mapping[str, Any]) -> Deal:
        return await asyncio.to_thread(self.sync.update_deal, tenant, deal)

    async def insert_visit(self, tenant: Tenant, visit: Visit | Mapping[str, Any]) -> Visit:
        return await asyncio.to_thread(self.sync.insert_visit, tenant, visit)

    async def get_visit(self, tenant: Tenant, id: Id) -> Visit | None:
        return await asyncio.to_thread(self.sync.get_visit, tenant, id)

    async def update_visit(self, tenant: Tenant, visit: Visit | Mapping[str, Any]) -> Visit:
        return await asyncio.to_thread(self.sync.update_visit, tenant, visit)

    async def find_leads(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Lead]:
        return await asyncio.to_thread(self.sync.find_leads, tenant, query, **filters)

    async def find_lead_by_portal(self, tenant: Tenant, portal: str, portal_lead_id: str) -> Lead | None:
        return await asyncio.to_thread(self.sync.find_lead_by_portal, tenant, portal, portal_lead_id)

    async def import_leads(self, tenant: Tenant, leads: Iterable[Lead | Mapping[str, Any]]) -> ImportReport:
        return await asyncio.to_thread(self.sync.import_leads, tenant, list(leads))

    async def add_activity(self, tenant: Tenant, activity: Activity | Mapping[str, Any]) -> Activity:
        return await asyncio.to_thread(self.sync.add_activity, tenant, activity)

    async def list_activities(self, tenant: Tenant, lead_id: Id) -> list[Activity]:
        return await asyncio.to_thread(self.sync.list_activities, tenant, lead_id)

    async def append_ledger(self, tenant: Tenant, entries: Iterable[Mapping[str, Any]]) -> list[StoredLedgerEntry]:
        return await asyncio.to_thread(self.sync.append_ledger, tenant, list(entries))

    async def ledger_for_deal(self, tenant: Tenant, deal_id: Id) -> list[StoredLedgerEntry]:
        return await asyncio.to_thread(self.sync.ledger_for_deal, tenant, deal_id)

    async def next_cursor(self, tenant: Tenant, key: str) -> int:
        return await asyncio.to_thread(self.sync.next_cursor, tenant, key)

    async def add_to_counter(self, tenant: Tenant, key: str, delta: int) -> int:
        return await asyncio.to_thread(self.sync.add_to_counter, tenant, key, delta)

    async def list_agents(self, tenant: Tenant) -> list[Agent]:
        return await asyncio.to_thread(self.sync.list_agents, tenant)

    async def find_properties(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Property]:
        return await asyncio.to_thread(lambda: self.sync.find_properties(tenant, query, **filters))

    async def find_deals(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Deal]:
        return await asyncio.to_thread(lambda: self.sync.find_deals(tenant, query, **filters))

    async def find_visits(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[Visit]:
        return await asyncio.to_thread(lambda: self.sync.find_visits(tenant, query, **filters))

    async def ledger_page(self, tenant: Tenant, after_seq: int | None = None, limit: int = 100) -> list[StoredLedgerEntry]:
        return await asyncio.to_thread(self.sync.ledger_page, tenant, after_seq, limit)

    async def counter(self, tenant: Tenant, key: str) -> int:
        return await asyncio.to_thread(self.sync.counter, tenant, key)

    async def load_routing_state(self, tenant: Tenant) -> tuple[dict[str, Any], int]:
        return await asyncio.to_thread(self.sync.load_routing_state, tenant)

    async def save_routing_state(self, tenant: Tenant, state: Mapping[str, Any], expected_version: int) -> int:
        return await asyncio.to_thread(self.sync.save_routing_state, tenant, state, expected_version)

    async def append_audit(self, tenant: Tenant, event: Mapping[str, Any]) -> None:
        await asyncio.to_thread(self.sync.append_audit, tenant, event)

    async def find_audit(self, tenant: Tenant, query: Mapping[str, Any] | None = None, **filters: Any) -> Page[dict[str, Any]]:
        return await asyncio.to_thread(lambda: self.sync.find_audit(tenant, query, **filters))

    async def export_subject(self, tenant: Tenant, **subject: Any) -> dict[str, Any]:
        return await asyncio.to_thread(lambda: self.sync.export_subject(tenant, **subject))

    async def erase_subject(self, tenant: Tenant, **subject: Any) -> ErasureReport:
        return await asyncio.to_thread(lambda: self.sync.erase_subject(tenant, **subject))

    async def record_consent(self, tenant: Tenant, lead_id: Id, consent: Mapping[str, Any] | Record, actor: str = "system") -> Lead:
        return await asyncio.to_thread(self.sync.record_consent, tenant, lead_id, consent, actor)

    async def revoke_consent(
        self, tenant: Tenant, lead_id: Id, purpose: str, actor: str = "system", at: _dt.datetime | None = None,
    ) -> Lead:
        return await asyncio.to_thread(self.sync.revoke_consent, tenant, lead_id, purpose, actor, at)
