"""The partnership questionnaire at scale (issue 16): 2,000 submitted responses to a
60-question version (6 sections × 10 questions of every kind, 6 grids of 5 rows: about 170,000
answers), generated once in the benchmark database and reused.

- results page (analyst, no breakdown and by jurisdiction): in process, Django's test client;
  reference: the results' own aggregate SQL alone (the floor under the page);
- XLSX export (one row per response, and the codebook sheet) in a fresh process, with its
  peak RSS; reference: fetching every answer row with psycopg (the data the file holds);
- saving a page of answers (10 questions, one a grid) with 20 respondents at once: gunicorn
  as in production (2 workers × 10 threads, pinned to core 0), 20 keep-alive clients (core 1),
  each with its own private link. The goal's figure: each respondent saves every 2 s on
  average (Poisson arrivals, open loop, latency from the due time: no coordinated omission),
  15 s. Then a stress run: the same 20 with no pause (closed loop), which measures capacity.
  Reference: GET /healthz through the same server at the same concurrency (the HTTP stack's
  floor).
"""

import http.client
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from benchmarks.common import analyst_client, gunicorn, ms, p50, p95, sample

CODE = "benchmark-60"
RESPONSES = 2000
CLIENTS = 20
DURATION = 15.0
INTERVAL = 2.0  # seconds between two saves of one respondent, on average (open loop)
KINDS = [
    "single", "multiple", "likert", "yes_no", "number", "date", "short_text", "long_text",
    "grid", "single",
]  # fmt: skip


def build_version():
    """The 60-question version (launched) and its 2,000 responses, if not there yet."""
    from servicepoints.models import Organization
    from surveys.generate import generate_responses
    from surveys.models import (
        Choice,
        GridRow,
        Question,
        Questionnaire,
        QuestionnaireVersion,
        Section,
    )

    version = QuestionnaireVersion.objects.filter(questionnaire__code=CODE).first()
    if version and version.responses.count() >= RESPONSES:
        return version
    Questionnaire.objects.filter(code=CODE).delete()
    questionnaire = Questionnaire.objects.create(
        code=CODE, title_en="Benchmark questionnaire", title_fr="Questionnaire d’essai"
    )
    version = QuestionnaireVersion.objects.create(questionnaire=questionnaire, number=1)
    for s in range(6):
        section = Section.objects.create(
            version=version,
            position=s + 1,
            title_en=f"Section {s + 1}",
            title_fr=f"Section {s + 1}",
        )
        for i, kind in enumerate(KINDS):
            question = Question.objects.create(
                section=section, position=i + 1, code=f"s{s + 1}q{i + 1}", kind=kind,
                text_en=f"Question {i + 1} of section {s + 1}",
                text_fr=f"Question {i + 1} de la section {s + 1}",
                required=kind not in ("date", "long_text"),
                allows_other=kind == "multiple",
                min_value=0 if kind == "number" else None,
                max_value=1000 if kind == "number" else None,
            )  # fmt: skip
            scale = {"single": 5, "multiple": 8, "likert": 5, "grid": 5}.get(kind, 0)
            Choice.objects.bulk_create(
                Choice(question=question, position=c, code=f"c{c}", label_en=f"Choice {c}",
                       label_fr=f"Choix {c}")
                for c in range(1, scale + 1)
            )  # fmt: skip
            if kind == "grid":
                GridRow.objects.bulk_create(
                    GridRow(question=question, position=r, code=f"r{r}", label_en=f"Row {r}",
                            label_fr=f"Ligne {r}")
                    for r in range(1, 6)
                )  # fmt: skip
    QuestionnaireVersion.objects.filter(pk=version.pk).update(status="launched")
    version.refresh_from_db()
    organizations = list(Organization.objects.order_by("pk"))
    per = -(-RESPONSES // len(organizations))
    generate_responses(version, organizations, per_organization=per, seed=16)
    extra = version.responses.order_by("-pk")[: version.responses.count() - RESPONSES]
    from surveys.models import Response

    Response.objects.filter(pk__in=[r.pk for r in extra]).delete()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE surveys_answer")
        cursor.execute("ANALYZE surveys_response")
    return version


def _export_in_a_fresh_process(version_pk):
    root = Path(__file__).resolve().parents[1]
    code = (
        "import os, resource, time, django\n"
        "django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from surveys import exports\n"
        "from surveys.models import QuestionnaireVersion\n"
        f"version = QuestionnaireVersion.objects.get(pk={version_pk})\n"
        "user = get_user_model().objects.get(username='bench-analyst')\n"
        "start = time.perf_counter()\n"
        "content, _type, _name = exports.export(version, user, 'xlsx')\n"
        "taken = time.perf_counter() - start\n"
        "rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(taken, rss, len(content))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env={**os.environ}, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    taken, rss, size = result.stdout.split()
    return float(taken), float(rss), int(size)


def _fetch_all_answers(version_pk):
    import psycopg
    from django.db import connection

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], dbname=settings["NAME"], user=settings["USER"]
    ) as database:
        start = time.perf_counter()
        rows = database.execute(
            "SELECT a.* FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
            "WHERE r.version_id = %s ORDER BY a.response_id",
            [version_pk],
        ).fetchall()
        return time.perf_counter() - start, len(rows)


def _respondents(version, count):
    """`count` fresh invitations to the version (unsubmitted): their raw tokens."""
    from servicepoints.models import Organization
    from surveys.models import Invitation

    Invitation.objects.filter(version=version, email__startswith="load-").delete()
    organization = Organization.objects.order_by("pk").first()
    return [
        Invitation.create(
            version=version, organization=organization, contact_name=f"Load {i}",
            email=f"load-{i}@bench.example",
        )[1]
        for i in range(count)
    ]  # fmt: skip


def _page_data(version):
    """A valid POST of section 1 (10 questions, one a grid), as a respondent sends it."""
    section = version.sections.order_by("position").first()
    data = []
    for question in section.questions.prefetch_related("choices", "rows"):
        name = f"q{question.pk}"
        choices = [c.code for c in question.choices.all()]
        if question.kind == "grid":
            data += [(f"{name}-r{row.pk}", choices[2]) for row in question.rows.all()]
        elif question.kind == "multiple":
            data += [(name, choices[0]), (name, choices[3])]
        elif question.kind in ("single", "likert"):
            data.append((name, choices[1]))
        elif question.kind == "yes_no":
            data.append((name, "yes"))
        elif question.kind == "number":
            data.append((name, "42"))
        elif question.kind == "date":
            data.append((name, "2027-03-01"))
        else:
            data.append((name, "Shared counters work well."))
    return data + [("action", "later")]


def _save_work(base, tokens, page_data, statuses, lock):
    host = urlsplit(base)

    def factory(i):
        state = {"connection": http.client.HTTPConnection(host.hostname, host.port, timeout=30)}
        path = f"/en/questionnaire/{tokens[i]}/section/1/"
        state["connection"].request("GET", path)
        response = state["connection"].getresponse()
        page = response.read().decode()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        cookie = response.getheader("Set-Cookie").split(";")[0]
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode([("csrfmiddlewaretoken", csrf), *page_data])
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}

        def post():
            state["connection"].request("POST", path, body=body, headers=headers)
            answer = state["connection"].getresponse()
            answer.read()
            return answer.status

        def work():
            try:
                status = post()
            except (OSError, http.client.HTTPException):
                # gunicorn closes keep-alive connections idle for 2 s: reconnect, as a
                # browser does (the time it takes counts in the latency).
                state["connection"].close()
                state["connection"] = http.client.HTTPConnection(
                    host.hostname, host.port, timeout=30
                )
                status = post()
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            return status == 302

        return work, lambda: state["connection"].close()

    return factory


def open_loop(work_factory, count, interval, duration, seed=16):
    """`count` respondents, each saving at random moments (exponential gaps of mean
    `interval` seconds: Poisson arrivals), for `duration` seconds. A latency is measured from
    the moment the request was due, not when it was sent, so a slow answer that delays the
    next request counts against it (no coordinated omission). Returns (latencies, errors)."""
    import random

    results = [None] * count
    start_line = threading.Barrier(count + 1)

    def respondent(i):
        rng = random.Random(seed + i)  # noqa: S311 (a reproducible schedule, not a secret)
        work, close = work_factory(i)
        latencies, errors = [], 0
        start_line.wait()
        due = time.perf_counter() + rng.expovariate(1 / interval)
        deadline = time.perf_counter() + duration
        try:
            while due < deadline:
                pause = due - time.perf_counter()
                if pause > 0:
                    time.sleep(pause)
                ok = work()
                latencies.append(time.perf_counter() - due)
                errors += not ok
                due += rng.expovariate(1 / interval)
        finally:
            close()
        results[i] = (latencies, errors)

    threads = [threading.Thread(target=respondent, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    start_line.wait()
    for thread in threads:
        thread.join()
    return [t for r in results for t in r[0]], sum(r[1] for r in results)


def _collectstatic(env):
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=root,
        env={**os.environ, "DJANGO_DEBUG": "0", **env},
        check=True,
        capture_output=True,
    )


def _healthz_work(base):
    host = urlsplit(base)

    def factory(i):
        connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)

        def work():
            connection.request("GET", "/healthz")
            answer = connection.getresponse()
            answer.read()
            return answer.status == 200

        return work, connection.close

    return factory


def run():
    from django.db import connection

    from benchmarks.load import closed_loop
    from surveys import results

    client, user = analyst_client()
    version = build_version()
    from surveys.models import Answer

    answers = Answer.objects.filter(response__version=version).count()
    url = f"/en/surveys/{version.pk}/results/"
    assert client.get(url).status_code == 200
    page_times = sample(lambda: client.get(url), repeat=7, warmup=1)
    by_times = sample(lambda: client.get(f"{url}?by=jurisdiction"), repeat=5, warmup=1)
    statements = [
        template.format(group="NULL::text", joins="")
        for template in (results._TOTALS_SQL, results._CODES_SQL)
    ]

    def raw():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql, {"version": version.pk})
                cursor.fetchall()

    raw_times = sample(raw, repeat=7, warmup=1)

    export_taken, export_rss, export_size = _export_in_a_fresh_process(version.pk)
    fetch_taken, fetched = _fetch_all_answers(version.pk)

    static_root = tempfile.TemporaryDirectory(prefix="snm-bench-static-")
    tokens = _respondents(version, CLIENTS)
    page_data = _page_data(version)
    statuses, lock = {}, threading.Lock()
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        if affinity and len(affinity) > 1:
            os.sched_setaffinity(0, {sorted(affinity)[1]})
        # Respondents need no session of this process: the server gets a key of its own (it
        # refuses the development key with DEBUG off), and static files collected for it
        # (pages name them through the manifest).
        env = {"SECRET_KEY": secrets.token_urlsafe(50), "STATIC_ROOT": static_root.name}
        _collectstatic(env)
        with gunicorn(workers=2, threads=10, cpu=0, env=env) as base:
            closed_loop(_healthz_work(base), CLIENTS, 1.0)  # warm-up
            paced, paced_errors = open_loop(
                _save_work(base, tokens, page_data, statuses, lock), CLIENTS, INTERVAL, DURATION
            )
            saves, save_errors, save_elapsed = closed_loop(
                _save_work(base, tokens, page_data, statuses, lock), CLIENTS, DURATION
            )
            floor, _floor_errors, _floor_elapsed = closed_loop(
                _healthz_work(base), CLIENTS, DURATION / 3
            )
    finally:
        if affinity and len(affinity) > 1:
            os.sched_setaffinity(0, affinity)
        static_root.cleanup()

    label = f"questionnaire: {RESPONSES:,} responses × 60 questions ({answers:,} answers)"
    return [
        (
            label,
            "results page, analyst, no breakdown, p50 of 7 (in process)",
            ms(p50(page_times)),
            f"its two aggregate statements alone {ms(p50(raw_times))}",
            f"{p50(page_times) / p50(raw_times):.1f}×",
            "< 500 ms",
        ),
        (
            label,
            "results page by jurisdiction, p50 of 5",
            ms(p50(by_times)),
            f"its two aggregate statements alone {ms(p50(raw_times))}",
            f"{p50(by_times) / p50(raw_times):.1f}×",
            "< 500 ms",
        ),
        (
            label,
            f"XLSX export (responses and codebook sheets, {export_size / 1e6:.1f} MB), "
            "fresh process",
            f"{export_taken:.2f} s, peak RSS {export_rss:.0f} MB",
            f"fetching the {fetched:,} answer rows with psycopg {fetch_taken:.2f} s",
            f"{export_taken / fetch_taken:.1f}×",
            "< 5 s, < 500 MB",
        ),
        (
            label,
            f"saving a page (10 questions, a grid): {CLIENTS} respondents at once, each saving "
            f"every {INTERVAL:.0f} s on average (Poisson, {CLIENTS / INTERVAL:.0f} saves/s), "
            f"{DURATION:.0f} s open loop from core 1, latency from the due time; "
            f"{len(paced)} saves, errors {paced_errors}",
            f"p50 {ms(p50(paced))} / p95 {ms(p95(paced))}",
            f"GET /healthz same server p50 {ms(p50(floor))} / p95 {ms(p95(floor))}",
            f"{p95(paced) / p95(floor):.1f}×",
            "p95 < 100 ms",
        ),
        (
            label,
            f"stress: saving a page, {CLIENTS} respondents at once with no pause, "
            f"{DURATION:.0f} s closed loop, gunicorn 2 × 10 threads (core 0); "
            f"{len(saves) / save_elapsed:.0f} saves/s, errors {save_errors} {statuses}",
            f"p50 {ms(p50(saves))} / p95 {ms(p95(saves))}",
            f"GET /healthz same server p50 {ms(p50(floor))} / p95 {ms(p95(floor))}",
            f"{p95(saves) / p95(floor):.1f}×",
            "— (capacity: saves/s)",
        ),
    ]
