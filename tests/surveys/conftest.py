"""Fixtures for the questionnaires: the seeded partnership questionnaire, invitations with
their raw tokens, and answering helpers that go through the real pages."""

import pytest
from django.core.cache import cache

from servicepoints.models import Jurisdiction, Organization
from surveys.models import Invitation, Question, QuestionnaireVersion
from surveys.seed import QUESTIONNAIRE_CODE


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the token rate limiter counts in the cache
    yield
    cache.clear()


@pytest.fixture
def partnership_version():
    """Version 1 of the seeded questionnaire (launched, from migration 0002)."""
    return QuestionnaireVersion.objects.get(questionnaire__code=QUESTIONNAIRE_CODE, number=1)


@pytest.fixture
def question(partnership_version):
    def get(code):
        return Question.objects.get(section__version=partnership_version, code=code)

    return get


@pytest.fixture
def invite():
    """An invitation and its raw token: invite(version, organization, email=…)."""

    def make(version, organization, email=None, **extra):
        return Invitation.create(
            version=version,
            organization=organization,
            contact_name=extra.pop("contact_name", "Alex Tremblay"),
            email=email or f"contact@{organization.code}.example",
            **extra,
        )

    return make


@pytest.fixture
def make_organization():
    def make(code, jurisdiction_code):
        return Organization.objects.create(
            code=code,
            name_en=code.replace("-", " ").title(),
            name_fr=code.replace("-", " ").title(),
            jurisdiction=Jurisdiction.objects.get(code=jurisdiction_code),
        )

    return make
