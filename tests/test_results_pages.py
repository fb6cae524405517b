"""The results pages: who sees what, in her language, with charts and no JavaScript."""

from __future__ import annotations

import re

import pytest

from survey.accounts.models import Role
from survey.organisations.manage import assign_unassigned_forms, create_organisation
from tests.conftest import log_in_as
from tests.test_results import store, twenty


def test_a_lead_sees_her_organisations_results_with_the_rule_and_charts(lead, exact_counts):
    page = lead.get("/results/priorities").text
    assert "Empower test" in page and "20 participants" in page
    assert 'Counts from 1 to 4 are shown as &#34;&lt;5&#34;' in page
    assert page.count("<svg") >= 10, "a chart per choice question, and the ranking"
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script"
    assert 'style="' not in page and "<style" not in page, "no inline style"
    assert "Borda score" in page and "152" in page


def test_results_in_burmese(lead, form):
    page = lead.get("/results/priorities?ui=my").text
    assert form.question("documents").label.translations["my"] in page
    assert form.question("priorities").choices[0].label.translations["my"] in page


def test_a_lead_cannot_see_pooled_results(lead):
    response = lead.get("/results/priorities?view=pooled")
    assert response.status_code == 403
    assert "Only an admin" in response.text


def test_an_admin_sees_pooled_results_without_free_text(client, organisation, form, exact_counts):
    twenty(form, organisation.id)
    store(form, organisation.id, {"what_helps": "my own words"}, quote=True)
    other = create_organisation("OTH", "Other CBO")
    assign_unassigned_forms(other)
    log_in_as(client, "ada", Role.ADMIN, organisation.id)
    own = client.get("/results/priorities").text
    assert "my own words" in own
    pooled = client.get("/results/priorities?view=pooled").text
    assert "All organisations together" in pooled and "21 participants" in pooled
    assert "my own words" not in pooled
    assert "never shown in pooled results" in pooled


def test_interviewers_and_strangers_are_kept_out(client, organisation, interviewer):
    assert client.get("/results/priorities").status_code == 302  # to the login page
    log_in_as(client, "ivy", Role.INTERVIEWER, organisation.id)
    assert client.get("/results/priorities").status_code == 403
    assert client.get("/results/priorities/workbook.xlsx").status_code == 403


def test_a_form_her_organisation_does_not_run_is_not_found(lead):
    assert lead.get("/results/nothing_here").status_code == 404


@pytest.mark.parametrize(("query", "message"), [
    ("from=2024-03-01", "Results are shown for a whole month or quarter only"),
    ("from=2024-05-01&to=2024-04-01", "Results are shown for a whole month or quarter only"),
    ("period=2024-13", "Choose a month like 2024-03 or a quarter like 2024-Q1."),
    ("period=2024-03-31", "Choose a month like 2024-03 or a quarter like 2024-Q1."),
    ("by=work", "Results can be broken down only by a question with one answer."),
])
def test_bad_filters_get_a_clear_message_not_a_500(lead, query, message):
    response = lead.get(f"/results/priorities?{query}")
    assert response.status_code == 400
    assert message in response.text


def test_breakdown_by_documents(lead, form, exact_counts):
    page = lead.get("/results/priorities?by=documents").text
    documents = form.question("documents").label.translations["en"]
    assert page.count(f'— by <span lang="en">{documents}</span>') >= 10, "every choice question"
    assert "Other (small groups together)" in page


def test_few_participants_show_nothing(client, organisation, form):
    for _ in range(3):
        store(form, organisation.id, {"documents": "passport"})
    log_in_as(client, "lena", Role.LEAD, organisation.id)
    page = client.get("/results/priorities").text
    assert "Fewer than 5 people answered" in page
    assert "<svg" not in page


def test_printable_summary_in_the_communitys_language(lead, form):
    page = lead.get("/results/priorities/summary?lang=th").text
    first = form.question("priorities").choices[0].label.translations["th"]
    assert f"<li>{first}</li>" in page
    assert 'lang="th"' in page and "<svg" in page
    assert 'id="rule"' in page and 'id="participants"' in page


def test_the_surveys_page_links_to_results(client, organisation):
    log_in_as(client, "ada", Role.ADMIN, organisation.id)
    assert 'href="/results/"' in client.get("/").text
