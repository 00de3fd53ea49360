"""Buttons: acked at once; each then opens a modal, or records what it says and answers in place."""

from __future__ import annotations

from bot.core import ids
from handlers.listeners.actions.complaint_buttons import opener
from handlers.listeners.actions.disclosure_buttons import disclosure_acknowledged, disclosure_chase_again
from handlers.listeners.actions.home_buttons import open_new_complaint, open_new_disclosure
from handlers.listeners.actions.matter_buttons import open_log_disclosure, open_matter_costs
from handlers.listeners.actions.matter_care_buttons import (
    open_log_as_complaint,
    open_matter_dormant,
    open_matter_snooze,
    open_matter_update,
    open_not_a_complaint,
)
from handlers.listening import Listeners


def register(listeners: Listeners) -> None:
    listeners.action(ids.ACTION_TRIAGE, opener("triage"))
    listeners.action(ids.ACTION_LOG_UPDATE, opener("client_update"))
    listeners.action(ids.ACTION_SNOOZE, opener("snooze"))
    listeners.action(ids.ACTION_RESOLVE, opener("resolve"))
    listeners.action(ids.ACTION_ACKNOWLEDGEMENT_SENT, opener("acknowledge"))
    listeners.action(ids.ACTION_HOLDING_RESPONSE, opener("holding_response"))
    listeners.action(ids.ACTION_CLIENT_DETAILS, opener("details"))
    listeners.action(ids.ACTION_REFERRAL, opener("refer"))
    listeners.action(ids.ACTION_OMBUDSMAN_DECISION, opener("ombudsman_decision"))
    listeners.action(ids.ACTION_DISCLOSURE_ACK, disclosure_acknowledged)
    listeners.action(ids.ACTION_DISCLOSURE_CHASE, disclosure_chase_again)
    listeners.action(ids.ACTION_HOME_NEW_COMPLAINT, open_new_complaint)
    listeners.action(ids.ACTION_HOME_NEW_DISCLOSURE, open_new_disclosure)
    listeners.action(ids.ACTION_MATTER_COSTS, open_matter_costs)
    listeners.action(ids.ACTION_MATTER_LOG_DISCLOSURE, open_log_disclosure)
    listeners.action(ids.ACTION_MATTER_LOG_UPDATE, open_matter_update)
    listeners.action(ids.ACTION_MATTER_SNOOZE, open_matter_snooze)
    listeners.action(ids.ACTION_MATTER_DORMANT, open_matter_dormant)
    listeners.action(ids.ACTION_MATTER_LOG_AS_COMPLAINT, open_log_as_complaint)
    listeners.action(ids.ACTION_MATTER_NOT_A_COMPLAINT, open_not_a_complaint)
