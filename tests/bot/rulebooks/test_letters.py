"""The letters that close a complaint, as each scheme fills them: the final response (its outcome in
words, its remedy, what it must say of the ombudsman) and the summary resolution communication
(FCA DISP 1.5.4R); a firm's own template in place of either; the version that says which wording
was used."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from bot.core.config import Settings
from bot.rulebooks.letters import resolution_letter
from bot.templates import DEFAULT_FINAL_RESPONSE, DEFAULT_SUMMARY_RESOLUTION, VERSION_DIGITS

LEO_CONTACT = (
    "Legal Ombudsman, PO Box 6167, Slough SL1 0EH; telephone 0300 555 0333; "
    "email enquiries@legalombudsman.org.uk; website www.legalombudsman.org.uk"
)
FOS_CONTACT = (
    "Financial Ombudsman Service, Exchange Tower, London E14 9SR; telephone 0800 023 4567; "
    "email complaint.info@financial-ombudsman.org.uk; website www.financial-ombudsman.org.uk"
)


def letter(scheme: str, *, summary: bool = False, outcome: str = "partly_upheld", **overrides):
    s = Settings(complaints_scheme=scheme)
    values = dict(
        summary_resolution=summary,
        final_response_template=None,
        summary_resolution_template=None,
        client_name="Jane Client",
        reference="CMP-2026-0001",
        received_on=date(2026, 11, 20),
        # Sent Wed 25 Nov 2026: six months on is Tue 25 May 2027.
        sent_on=date(2026, 11, 25),
        outcome=outcome,
        remedy="Apology and a £250 fee reduction.",
        firm_name="Example & Co LLP",
    )
    values.update(overrides)
    return resolution_letter(s.rulebook, s.policy(), **values)


def test_the_legal_ombudsman_final_response_makes_the_three_points():
    text = letter("legal-ombudsman").text
    assert text.startswith("25 Nov 2026\n\nDear Jane Client,")
    assert "reference CMP-2026-0001" in text and "received on 20 Nov 2026" in text
    assert "This letter is our final response" in text
    assert "we uphold it in part" in text
    assert "we offer you the following: Apology and a £250 fee reduction." in text
    # Available, full contact details, and the six-month limit with its date.
    assert "the Legal Ombudsman is available to you" in text
    assert LEO_CONTACT in text
    assert "within six months of the date of this letter, that is by 25 May 2027" in text
    assert "within one year of the problem happening" in text
    assert "Financial Ombudsman" not in text
    assert text.endswith("Yours sincerely,\nExample & Co LLP")
    # Not the acknowledgement's wording, written before any final response.
    assert "If we have not resolved your complaint within" not in text


@pytest.mark.parametrize("scheme", ["financial-ombudsman", "financial-ombudsman-payments"])
def test_the_fca_final_response_says_the_client_may_now_go_to_the_financial_ombudsman(scheme):
    text = letter(scheme).text
    assert "you may now refer your complaint to the Financial Ombudsman Service" in text
    assert FOS_CONTACT in text
    assert "within six months of the date of this letter, that is by 25 May 2027" in text
    # DISP 1 Annex 3R: the wording when the firm does not consent to the ombudsman's waiving the limit.
    assert "the Ombudsman will not have our permission to consider your complaint" in text
    assert "within six years of the event complained of" in text
    assert "explanatory leaflet" in text
    assert "Legal Ombudsman" not in text and "summary resolution" not in text.lower()


def test_with_no_ombudsman_scheme_the_letter_names_no_ombudsman():
    text = letter("none").text
    assert "mbudsman" not in text and "six months" not in text
    assert "we will explain what further steps may be open to you" in text
    assert "This letter is our final response" in text


@pytest.mark.parametrize("scheme", ["financial-ombudsman", "financial-ombudsman-payments"])
def test_the_summary_resolution_communication_has_what_disp_1_5_4_asks(scheme):
    made = letter(scheme, summary=True)
    text = made.text
    assert made.template == DEFAULT_SUMMARY_RESOLUTION.name
    # (1) the complaint, and that the firm now considers it resolved;
    assert "Thank you for raising your complaint with us on 20 Nov 2026" in text
    assert "we now consider your complaint to have been resolved" in text
    # (2) that a client later dissatisfied may be able to refer it to the FOS, and the time limit;
    assert "If you later decide that you are dissatisfied" in text
    assert "you may be able to refer it to the Financial Ombudsman Service" in text
    assert "within six months of the date of this letter, that is by 25 May 2027" in text
    # (3) whether the firm consents to waive the time limits (DISP 1 Annex 3R: it does not);
    assert "will not have our permission" in text
    # (4), (5) the FOS's website, and that more information is there.
    assert FOS_CONTACT in text
    assert "more information about the Financial Ombudsman Service" in text
    assert "on its website: www.financial-ombudsman.org.uk" in text
    assert "final response" not in text


@pytest.mark.parametrize(
    "outcome, says",
    [
        ("upheld", "we uphold it."),
        ("partly_upheld", "we uphold it in part."),
        ("not_upheld", "we do not uphold it."),
        ("withdrawn", "you wish to withdraw your complaint"),
    ],
)
def test_the_outcome_is_put_in_words(outcome, says):
    text = letter("legal-ombudsman", outcome=outcome).text
    assert says in text
    others = {
        "upheld": "we uphold it.",
        "partly_upheld": "in part",
        "not_upheld": "do not uphold",
        "withdrawn": "withdraw",
    }
    assert [o for o, phrase in others.items() if o != outcome and phrase in text] == []


@pytest.mark.parametrize("summary", [False, True])
def test_without_a_remedy_there_is_no_remedy_paragraph_and_no_gap(summary):
    text = letter("financial-ombudsman", summary=summary, remedy=None).text
    assert "we offer you" not in text and "$remedy" not in text
    assert "\n\n\n" not in text


def test_a_dollar_sign_in_the_remedy_is_kept_as_typed():
    text = letter("legal-ombudsman", remedy="A refund of $250 and $reference").text
    assert "A refund of $250 and $reference" in text


def test_the_version_is_a_short_sha256_of_the_wording_used():
    made = letter("legal-ombudsman")
    assert made.template == DEFAULT_FINAL_RESPONSE.name == "final-response.txt"
    assert len(made.version) == VERSION_DIGITS and int(made.version, 16) >= 0
    # The same wording gives the same version, whatever the client; another paragraph another.
    assert letter("legal-ombudsman", client_name="Someone Else").version == made.version
    assert letter("legal-ombudsman", outcome="upheld").version != made.version
    assert letter("financial-ombudsman").version != made.version
    assert letter("financial-ombudsman", summary=True).version != letter("financial-ombudsman").version


def test_a_firms_own_templates_replace_the_built_in_ones(tmp_path):
    final = tmp_path / "our-final-response.txt"
    final.write_text("Dear $client_name ($reference), $outcome_statement\n\n$ombudsman_paragraph\n\n$firm_name\n")
    summary = tmp_path / "our-summary.txt"
    summary.write_text("Dear $client_name, resolved. Refer to the $ombudsman_name by $referral_by. $unknown\n")
    made = letter("financial-ombudsman", final_response_template=str(final))
    assert made.template == str(final)
    assert made.text.startswith("Dear Jane Client (CMP-2026-0001), Having considered your complaint carefully")
    assert FOS_CONTACT in made.text and made.text.endswith("Example & Co LLP")
    wording = "\0".join(
        [final.read_text(), *(p.read_text() for p in _parts("final-response-ombudsman-financial-ombudsman.txt"))]
    )
    assert made.version == hashlib.sha256(wording.encode()).hexdigest()[:VERSION_DIGITS]
    own = letter("financial-ombudsman", summary=True, summary_resolution_template=str(summary))
    assert own.template == str(summary)
    # An unknown $name is left as written, never an error.
    assert own.text == "Dear Jane Client, resolved. Refer to the Financial Ombudsman Service by 25 May 2027. $unknown"
    final.write_text("Reworded, $client_name.")
    assert letter("financial-ombudsman", final_response_template=str(final)).version != made.version


def _parts(ombudsman: str):
    """The paragraph files a partly upheld final response with a remedy takes in, in the order of
    their $names: ombudsman_paragraph, outcome_statement, remedy_paragraph."""
    folder = DEFAULT_FINAL_RESPONSE.parent
    return [folder / ombudsman, folder / "outcome-partly_upheld.txt", folder / "remedy.txt"]
