"""Vaccine stock: products, batches received, doses used, what is left.

``vaccine_batches.quantity_used`` is kept by the dose service (record, move
to another batch, void), so the stock list is one small query, not a count
over every dose ever given. Expiry warnings use the site setting
``vaccines.batch_expiry_warn_days`` through ``clinic.vaccines``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from clinic import vaccines
from clinic.changes import Area, Changes
from clinic.dates import uk_long
from clinic.errors import Refused
from clinic.permissions import Actor, Permission, require
from clinic.uow import UnitOfWork
from db.tables.vaccination import VaccineBatch, VaccineProduct

AREA = Area.VACCINE_STOCK

#: What a product protects against; courses take the vaccine of their schedule.
VACCINE_LABELS: dict[str, str] = {
    **{v: v.label for v in vaccines.Vaccine},
    **{v.id: v.label for v in vaccines.SINGLE_VACCINES},
}


@dataclass(frozen=True)
class AddProduct:
    name: str
    vaccine: str
    manufacturer: str = ""


@dataclass(frozen=True)
class ReceiveBatch:
    product_id: int
    batch_number: str
    expiry: date
    quantity: int
    received_on: date


@dataclass(frozen=True)
class Added:
    id: int
    changes: Changes


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    vaccine: str
    manufacturer: str
    active: bool

    @property
    def vaccine_label(self) -> str:
        return VACCINE_LABELS.get(self.vaccine, self.vaccine)


@dataclass(frozen=True)
class BatchStock:
    batch_id: int
    product_id: int
    product: str
    vaccine: str
    batch_number: str
    expiry: date
    received: int
    used: int
    expired: bool
    expires_soon: bool
    written_off: str = ""  # the reason, once written off

    @property
    def remaining(self) -> int:
        return self.received - self.used

    @property
    def in_use(self) -> bool:
        """Usable stock: in date, some left, not written off."""
        return not (self.expired or self.written_off or self.remaining <= 0)

    @property
    def warning(self) -> str:
        if self.written_off:
            return f"Written off: {self.written_off}"
        if self.expired:
            return f"Expired {uk_long(self.expiry)} — do not use"
        if self.expires_soon:
            return f"Expires {uk_long(self.expiry)}"
        if self.remaining <= 0:
            return "None left"
        return ""

    @property
    def picker_label(self) -> str:
        return (f"{self.product} — batch {self.batch_number}, exp {self.expiry:%d/%m/%Y}, "
                f"{self.remaining} left")


def add_product(uow: UnitOfWork, actor: Actor, cmd: AddProduct) -> Added:
    require(actor, Permission.VACCINE_STOCK_WRITE)
    if not cmd.name.strip():
        raise Refused("Enter the product name.", field="name")
    if cmd.vaccine not in VACCINE_LABELS:
        raise Refused("Choose what the vaccine protects against.", field="vaccine")
    row = VaccineProduct(name=cmd.name.strip(), vaccine=cmd.vaccine,
                         manufacturer=cmd.manufacturer.strip(), active=True)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "vaccine_stock.product_added", "vaccine_product", row.id,
              changes={"name": [None, row.name], "vaccine": [None, row.vaccine]})
    return Added(row.id, Changes.of(AREA))


def receive_batch(uow: UnitOfWork, actor: Actor, cmd: ReceiveBatch) -> Added:
    require(actor, Permission.VACCINE_STOCK_WRITE)
    if uow.session.get(VaccineProduct, cmd.product_id) is None:
        raise Refused("Choose a product.", field="product_id")
    if not cmd.batch_number.strip():
        raise Refused("Enter the batch number printed on the pack.", field="batch_number")
    if cmd.quantity <= 0:
        raise Refused("The quantity received must be at least 1.", field="quantity")
    if cmd.received_on > uow.clock.today():
        raise Refused(f"The date received ({uk_long(cmd.received_on)}) is in the future.", field="received_on")
    if cmd.expiry < cmd.received_on:
        raise Refused(f"This batch expired on {uk_long(cmd.expiry)}, before it was received.", field="expiry")
    row = VaccineBatch(product_id=cmd.product_id, batch_number=cmd.batch_number.strip().upper(),
                       expiry=cmd.expiry, quantity_received=cmd.quantity,
                       received_on=cmd.received_on, quantity_used=0, staff_id=actor.staff_id)
    uow.session.add(row)
    uow.session.flush()
    uow.audit(actor, "vaccine_stock.batch_received", "vaccine_batch", row.id, changes={
        "batch_number": [None, row.batch_number], "expiry": [None, cmd.expiry.isoformat()],
        "quantity_received": [None, cmd.quantity]})
    return Added(row.id, Changes.of(AREA))


def products(uow: UnitOfWork, actor: Actor) -> list[Product]:
    require(actor, Permission.VACCINATION_READ)
    rows = uow.session.execute(select(VaccineProduct).order_by(VaccineProduct.name)).scalars()
    return [Product(r.id, r.name, r.vaccine, r.manufacturer, r.active) for r in rows]


def stock(uow: UnitOfWork, actor: Actor, *, vaccine: str | None = None, usable_on: date | None = None,
          include_used_up: bool = True, in_use_only: bool = False) -> list[BatchStock]:
    """Batches with received / used / remaining; soonest expiry first.

    ``usable_on`` keeps only batches not expired on that day (the batch
    picker); ``vaccine`` only products for that vaccine; ``in_use_only``
    leaves out expired, used-up and written-off batches (the Stock list's
    default, UI-24).
    """
    require(actor, Permission.VACCINATION_READ)
    today = uow.clock.today()
    warn = uow.settings["vaccines.batch_expiry_warn_days"]
    query = (select(VaccineBatch, VaccineProduct)
             .join(VaccineProduct, VaccineProduct.id == VaccineBatch.product_id)
             .order_by(VaccineBatch.expiry, VaccineBatch.id))
    if vaccine is not None:
        query = query.where(VaccineProduct.vaccine == vaccine)
    if usable_on is not None:
        query = query.where(VaccineBatch.expiry >= usable_on)
    if not include_used_up or in_use_only:
        query = query.where(VaccineBatch.quantity_used < VaccineBatch.quantity_received)
    if in_use_only:
        query = query.where(VaccineBatch.expiry >= today, VaccineBatch.written_off_on.is_(None))
    return [
        BatchStock(b.id, p.id, p.name, p.vaccine, b.batch_number, b.expiry, b.quantity_received,
                   b.quantity_used, b.expiry < today,
                   vaccines.batch_expires_soon(b.expiry, today=today, warn_days=warn),
                   (b.written_off_reason or "written off") if b.written_off_on else "")
        for b, p in uow.session.execute(query).all()
    ]


@dataclass(frozen=True)
class WriteOff:
    batch_id: int
    reason: str  # e.g. "fridge failure", "expired", "damaged"


def write_off(uow: UnitOfWork, actor: Actor, cmd: WriteOff) -> Added:
    """Take a batch out of use for good, with why (audited; nothing deleted)."""
    require(actor, Permission.VACCINE_STOCK_WRITE)
    row = uow.session.get(VaccineBatch, cmd.batch_id)
    if row is None:
        raise Refused("That batch no longer exists.")
    if row.written_off_on is not None:
        raise Refused(f"Batch {row.batch_number} was already written off on {uk_long(row.written_off_on)}.")
    reason = cmd.reason.strip()
    if not reason:
        raise Refused("Say why the batch is written off (expired, fridge failure, damaged…).", field="reason")
    row.written_off_on, row.written_off_reason, row.written_off_by = uow.clock.today(), reason, actor.staff_id
    uow.session.flush()
    uow.audit(actor, "vaccine_stock.batch_written_off", "vaccine_batch", row.id,
              changes={"written_off_on": [None, row.written_off_on.isoformat()], "reason": [None, reason],
                       "remaining": [row.quantity_received - row.quantity_used, 0]})
    return Added(row.id, Changes.of(AREA))
