"""Every callback id and action id the bot registers, in one place (the manifest names some of them)."""

# Slash commands
COMPLAINT_COMMAND = "/complaint"
DISCLOSURE_COMMAND = "/disclosure"
MATTER_COMMAND = "/matter"

# Shortcuts (callback ids in manifest.yml)
SHORTCUT_LOG_COMPLAINT_MESSAGE = "log_complaint_from_message"
SHORTCUT_LOG_COMPLAINT_GLOBAL = "log_complaint"
SHORTCUT_LOG_DISCLOSURE_MESSAGE = "log_disclosure_from_message"

# Modals (view callback ids)
VIEW_NEW_COMPLAINT = "complaint_new"
VIEW_TRIAGE = "complaint_triage"
VIEW_CLIENT_UPDATE = "complaint_client_update"
VIEW_SNOOZE = "complaint_snooze"
VIEW_RESOLVE = "complaint_resolve"
VIEW_ACKNOWLEDGEMENT_SENT = "complaint_acknowledge"
VIEW_HOLDING_RESPONSE = "complaint_holding_response"
VIEW_CLIENT_DETAILS = "complaint_client_details"
VIEW_REFERRAL = "complaint_referral"
VIEW_OMBUDSMAN_DECISION = "complaint_ombudsman_decision"
VIEW_NEW_DISCLOSURE = "disclosure_new"
VIEW_NEW_MATTER = "matter_new"
VIEW_MATTER_UPDATE = "matter_client_update"
VIEW_MATTER_SNOOZE = "matter_snooze"
VIEW_MATTER_DORMANT = "matter_dormant"
VIEW_MATTER_COSTS = "matter_costs"
VIEW_MATTER_NOT_A_COMPLAINT = "matter_not_a_complaint_reason"

# Buttons and other block actions
ACTION_TRIAGE = "complaint_triage_open"
ACTION_LOG_UPDATE = "complaint_log_update_open"
ACTION_SNOOZE = "complaint_snooze_open"
ACTION_RESOLVE = "complaint_resolve_open"
ACTION_ACKNOWLEDGEMENT_SENT = "complaint_acknowledge_open"
ACTION_HOLDING_RESPONSE = "complaint_holding_response_open"
ACTION_CLIENT_DETAILS = "complaint_client_details_open"
ACTION_REFERRAL = "complaint_referral_open"
ACTION_OMBUDSMAN_DECISION = "complaint_ombudsman_decision_open"
ACTION_DISCLOSURE_ACK = "disclosure_acknowledged"
ACTION_DISCLOSURE_CHASE = "disclosure_chase_again"
ACTION_HOME_NEW_COMPLAINT = "home_new_complaint"
ACTION_HOME_NEW_DISCLOSURE = "home_new_disclosure"
# A matter's buttons: each button's value is the matter reference, except Log disclosure's
# ("M-1001|costs_estimate": the matter, then the kind to prefill) and the complaint prompt's
# (the id of the client update's event).
ACTION_MATTER_LOG_DISCLOSURE = "matter_log_disclosure_open"
ACTION_MATTER_LOG_UPDATE = "matter_log_update_open"
ACTION_MATTER_SNOOZE = "matter_snooze_open"
ACTION_MATTER_DORMANT = "matter_dormant_open"
ACTION_MATTER_COSTS = "matter_costs_open"
ACTION_MATTER_LOG_AS_COMPLAINT = "matter_log_as_complaint"
ACTION_MATTER_NOT_A_COMPLAINT = "matter_not_a_complaint"

# Events
EVENT_APP_HOME_OPENED = "app_home_opened"


# Block ids of the intake modal: they key the field errors shown in the modal.
class IntakeField:
    CLIENT_NAME = "client_name"
    MATTER_REF = "matter_ref"
    RECEIVED_VIA = "received_via"
    RECEIVED_ON = "received_on"
    PROBLEM_ON = "problem_on"
    AWARE_ON = "aware_on"
    CATEGORY = "category"
    SUMMARY = "summary"
    CLIENT_REQUEST = "client_request"


class TriageField:
    SEVERITY = "severity"
    HANDLER = "handler"
    TARGET_DATE = "target_date"
    CADENCE = "update_cadence_days"
    NOTE = "note"


class UpdateField:
    DATE = "update_date"
    VIA = "update_via"
    TOLD = "told"
    NEXT_STEP = "next_step"


class AcknowledgementField:
    DATE = "acknowledgement_date"
    VIA = "acknowledgement_via"


class SnoozeField:
    DAYS = "snooze_days"
    REASON = "reason"


class ResolveField:
    OUTCOME = "outcome"
    REMEDY = "remedy"
    SENT_ON = "final_response_sent_on"
    OMBUDSMAN = "ombudsman"
    SUMMARY = "summary_resolution"
    ROOT_CAUSE = "root_cause"
    REDRESS_OFFERED = "redress_offered"
    REDRESS_PAID = "redress_paid"
    REDRESS_PAID_ON = "redress_paid_on"


class DetailsField:
    """The client's details: in the triage modal and in the Client details modal."""

    PRODUCT = "product"
    VULNERABLE = "vulnerable"
    ADJUSTMENTS = "adjustments"


class HoldingField:
    REASON = "reason"
    EXPECTED_ON = "expected_on"
    SENT_ON = "sent_on"
    VIA = "via"


class ReferralField:
    REFERRED_ON = "referred_on"
    REFERENCE = "ombudsman_reference"


class OmbudsmanDecisionField:
    DECISION = "ombudsman_decision"
    DECIDED_ON = "ombudsman_decided_on"
    AWARD = "ombudsman_award"


class MatterField:
    MATTER_REF = "matter_ref"
    CLIENT_NAME = "client_name"
    RESPONSIBLE = "responsible_id"
    SUPERVISOR = "supervisor_id"
    AREA = "area"
    OPENED_ON = "opened_on"
    CADENCE = "update_cadence_days"
    NEXT_KEY_DATE = "next_key_date"
    NEXT_KEY_DATE_WHAT = "next_key_date_what"


class DisclosureField:
    CLIENT_NAME = "client_name"
    MATTER_REF = "matter_ref"
    KIND = "kind"
    CONTENT = "content"
    DISCLOSED_ON = "disclosed_on"
    VIA = "disclosed_via"
    ACK = "ack_status"
    FOLLOW_UP = "follow_up_on"
    DOCUMENT = "document_url"
    # A costs estimate's amount (costs disclosures only).
    AMOUNT = "amount"


class MatterUpdateField:
    """Log client update, on a matter."""

    DATE = "update_date"
    VIA = "update_via"
    TOLD = "told"
    NEXT_STEP = "next_step"
    MOOD = "client_mood"


class MatterSnoozeField:
    UNTIL = "snooze_until"
    REASON = "reason"


class MatterDormantField:
    UNTIL = "dormant_until"
    REASON = "reason"


class MatterNotAComplaintField:
    """**Not a complaint**, from a complaint prompt: why the client's dissatisfaction is not one."""

    REASON = "reason"


class MatterCostsField:
    COSTS_TO_DATE = "costs_to_date"
