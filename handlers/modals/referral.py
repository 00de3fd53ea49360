"""The ombudsman's modals: the referral (when the client referred, the ombudsman's reference) and,
later, the ombudsman's decision (what, when, any award). Each opens with what is recorded, so a
second submission changes it. Whether a date fits the complaint is the service's to say."""

from __future__ import annotations

from datetime import date

from bot.complaints.referral import DecisionInput, ReferralInput
from bot.core import ids
from bot.core.blockkit import day, escape, section
from bot.core.errors import FieldErrors
from bot.core.money import Currency
from bot.core.vocabulary import OMBUDSMAN_REFERENCE_MAX, OmbudsmanDecision
from handlers.modals import fields
from handlers.modals.elements import enum_select, input_block, modal, text_input
from handlers.modals.fields import Values


def _heading(c, ombudsman: str) -> dict:
    sent = f"final response sent {day(c.final_response_sent_on)}" if c.final_response_sent_on else "resolved"
    return section(f"*{c.reference}* · {escape(c.client_name)} · {sent} · {escape(ombudsman)}")


def referral_modal(c, *, today: date, ombudsman: str) -> dict:
    F = ids.ReferralField
    blocks = [
        _heading(c, ombudsman),
        section("Record that the client referred this complaint to the ombudsman. I send nothing to anyone."),
        input_block(
            F.REFERRED_ON,
            "Referred on",
            {"type": "datepicker", "initial_date": (c.referred_on or today).isoformat()},
            hint="Not before the final response, and not in the future.",
        ),
        input_block(
            F.REFERENCE,
            "The ombudsman's reference",
            text_input(OMBUDSMAN_REFERENCE_MAX, initial=c.ombudsman_reference),
            optional=True,
            hint="If the ombudsman has given one yet; you can add it later.",
        ),
    ]
    return modal(ids.VIEW_REFERRAL, "Ombudsman referral", blocks, submit="Record", metadata={"reference": c.reference})


def parse_referral(values: Values) -> ReferralInput:
    F = ids.ReferralField
    errors: dict[str, str] = {}
    referred_on = fields.day(values, F.REFERRED_ON, errors)
    reference = fields.bounded(
        values, F.REFERENCE, OMBUDSMAN_REFERENCE_MAX, errors, label="ombudsman's reference", required=False
    )
    if errors:
        raise FieldErrors(errors)
    return ReferralInput(referred_on=referred_on, ombudsman_reference=reference)  # type: ignore[arg-type]


def decision_modal(c, *, today: date, ombudsman: str, currency: Currency) -> dict:
    F = ids.OmbudsmanDecisionField
    award = currency.plain(c.ombudsman_award) if c.ombudsman_award is not None else None
    referred = f"Referred on {day(c.referred_on)}" if c.referred_on else "Referred"
    if c.ombudsman_reference:
        referred += f" (reference {escape(c.ombudsman_reference)})"
    blocks = [
        _heading(c, ombudsman),
        section(f"{referred}. Record what the ombudsman decided."),
        input_block(F.DECISION, "Decision", enum_select(OmbudsmanDecision, c.ombudsman_decision)),
        input_block(
            F.DECIDED_ON,
            "Decided on",
            {"type": "datepicker", "initial_date": (c.ombudsman_decided_on or today).isoformat()},
            hint="Not before the referral, and not in the future.",
        ),
        input_block(
            F.AWARD,
            f"Award ({currency.code})",
            text_input(32, initial=award, placeholder=currency.example),
            optional=True,
            hint="What the ombudsman told the firm to pay, if anything.",
        ),
    ]
    return modal(
        ids.VIEW_OMBUDSMAN_DECISION, "Ombudsman decision", blocks, submit="Record", metadata={"reference": c.reference}
    )


def parse_decision(values: Values, *, currency: Currency) -> DecisionInput:
    F = ids.OmbudsmanDecisionField
    errors: dict[str, str] = {}
    decision = fields.choice(values, F.DECISION, OmbudsmanDecision, errors, "Choose the ombudsman's decision.")
    decided_on = fields.day(values, F.DECIDED_ON, errors)
    award = None
    typed = fields.text(values, F.AWARD)
    if typed is not None:
        try:
            award = currency.parse(typed)
        except ValueError as e:
            errors[F.AWARD] = str(e)
    if errors:
        raise FieldErrors(errors)
    return DecisionInput(decision=decision, decided_on=decided_on, award=award)  # type: ignore[arg-type]
