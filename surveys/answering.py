"""Answering a version page by page: which questions show, the form of a section, saving it,
checking a whole response before it is submitted.

Skip logic depends only on questions of earlier sections, so a page needs no JavaScript: what
it shows follows from answers already saved, and the server applies the same rule when it
saves and submits (answers to questions that are not shown are ignored, then removed).
"""

import threading
from decimal import Decimal

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OTHER, Answer, Kind, Section

REQUIRED = _("This question is required.")


class AlreadySubmitted(Exception):
    """The response was submitted: it no longer changes."""


def field_name(question, row=None):
    return f"q{question.pk}-r{row.pk}" if row else f"q{question.pk}"


def other_name(question):
    return f"q{question.pk}-other"


def load_answers(response):
    """{(question id, row id or None): Answer} for a response."""
    return {(a.question_id, a.row_id): a for a in response.answers.all()}


def codes_by_question(answers):
    return {
        question_id: set(a.codes) for (question_id, row_id), a in answers.items() if not row_id
    }


def is_shown(question, codes):
    """Whether a question shows, given the codes answered so far ({question id: codes})."""
    if not question.show_if_question_id:
        return True
    return bool(codes.get(question.show_if_question_id, set()) & set(question.show_if_values))


_FROZEN_STRUCTURES = {}  # version id -> sections; launched and closed versions never change
_FROZEN_LOCK = threading.Lock()
_FROZEN_MAX = 32


def version_structure(version):
    """The sections of a version with their questions, choices and rows, in order (4 queries).

    A launched or closed version is frozen, so its structure is kept in memory per process
    after the first request (read-only: nothing downstream changes these objects); drafts
    and pre-test versions, which admins may still edit, are read every time.
    """
    if version.is_frozen:
        cached = _FROZEN_STRUCTURES.get(version.pk)
        if cached is not None:
            return cached
    sections = list(
        Section.objects.filter(version=version)
        .order_by("position", "pk")
        .prefetch_related("questions__choices", "questions__rows")
    )
    if version.is_frozen:
        with _FROZEN_LOCK:
            if len(_FROZEN_STRUCTURES) >= _FROZEN_MAX:
                _FROZEN_STRUCTURES.clear()
            _FROZEN_STRUCTURES[version.pk] = sections
    return sections


def shown_questions(section, codes):
    return [question for question in section.questions.all() if is_shown(question, codes)]


def shown_sections(sections, codes):
    """Sections with at least one question shown (the others are skipped)."""
    return [section for section in sections if shown_questions(section, codes)]


def is_answered(question, answers):
    if question.kind == Kind.GRID:
        return all((question.pk, row.pk) in answers for row in question.rows.all())
    return (question.pk, None) in answers


def _radio(question, choices):
    return forms.ChoiceField(
        choices=choices, widget=forms.RadioSelect, required=False, label=question.text
    )


class SectionForm(forms.Form):
    """The questions of one section shown to one response, with its saved answers."""

    def __init__(self, section, response, answers, data=None):
        super().__init__(data=data)
        self.section = section
        self.response = response
        self.answers = answers
        self.questions = shown_questions(section, codes_by_question(answers))
        self.hidden = [q for q in section.questions.all() if q not in self.questions]
        self.known_names = set()
        for question in self.questions:
            self._add_fields(question)

    def _add_fields(self, question):
        answer = self.answers.get((question.pk, None))
        name = field_name(question)
        if question.kind == Kind.GRID:
            choices = [(c.code, c.label) for c in question.choices.all()]
            for row in question.rows.all():
                row_name = field_name(question, row)
                field = _radio(question, choices)
                field.label = row.label
                saved = self.answers.get((question.pk, row.pk))
                field.initial = saved.codes[0] if saved and saved.codes else None
                self.fields[row_name] = field
                self.known_names.add(row_name)
            return
        if question.kind == Kind.MULTIPLE:
            field = forms.MultipleChoiceField(
                choices=question.code_labels(),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=question.text,
            )
            field.initial = answer.codes if answer else []
        elif question.kind in (Kind.SINGLE, Kind.LIKERT, Kind.YES_NO):
            field = _radio(question, question.code_labels())
            field.initial = answer.codes[0] if answer and answer.codes else None
        elif question.kind == Kind.NUMBER:
            field = forms.DecimalField(
                required=False,
                label=question.text,
                min_value=question.min_value,
                max_value=question.max_value,
                max_digits=16,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            )
            field.initial = answer.number.normalize() if answer else None
        elif question.kind == Kind.DATE:
            field = forms.DateField(
                required=False,
                label=question.text,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
            field.initial = answer.date if answer else None
        elif question.kind == Kind.SHORT_TEXT:
            field = forms.CharField(required=False, label=question.text, max_length=300)
            field.initial = answer.text if answer else ""
        else:
            field = forms.CharField(
                required=False,
                label=question.text,
                max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            field.initial = answer.text if answer else ""
        self.fields[name] = field
        self.known_names.add(name)
        if question.allows_other:
            other = forms.CharField(
                required=False, max_length=500, label=_("Please specify the other answer")
            )
            other.initial = answer.other_text if answer else ""
            self.fields[other_name(question)] = other
            self.known_names.add(other_name(question))

    def items(self):
        """(question, [bound fields], other bound field or None) for the template."""
        for question in self.questions:
            if question.kind == Kind.GRID:
                rows = [self[field_name(question, row)] for row in question.rows.all()]
                yield question, rows, None
            else:
                other = self[other_name(question)] if question.allows_other else None
                yield question, [self[field_name(question)]], other

    def clean(self):
        foreign = sorted(
            key
            for key in self.data
            if key.startswith("q") and key[1:2].isdigit() and key not in self.known_names
        )
        hidden_names = {field_name(q) for q in self.hidden}
        foreign = [key for key in foreign if key.split("-")[0] not in hidden_names]
        if foreign:
            raise forms.ValidationError(
                _(
                    "This page does not ask %(fields)s: the form belongs to another questionnaire "
                    "or version. Nothing was saved; reload the page."
                ),
                params={"fields": ", ".join(foreign)},
                code="foreign",
            )
        for question in self.questions:
            if not question.allows_other:
                continue
            picked = self.cleaned_data.get(field_name(question)) or []
            picked = picked if isinstance(picked, list) else [picked]
            text = (self.cleaned_data.get(other_name(question)) or "").strip()
            if OTHER in picked and not text:
                self.add_error(other_name(question), _("Please say what “other” is."))
            if text and OTHER not in picked:
                self.add_error(
                    other_name(question), _("Tick “Other, please specify” to give this answer.")
                )
        return self.cleaned_data

    def enforce_required(self):
        """Add an error to every required question left empty; True if there were none."""
        ok = True
        for question in self.questions:
            if not question.required:
                continue
            if question.kind == Kind.GRID:
                for row in question.rows.all():
                    name = field_name(question, row)
                    if name not in self.errors and not self.cleaned_data.get(name):
                        self.add_error(name, REQUIRED)
                        ok = False
            else:
                name = field_name(question)
                value = self.cleaned_data.get(name)
                if name not in self.errors and value in (None, "", []):
                    self.add_error(name, REQUIRED)
                    ok = False
        return ok

    @transaction.atomic
    def save(self):
        """Write this page's answers (one transaction); empty fields remove their answer."""
        response = type(self.response).objects.select_for_update().get(pk=self.response.pk)
        if response.submitted_at:
            raise AlreadySubmitted
        keep, drop = [], []
        for question in self.questions:
            if question.kind == Kind.GRID:
                for row in question.rows.all():
                    value = self.cleaned_data.get(field_name(question, row))
                    (keep if value else drop).append(
                        (question, row, {"codes": [value]} if value else None)
                    )
                continue
            value = self.cleaned_data.get(field_name(question))
            fields = _answer_fields(question, value, self.cleaned_data.get(other_name(question)))
            (keep if fields else drop).append((question, None, fields))
        for question, row, _fields in drop:
            Answer.objects.filter(response=response, question=question, row=row).delete()
        if self.hidden:
            Answer.objects.filter(response=response, question__in=self.hidden).delete()
        if keep:
            Answer.objects.bulk_create(
                [
                    Answer(response=response, question=question, row=row, **fields)
                    for question, row, fields in keep
                ],
                update_conflicts=True,
                unique_fields=["response", "question", "row"],
                update_fields=["codes", "other_text", "text", "number", "date"],
            )
        type(response).objects.filter(pk=response.pk).update(updated_at=timezone.now())


def _answer_fields(question, value, other_text):
    blank = {"codes": [], "other_text": "", "text": "", "number": None, "date": None}
    if value in (None, "", []):
        return None
    if question.kind == Kind.MULTIPLE:
        return {**blank, "codes": list(value), "other_text": (other_text or "").strip()}
    if question.kind in (Kind.SINGLE, Kind.LIKERT, Kind.YES_NO):
        return {**blank, "codes": [value], "other_text": (other_text or "").strip()}
    if question.kind == Kind.NUMBER:
        return {**blank, "number": Decimal(value)}
    if question.kind == Kind.DATE:
        return {**blank, "date": value}
    return {**blank, "text": value.strip()}


def missing_required(sections, answers):
    """[(section, question)] required, shown and not answered: what blocks a submission."""
    codes = codes_by_question(answers)
    return [
        (section, question)
        for section in sections
        for question in shown_questions(section, codes)
        if question.required and not is_answered(question, answers)
    ]


@transaction.atomic
def submit(response):
    """Submit once: refuses a second time and while required answers are missing.

    Returns the list of what is missing (empty when submitted). Answers to questions that the
    final answers hide are removed, so the results count only questions actually asked.
    """
    response = type(response).objects.select_for_update().get(pk=response.pk)
    if response.submitted_at:
        raise AlreadySubmitted
    sections = version_structure(response.version)
    answers = load_answers(response)
    missing = missing_required(sections, answers)
    if missing:
        return missing
    codes = codes_by_question(answers)
    hidden = [
        question.pk
        for section in sections
        for question in section.questions.all()
        if not is_shown(question, codes)
    ]
    Answer.objects.filter(response=response, question__in=hidden).delete()
    response.submitted_at = timezone.now()
    response.save(update_fields=["submitted_at"])
    return []


def review(sections, answers):
    """[(section, [(question, display text or None, missing?)])] for the review page."""
    codes = codes_by_question(answers)
    pages = []
    for section in shown_sections(sections, codes):
        items = []
        for question in shown_questions(section, codes):
            if question.kind == Kind.GRID:
                parts = []
                for row in question.rows.all():
                    answer = answers.get((question.pk, row.pk))
                    if answer:
                        answer.question = question
                        parts.append(f"{row.label}: {answer.display()}")
                text = "\n".join(parts) or None
            else:
                answer = answers.get((question.pk, None))
                if answer:
                    answer.question = question
                text = answer.display() if answer else None
            missing = question.required and not is_answered(question, answers)
            items.append((question, text, missing))
        pages.append((section, items))
    return pages
