"""Register and home-finding forms under real use: a list column's checkboxes render and keep
their values, a check made before another request's write is made again where the row is
written, and a form sent twice records one row (the database holds each register's declared
uniqueness; an identical outcome or provider answer is refused)."""

from __future__ import annotations

import datetime as dt
import html
import threading
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from home_finding_records import referral_form

CARER = {
    "household_id": "FC1",
    "status": "approved",
    "approval_types": ["mainstream", "short_breaks"],
    "places": "2",
    "occupied": "1",
    "approved_date": "2020-04-01",
    "postcode": "HR4 9LJ",
}
VACANCY = {
    "vacancy_id": "V1",
    "provider_kind": "in_house_carer",
    "provider_id": "H1",
    "placement_type": "in_house_fostering",
    "places": "3",
    "available_from": "2024-04-01",
    "age_min": "0",
    "age_max": "17",
    "sex": "any",
    "siblings": "1",
}
SETTING = {"provider": "Dup Housing Ltd", "urn": "SC999001", "postcode": "HR1 2HX", "units": "4"}
URN_REPEATED = "urn 'SC999001' appears more than once (expected one row per urn)"
CARER_REPEATED = "household_id 'FC1' appears more than once (expected one row per household_id)"


def _body(response: Any) -> str:
    return html.unescape(response.content.decode())


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


class _Form(HTMLParser):
    """What a browser sends for the page's first form with a submit button (its values as
    rendered: ticked checkboxes only, the selected option, text areas' text)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.checkboxes: dict[str, list[str]] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and a.get("type") not in ("submit", "button"):
            if a.get("type") == "checkbox":
                self.checkboxes.setdefault(name, []).append(a.get("value", ""))
                if "checked" not in a:
                    return
            self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.values[self._select] = [a.get("value", "")]
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] = [self.values[self._textarea][0] + data.strip()]

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select:
            self.values.setdefault(self._select, [self._first_option or ""])
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _rendered_form(response: Any) -> _Form:
    form = _Form()
    form.feed(response.content.decode())
    return form


@pytest.fixture
def commissioner(client_for: Callable[[str], Client]) -> Client:
    return client_for("commissioner")


@pytest.fixture
def home_finder(client_for: Callable[[str], Client]) -> Client:
    return client_for("home_finder")


# ------------------------------------------------------------ 1. a list column's checkboxes
def test_the_add_form_offers_each_approval_type_and_saves_those_ticked(
    commissioner: Client,
) -> None:
    from sufficiency.schema import REGISTERS
    from sufficiency.web.registers.models import Carer

    page = _rendered_form(commissioner.get("/registers/carers/new/"))
    assert page.checkboxes["approval_types"] == list(
        REGISTERS["carers"].column("approval_types").values
    )
    assert commissioner.post("/registers/carers/new/", CARER).status_code == 302
    assert Carer.objects.get().approval_types == ["mainstream", "short_breaks"]


def test_an_edit_sent_as_rendered_keeps_the_approval_types(commissioner: Client) -> None:
    from sufficiency.web.registers.models import Carer

    assert commissioner.post("/registers/carers/new/", CARER).status_code == 302
    carer = Carer.objects.get()
    edit = f"/registers/carers/{carer.pk}/edit/"
    page = _rendered_form(commissioner.get(edit))
    assert page.values["approval_types"] == ["mainstream", "short_breaks"]  # ticked
    sent = {**page.values, "postcode": ["HR1 2AA"]}
    assert commissioner.post(edit, sent).status_code == 302
    carer.refresh_from_db()
    assert (carer.postcode, carer.approval_types, carer.version) == (
        "HR1 2AA",
        ["mainstream", "short_breaks"],
        2,
    )
    # nothing ticked is none: a browser sends no value for an unticked group
    page = _rendered_form(commissioner.get(edit))
    del page.values["approval_types"]
    assert commissioner.post(edit, page.values).status_code == 302
    carer.refresh_from_db()
    assert carer.approval_types is None
    assert Carer.objects.filter(pk=carer.pk).values_list("approval_types", flat=True).get() is None


def test_an_approval_type_not_declared_is_named_as_a_file_import_names_it(
    commissioner: Client,
) -> None:
    from sufficiency.web.registers.models import Carer

    bad = commissioner.post("/registers/carers/new/", {**CARER, "approval_types": ["respite"]})
    assert bad.status_code == 400 and "respite" in _body(bad)
    assert not Carer.objects.exists()


# ------------------------------------------------------------ 2. places never below allocations
@pytest.fixture
def allocated_vacancy(users: dict[str, Any]) -> Any:
    """V1 with 3 places, one allocated (to R1); referral R2 is waiting."""
    from sufficiency.web.matching.models import Allocation, Referral
    from sufficiency.web.registers.models import Vacancy

    vacancy = Vacancy.objects.create(
        vacancy_id="V1",
        provider_kind="in_house_carer",
        provider_id="H1",
        placement_type="in_house_fostering",
        places=3,
        available_from=dt.date(2024, 4, 1),
    )
    r1, _ = (Referral.objects.create(referral_id=r, data={}) for r in ("R1", "R2"))
    Allocation.objects.create(referral=r1, vacancy_id="V1", slot=1)
    return vacancy


def _allocate_r2() -> None:
    """Another home finder's allocation of a second place, committed meanwhile."""
    from sufficiency.web.matching.models import Allocation, Referral

    Allocation.objects.create(
        referral=Referral.objects.get(referral_id="R2"), vacancy_id="V1", slot=2
    )


def _live_places() -> tuple[int, int]:
    from sufficiency.web.matching.models import Allocation
    from sufficiency.web.registers.models import Vacancy

    places = Vacancy.rows.get(vacancy_id="V1").places
    return places, Allocation.objects.filter(withdrawn_at__isnull=True).count()


def test_an_edit_checked_before_an_allocation_does_not_save_fewer_places(
    allocated_vacancy: Any,
) -> None:
    """The edit's check passed with one place allocated; a second was allocated before it was
    written: the write (the edit view's own call) refuses it under the vacancy's lock."""
    from sufficiency.web.registers.forms import form_class

    form = form_class("vacancies")(
        {**VACANCY, "places": "1", "read_version": "1"}, instance=allocated_vacancy
    )
    assert form.is_valid(), form.errors
    _allocate_r2()
    assert not form.apply(allocated_vacancy).save_versioned(1)
    assert _live_places() == (3, 2)


def test_the_form_names_the_allocations_that_arrived_before_it_saved(
    allocated_vacancy: Any,
) -> None:
    from sufficiency.web.registers.forms import form_class

    form = form_class("vacancies")(
        {**VACANCY, "places": "1", "read_version": "1"}, instance=allocated_vacancy
    )
    assert form.is_valid(), form.errors
    _allocate_r2()
    assert not form.save_row(1)
    assert form.errors["places"] == [
        "Vacancy V1 has 2 places allocated: it cannot have fewer than 2. Withdraw an allocation "
        "first."
    ]
    assert _live_places() == (3, 2)
    allocated_vacancy.refresh_from_db()
    assert allocated_vacancy.version == 1


def test_retiring_a_vacancy_allocated_meanwhile_saves_nothing(allocated_vacancy: Any) -> None:
    """The retire view checked before the allocation; its write refuses the retirement."""
    from django.utils import timezone

    from sufficiency.web.matching.models import Allocation

    Allocation.objects.all().delete()
    _allocate_r2()
    allocated_vacancy.retired_at = timezone.now()
    allocated_vacancy.retired_reason = "home closed"
    assert not allocated_vacancy.save_versioned(1, event="retire")
    allocated_vacancy.refresh_from_db()
    assert allocated_vacancy.retired_at is None and allocated_vacancy.version == 1


def test_the_retire_page_says_why_an_allocated_vacancy_stays(
    allocated_vacancy: Any, commissioner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The allocation arrives between the retire form's check and its write."""
    from sufficiency.web.registers import row_views

    checked = row_views.RetireForm.is_valid

    def then_allocated(form: Any) -> bool:
        valid = checked(form)  # V1 had no allocation when the view checked it ...
        _allocate_r2()  # ... and has one before the retirement is written
        return valid

    from sufficiency.web.matching.models import Allocation

    Allocation.objects.all().delete()
    monkeypatch.setattr(row_views.RetireForm, "is_valid", then_allocated)
    pk = allocated_vacancy.pk
    done = commissioner.post(
        f"/registers/vacancies/{pk}/retire/", {"reason": "closed", "read_version": "1"}, follow=True
    )
    assert (
        "This vacancy cannot be retired: Vacancy V1 has 1 place allocated: it cannot have fewer "
        "than 1. Withdraw an allocation first." in _messages(done)
    )
    allocated_vacancy.refresh_from_db()
    assert allocated_vacancy.retired_at is None


def test_the_edit_page_names_the_allocations_that_arrived_before_it_saved(
    allocated_vacancy: Any, commissioner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sufficiency.web.registers.forms import RegisterForm

    checked = RegisterForm.clean

    def then_allocated(form: Any) -> dict[str, Any]:
        data: dict[str, Any] = checked(form)
        _allocate_r2()
        return data

    monkeypatch.setattr(RegisterForm, "clean", then_allocated)
    edited = commissioner.post(
        f"/registers/vacancies/{allocated_vacancy.pk}/edit/",
        {**VACANCY, "places": "1", "read_version": "1"},
    )
    assert edited.status_code == 400
    assert "Vacancy V1 has 2 places allocated: it cannot have fewer than 2" in _body(edited)
    assert _live_places() == (3, 2)


# ------------------------------------------------------------ 4. a key taken after the check
def test_a_referral_reference_taken_after_the_check_is_in_use_not_a_server_error(
    home_finder: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sufficiency.web.matching.forms import ReferralForm
    from sufficiency.web.matching.models import Referral

    checked = ReferralForm.clean_referral_id

    def then_taken(form: Any) -> str:
        rid: str = checked(form)
        Referral.objects.create(referral_id=rid, data={})  # the other request's, committed
        return rid

    monkeypatch.setattr(ReferralForm, "clean_referral_id", then_taken)
    sent = home_finder.post("/matching/", referral_form("R-DUP-1"))
    assert sent.status_code == 400
    assert "Referral reference R-DUP-1 is already in use" in _body(sent)
    assert Referral.objects.filter(referral_id="R-DUP-1").count() == 1


def _taken_after_check(monkeypatch: pytest.MonkeyPatch, insert: Callable[[], None]) -> None:
    """Run ``insert`` (another request's row, committed) right after a register form's first
    check of its key and unique values."""
    from sufficiency.web.registers.forms import RegisterForm

    checked = RegisterForm._check_repeats
    inserted: list[bool] = []

    def then_taken(form: Any) -> None:
        checked(form)
        if not inserted:
            insert()
            inserted.append(True)

    monkeypatch.setattr(RegisterForm, "_check_repeats", then_taken)


def test_a_carer_id_taken_after_the_check_is_a_form_error(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sufficiency.web.registers.forms import form_class
    from sufficiency.web.registers.models import Carer

    _taken_after_check(
        monkeypatch, lambda: Carer.objects.create(household_id="FC1", status="approved", places=1)
    )
    form = form_class("carers")(CARER)
    assert form.is_valid(), form.errors
    assert not form.save_row()
    assert form.errors["household_id"] == [CARER_REPEATED]
    assert list(Carer.rows.values_list("household_id", "places")) == [("FC1", 1)]


def test_the_add_page_says_a_carer_id_taken_after_the_check_is_in_use(
    commissioner: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sufficiency.web.registers.models import Carer

    _taken_after_check(
        monkeypatch, lambda: Carer.objects.create(household_id="FC1", status="approved", places=1)
    )
    sent = commissioner.post("/registers/carers/new/", CARER)
    assert sent.status_code == 400 and CARER_REPEATED in _body(sent)
    assert Carer.rows.count() == 1


# ------------------------------------------------------------ 5. declared uniqueness in the database
def test_every_declared_key_and_unique_column_is_held_by_the_database() -> None:
    from django.db.models import UniqueConstraint

    from sufficiency.schema import REGISTERS
    from sufficiency.web.registers.migration_checks import compared_column
    from sufficiency.web.registers.models import EDITABLE_REGISTERS

    for name, model in EDITABLE_REGISTERS.items():
        held = {(f.name,) for f in model._meta.concrete_fields if f.unique and not f.primary_key}
        held |= {
            tuple(compared_column(e) for e in c.expressions)
            for c in model._meta.constraints
            if isinstance(c, UniqueConstraint)
        }
        assert set(REGISTERS[name].unique_keys) <= held, name


def test_the_models_match_their_migrations(db: None) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_database_refuses_a_second_setting_with_a_urn(db: None) -> None:
    """Unique when given: blanks repeat, and a retired row keeps its URN beside the row that
    replaced it (a keyless register's import retires a changed row and adds it anew)."""
    from django.utils import timezone

    from sufficiency.web.registers.models import SupportedAccommodation as Setting

    first = Setting.objects.create(provider="A", urn="SC999001", units=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Setting.objects.create(provider="B", urn="SC999001", units=2)
    for provider in ("C", "D"):
        Setting.objects.create(provider=provider, urn="", units=1)
    Setting.rows.filter(pk=first.pk).update(retired_at=timezone.now())
    Setting.objects.create(provider="A", urn="SC999001", units=5)
    assert Setting.rows.filter(urn="SC999001").count() == 2


def test_the_database_refuses_a_repeated_key_of_several_columns(db: None) -> None:
    from sufficiency.web.registers.models import PermanencePlan

    plan = {"child_id": "C1", "plan": "adoption", "date_set": dt.date(2024, 1, 1)}
    PermanencePlan.objects.create(**plan)
    PermanencePlan.objects.create(**{**plan, "plan": "sgo"})
    with pytest.raises(IntegrityError), transaction.atomic():
        PermanencePlan.objects.create(**plan, status="open")
    assert PermanencePlan.rows.count() == 2


def test_the_database_compares_keys_and_unique_values_ignoring_case(db: None) -> None:
    """As a file import and the forms compare them: a race between ``FC1`` and ``fc1`` (each
    form's check passing before either writes) got two carers with one id past the database."""
    from sufficiency.web.registers.models import Carer, PermanencePlan
    from sufficiency.web.registers.models import SupportedAccommodation as Setting

    Carer.objects.create(household_id="FC1", status="approved", places=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Carer.objects.create(household_id="fc1", status="approved", places=1)
    Setting.objects.create(provider="A", urn="SC999001", units=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Setting.objects.create(provider="B", urn="sc999001", units=2)
    plan = {"child_id": "C1", "plan": "adoption", "date_set": dt.date(2024, 1, 1)}
    PermanencePlan.objects.create(**plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        PermanencePlan.objects.create(**{**plan, "child_id": "c1"})
    assert (Carer.rows.count(), Setting.rows.count(), PermanencePlan.rows.count()) == (1, 1, 1)


def test_two_setting_forms_checked_together_save_one_row(db: None) -> None:
    """A double submit: both requests' checks pass before either writes."""
    from sufficiency.web.registers.forms import form_class
    from sufficiency.web.registers.models import SupportedAccommodation

    first, second = (form_class("supported_accommodation")(SETTING) for _ in range(2))
    assert first.is_valid() and second.is_valid()
    assert first.save_row()
    assert not second.save_row()
    assert second.errors["urn"] == [URN_REPEATED]
    assert SupportedAccommodation.rows.filter(urn="SC999001").count() == 1


OUTCOME = {"vacancy_id": "V3", "offered": "on", "decline_reason": "carer declined"}


@pytest.fixture
def referral(db: None) -> Any:
    from sufficiency.web.matching.models import Referral

    return Referral.objects.create(referral_id="R-DUP-1", data={})


def test_the_same_outcome_sent_twice_is_recorded_once(referral: Any, home_finder: Client) -> None:
    first = home_finder.post("/matching/R-DUP-1/outcome/", OUTCOME, follow=True)
    assert "Outcome recorded." in _messages(first)
    again = home_finder.post("/matching/R-DUP-1/outcome/", OUTCOME, follow=True)
    assert (
        "This outcome (vacancy V3) is already recorded for referral R-DUP-1: it was not "
        "recorded again." in _messages(again)
    )
    assert list(referral.outcomes.values_list("vacancy_id", "decline_reason")) == [
        ("V3", "carer declined")
    ]
    # a different outcome for the same vacancy is recorded
    other = home_finder.post("/matching/R-DUP-1/outcome/", {**OUTCOME, "decline_reason": "full"})
    assert other.status_code == 302 and referral.outcomes.count() == 2


def test_the_same_provider_answer_sent_twice_is_recorded_once(
    referral: Any, home_finder: Client
) -> None:
    from sufficiency.web.matching.models import ProviderContact

    ProviderContact.objects.create(provider_id="P1", name="Provider One")
    answer = {"provider_id": "P1", "answer": "decline", "reason": "no space"}
    first = home_finder.post("/matching/R-DUP-1/answer/", answer, follow=True)
    assert "The answer of provider P1 was recorded." in _messages(first)
    again = home_finder.post("/matching/R-DUP-1/answer/", answer, follow=True)
    assert (
        "This answer of provider P1 is already recorded for referral R-DUP-1: it was not "
        "recorded again." in _messages(again)
    )
    assert referral.answers.count() == 1


@pytest.fixture
def threads_of(
    users: dict[str, Any],
) -> Iterator[Callable[[int, Callable[[Client], Any]], list[Any]]]:
    """Run ``n`` requests (each its own signed-in client and connection) released together."""

    def run(n: int, send: Callable[[Client], Any]) -> list[Any]:
        barrier = threading.Barrier(n)
        answers: list[Any] = []

        def one() -> None:
            from django.db import connection as thread_connection

            client = Client(raise_request_exception=False)
            client.force_login(users["home_finder"])
            try:
                barrier.wait()
                answers.append(send(client))
            finally:
                thread_connection.close()

        threads = [threading.Thread(target=one) for _ in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        return answers

    yield run


@pytest.mark.django_db(transaction=True)
def test_the_same_outcome_sent_four_times_at_once_is_recorded_once(
    threads_of: Callable[[int, Callable[[Client], Any]], list[Any]],
) -> None:
    from sufficiency.web.matching.models import Outcome, Referral

    Referral.objects.create(referral_id="R-DUP-1", data={})
    answers = threads_of(4, lambda c: c.post("/matching/R-DUP-1/outcome/", OUTCOME).status_code)
    assert answers == [302, 302, 302, 302]
    assert Outcome.objects.count() == 1
