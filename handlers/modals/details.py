"""The client's details, asked in the triage modal and in the Client details modal: the product or
service group (PRODUCT_GROUPS), whether the client is in vulnerable circumstances, and the
adjustments made for them. Each is optional: what is not chosen is "not recorded"."""

from __future__ import annotations

from bot.complaints.details import ClientDetails
from bot.core import ids
from bot.core.blockkit import Block, escape, option, plain, section
from bot.core.errors import FieldErrors
from bot.core.lists import Choices
from bot.core.vocabulary import ADJUSTMENTS_MAX
from handlers.modals import fields
from handlers.modals.elements import input_block, modal, text_input
from handlers.modals.fields import Values

YES, NO = "yes", "no"
VULNERABLE_OPTIONS = ((YES, "Yes"), (NO, "No"))


def details_blocks(c, *, products: Choices) -> list[Block]:
    """The three inputs, holding what is recorded."""
    F = ids.DetailsField
    product_el: dict = {
        "type": "static_select",
        "placeholder": plain("Choose…"),
        "options": [option(value, label) for value, label in products.options()],
    }
    if c.product in products:
        product_el["initial_option"] = option(c.product, products.label(c.product))
    vulnerable_el: dict = {"type": "radio_buttons", "options": [option(v, label) for v, label in VULNERABLE_OPTIONS]}
    if c.vulnerable is not None:
        value = YES if c.vulnerable else NO
        vulnerable_el["initial_option"] = option(value, dict(VULNERABLE_OPTIONS)[value])
    return [
        input_block(F.PRODUCT, "Product or service", product_el, optional=True),
        input_block(
            F.VULNERABLE,
            "Client in vulnerable circumstances?",
            vulnerable_el,
            optional=True,
            hint="Leave unanswered if not yet known.",
        ),
        input_block(
            F.ADJUSTMENTS,
            "Adjustments made for the client",
            text_input(ADJUSTMENTS_MAX, multiline=True, initial=c.adjustments),
            optional=True,
            hint="E.g. large print, calls only, a named contact. Empty: none recorded.",
        ),
    ]


def parse_details(values: Values, errors: dict[str, str], *, products: Choices) -> ClientDetails:
    F = ids.DetailsField
    product = fields.text(values, F.PRODUCT)
    if product is not None and product not in products:
        errors[F.PRODUCT] = "Choose one of the product or service groups."
    vulnerable_raw = fields.text(values, F.VULNERABLE)
    vulnerable = None if vulnerable_raw is None else vulnerable_raw == YES
    if vulnerable_raw not in (None, YES, NO):
        errors[F.VULNERABLE] = "Answer yes or no, or leave it unanswered."
    adjustments = fields.bounded(values, F.ADJUSTMENTS, ADJUSTMENTS_MAX, errors, label="adjustments", required=False)
    return ClientDetails(product=product, vulnerable=vulnerable, adjustments=adjustments)


def client_details_modal(c, *, products: Choices) -> dict:
    blocks = [
        section(f"*{c.reference}* · {escape(c.client_name)}"),
        *details_blocks(c, products=products),
    ]
    return modal(ids.VIEW_CLIENT_DETAILS, "Client details", blocks, submit="Save", metadata={"reference": c.reference})


def parse_client_details(values: Values, *, products: Choices) -> ClientDetails:
    errors: dict[str, str] = {}
    data = parse_details(values, errors, products=products)
    if errors:
        raise FieldErrors(errors)
    return data
