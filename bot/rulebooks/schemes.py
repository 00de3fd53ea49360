"""The complaints schemes a firm can be under, each a small declarative rulebook: its final-response
clock and the rule it comes from, its ombudsman (contact details and time limits, kept as data so
they are easy to update), what a final response must tell the client, and its default calendar.

`COMPLAINTS_SCHEME` picks one; the clock settings (FINAL_RESPONSE_WEEKS, _BUSINESS_DAYS) still
override its defaults (bot/core/config.py). Nothing elsewhere branches on the scheme's name: code
asks the rulebook.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Ombudsman:
    """An ombudsman service as the client is told of it."""

    name: str
    address: str
    telephone: str
    email: str
    website: str
    # Months from the final response within which the client must normally refer the complaint.
    referral_months: int
    # The client's other limits, as the letter puts them after "within six months of our final
    # response, and ...".
    other_limits: str
    # Where those limits come from.
    limits_rule: str

    @property
    def contact(self) -> str:
        """Full contact details on one line, as the letters give them."""
        return f"{self.name}, {self.address}; telephone {self.telephone}; email {self.email}; website {self.website}"


@dataclass(frozen=True)
class Rulebook:
    key: str
    title: str
    # The final response's limit: weeks, or business days (counted on the firm's calendar).
    final_response_weeks: int | None
    final_response_business_days: int | None
    # Where the limit comes from, as a deadline message names it.
    final_response_rule: str
    # Payment services: the longer limit when a holding reply gave the reasons and the date.
    extended_business_days: int | None
    # With an ombudsman, resolving (other than a withdrawal) needs the final response's three points
    # ticked; with none the resolve modal does not ask for them.
    ombudsman: Ombudsman | None
    # FCA DISP 1.5: a complaint resolved by the close of the third business day after receipt.
    summary_resolution: bool
    # The product or service groups a complaint is filed under (PRODUCT_GROUPS overrides them):
    # the FCA complaints return's groupings (DISP 1 Annex 1R) or a law firm's areas of law.
    product_groups: tuple[str, ...]
    # The business-day calendar unless HOLIDAY_CALENDAR says otherwise.
    default_calendar: str

    def referral_by(self, responded_on: date) -> date | None:
        """The last day the client can normally refer the complaint to the ombudsman: the scheme's
        months after the final response (or summary resolution communication) was sent, the same
        day of the month, or the month's last day where it has no such day (31 Aug + 6 months is
        28 or 29 Feb). None with no ombudsman."""
        if self.ombudsman is None:
            return None
        months = responded_on.month - 1 + self.ombudsman.referral_months
        year, month = responded_on.year + months // 12, months % 12 + 1
        return date(year, month, min(responded_on.day, calendar.monthrange(year, month)[1]))

    @property
    def referral_basis(self) -> str | None:
        """How `referral_by` is counted, as a deadline names it: "6 months from the final response,
        DISP 2.8.2R". None with no ombudsman."""
        if self.ombudsman is None:
            return None
        return f"{self.ombudsman.referral_months} months from the final response, {self.ombudsman.limits_rule}"


LEGAL_OMBUDSMAN = Ombudsman(
    name="Legal Ombudsman",
    address="PO Box 6167, Slough SL1 0EH",
    telephone="0300 555 0333",
    email="enquiries@legalombudsman.org.uk",
    website="www.legalombudsman.org.uk",
    referral_months=6,
    other_limits="within one year of the problem happening or of when you should have known about it",
    limits_rule="Legal Ombudsman Scheme Rule 4.5; rule 4.7 lets the ombudsman extend them",
)

FINANCIAL_OMBUDSMAN = Ombudsman(
    name="Financial Ombudsman Service",
    address="Exchange Tower, London E14 9SR",
    telephone="0800 023 4567",
    email="complaint.info@financial-ombudsman.org.uk",
    website="www.financial-ombudsman.org.uk",
    referral_months=6,
    other_limits=(
        "within six years of the event complained of, or if later, three years of when you became aware "
        "(or should have become aware) that you had cause to complain"
    ),
    limits_rule="DISP 2.8.2R",
)

# DISP 1 Annex 1R: the product or service groupings of the FCA complaints return.
FCA_RETURN_GROUPS = (
    "Banking and credit cards",
    "Home finance",
    "Insurance and pure protection",
    "Decumulation and pensions",
    "Investments",
)
AREAS_OF_LAW = (
    "Conveyancing",
    "Family",
    "Wills and probate",
    "Personal injury",
    "Employment",
    "Litigation",
    "Immigration",
    "Commercial",
    "Other",
)

RULEBOOKS: dict[str, Rulebook] = {
    r.key: r
    for r in (
        Rulebook(
            key="legal-ombudsman",
            title="Legal Ombudsman (SRA-regulated firms in England and Wales)",
            final_response_weeks=8,
            final_response_business_days=None,
            final_response_rule="Legal Ombudsman Scheme Rules",
            extended_business_days=None,
            ombudsman=LEGAL_OMBUDSMAN,
            summary_resolution=False,
            product_groups=AREAS_OF_LAW,
            default_calendar="england-and-wales",
        ),
        Rulebook(
            key="financial-ombudsman",
            title="Financial Ombudsman Service (FCA DISP)",
            final_response_weeks=8,
            final_response_business_days=None,
            final_response_rule="DISP 1.6.2R",
            extended_business_days=None,
            ombudsman=FINANCIAL_OMBUDSMAN,
            summary_resolution=True,
            product_groups=FCA_RETURN_GROUPS,
            default_calendar="england-and-wales",
        ),
        Rulebook(
            key="financial-ombudsman-payments",
            title="Financial Ombudsman Service, payment services (FCA DISP 1.6.2AR)",
            final_response_weeks=None,
            final_response_business_days=15,
            final_response_rule="DISP 1.6.2AR",
            extended_business_days=35,
            ombudsman=FINANCIAL_OMBUDSMAN,
            summary_resolution=True,
            product_groups=FCA_RETURN_GROUPS,
            default_calendar="england-and-wales",
        ),
        Rulebook(
            key="none",
            title="No ombudsman scheme (the firm's own complaints procedure)",
            final_response_weeks=8,
            final_response_business_days=None,
            final_response_rule="the firm's complaints procedure",
            extended_business_days=None,
            ombudsman=None,
            summary_resolution=False,
            product_groups=AREAS_OF_LAW,
            default_calendar="none",
        ),
    )
}
DEFAULT_SCHEME = "legal-ombudsman"
DEFAULT_RULEBOOK = RULEBOOKS[DEFAULT_SCHEME]
