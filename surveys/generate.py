"""Generated answers for demonstrations, tests and benchmarks: valid for the version (choices,
bounds, skip logic), submitted, written in bulk."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import answering
from .models import OTHER, Answer, Invitation, Kind, Response, hash_token


def _answer(question, rng):
    """Field values of a random valid answer, or None to leave it unanswered."""
    if not question.required and rng.random() < 0.15:
        return None
    if question.kind == Kind.MULTIPLE:
        codes = [c for c in question.codes() if c != OTHER]
        picked = rng.sample(codes, rng.randint(1, min(3, len(codes))))
        if question.allows_other and rng.random() < 0.1:
            return {"codes": [*picked, OTHER], "other_text": "Shared training days"}
        return {"codes": picked}
    if question.kind in (Kind.SINGLE, Kind.LIKERT, Kind.YES_NO):
        return {"codes": [rng.choice(question.codes())]}
    if question.kind == Kind.NUMBER:
        low = int(question.min_value or 0)
        high = int(question.max_value if question.max_value is not None else 100)
        return {"number": Decimal(rng.randint(low, min(high, low + 200)))}
    if question.kind == Kind.DATE:
        return {"date": date(2027, 1, 1) + timedelta(days=rng.randint(0, 365))}
    return {"text": rng.choice(TEXTS)}


TEXTS = [
    "Clients value finding several services under one roof.",
    "Common hours would help; today each partner opens at a different time.",
    "Staff on site did not know what the agreement allowed.",
    "We reuse the mass layoff protocol agreed with the federal office.",
]


@transaction.atomic
def generate_responses(version, organizations, *, per_organization=1, seed=0, submitted=True):
    """Create an invitation and a submitted response per organization (and repeat); returns
    the responses."""
    rng = random.Random(seed)  # noqa: S311 (demonstration answers, not secrets)
    sections = answering.version_structure(version)
    now = timezone.now()
    invitations = []
    for organization in organizations:
        for i in range(per_organization):
            invitations.append(
                Invitation(
                    version=version,
                    organization=organization,
                    contact_name=f"Contact {i + 1}",
                    email=f"contact{i + 1}.{seed}@{organization.code}.example",
                    token_hash=hash_token(f"generated-{version.pk}-{organization.pk}-{i}-{seed}"),
                    expires_at=now + timedelta(days=30),
                    sent_at=now,
                )
            )
    invitations = Invitation.objects.bulk_create(invitations)
    responses = Response.objects.bulk_create(
        Response(
            invitation=invitation,
            version=version,
            organization=invitation.organization,
            submitted_at=now if submitted else None,
        )
        for invitation in invitations
    )
    answers = []
    for response in responses:
        codes = {}
        for section in sections:
            for question in section.questions.all():
                if not answering.is_shown(question, codes):
                    continue
                if question.kind == Kind.GRID:
                    scale = [c.code for c in question.choices.all()]
                    for row in question.rows.all():
                        answers.append(
                            Answer(
                                response=response,
                                question=question,
                                row=row,
                                codes=[rng.choice(scale)],
                            )
                        )
                    continue
                fields = _answer(question, rng)
                if fields is None:
                    continue
                codes[question.pk] = set(fields.get("codes", []))
                answers.append(Answer(response=response, question=question, **fields))
    Answer.objects.bulk_create(answers, batch_size=5000)
    return responses
