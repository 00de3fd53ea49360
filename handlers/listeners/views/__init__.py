"""Modal submissions: parsed, validated and stored before the ack, which answers with the field
errors or closes the modal; the messages they record go out after it."""

from __future__ import annotations

from bot.core import ids
from handlers.listeners.views import complaints, disclosures, matter_care, matters
from handlers.listeners.views.submitting import after_submit
from handlers.listening import Listeners


def register(listeners: Listeners) -> None:
    listeners.view(ids.VIEW_NEW_COMPLAINT, complaints.submit_new_complaint, after_submit)
    listeners.view(ids.VIEW_TRIAGE, complaints.submit_triage, after_submit)
    listeners.view(ids.VIEW_CLIENT_UPDATE, complaints.submit_client_update, after_submit)
    listeners.view(ids.VIEW_SNOOZE, complaints.submit_snooze, after_submit)
    listeners.view(ids.VIEW_HOLDING_RESPONSE, complaints.submit_holding_response, after_submit)
    listeners.view(ids.VIEW_RESOLVE, complaints.submit_resolve, after_submit)
    listeners.view(ids.VIEW_ACKNOWLEDGEMENT_SENT, complaints.submit_acknowledgement, after_submit)
    listeners.view(ids.VIEW_CLIENT_DETAILS, complaints.submit_client_details, after_submit)
    listeners.view(ids.VIEW_REFERRAL, complaints.submit_referral, after_submit)
    listeners.view(ids.VIEW_OMBUDSMAN_DECISION, complaints.submit_ombudsman_decision, after_submit)
    listeners.view(ids.VIEW_NEW_DISCLOSURE, disclosures.submit_new_disclosure, after_submit)
    listeners.view(ids.VIEW_NEW_MATTER, matters.submit_new_matter, after_submit)
    listeners.view(ids.VIEW_MATTER_COSTS, matters.submit_matter_costs, after_submit)
    listeners.view(ids.VIEW_MATTER_UPDATE, matter_care.submit_matter_update, after_submit)
    listeners.view(ids.VIEW_MATTER_SNOOZE, matter_care.submit_matter_snooze, after_submit)
    listeners.view(ids.VIEW_MATTER_DORMANT, matter_care.submit_matter_dormant, after_submit)
    listeners.view(ids.VIEW_MATTER_NOT_A_COMPLAINT, matter_care.submit_not_a_complaint, after_submit)
