"""Where to put the next sites: maximal covering and the minimum number of sites (issue 13).

`suggest_sites(params, k=10, within_km=50, candidates="both")` keeps the existing network
(the points the map's filters select, counted as `coverage.py` counts them: open, in person)
and looks for the k candidates that cover the most people it leaves farther than
`within_km`. `minimum_sites` is the fewest candidates that bring the share covered up to a
standard's target (nationally, or in every province and territory). Both are exact
mixed-integer programs solved by HiGHS (`solver.py`); only the matrix comes from here, in SQL:

1. the network into `coverage_points` (coverage.py: positions on the unit sphere, n-D GiST);
2. the demand areas (the finest census level with boundaries and population, population at
   `ST_PointOnSurface`) with, for each, whether a network point is within the distance:
   `ST_3DDWithin` on the unit-sphere positions with the chord of the distance (2 sin(d / 2R):
   the chord grows with the arc, so this is exactly "within d on the sphere", as coverage.py
   measures, and the n-D index answers it);
3. the candidates (populated places, points of organizations outside the network — for
   co-location — or both) into `suggest_candidates` with the same index;
4. the pairs (uncovered area, candidate within the distance) by the same index join, grouped
   by province and by the set of candidates reaching each area: areas reached by the same
   candidates are one variable of the model.

Straight-line distances on the sphere: a standard measured by road is harder to meet.
"""

import time
from dataclasses import asdict, dataclass, field

import numpy as np
from django.db import connection, transaction
from django.db.models import F, IntegerField, Value
from django.db.models.functions import Coalesce, NullIf

from servicepoints.i18n import prefers_french
from servicepoints.models import PopulatedPlace, ServicePoint, Status

from . import solver
from .coverage import (
    METHOD,
    NOT_IN_PERSON,
    POPULATION,
    RADIUS,
    _points_table,
    demand_level,
    province_name,
    selected_points,
    share_of,
    unit_vector,
)

PLACES, POINTS, BOTH = "places", "points", "both"
CANDIDATE_MODES = (PLACES, POINTS, BOTH)
# What a candidate query selects, in this order (aliases, so that the order is the SQL's).
COLUMNS = ("c_id", "c_label", "c_code", "c_population", "c_location")
CAST_COLUMNS = "q.c_id::bigint, q.c_label::text, q.c_code::text, q.c_population::int, q.c_location"


class SuggestionError(ValueError):
    """The question cannot be answered as asked (no demand areas, no candidates)."""


@dataclass
class Candidate:
    """A place where a site could go: a populated place or another organization's point."""

    kind: str  # "place" or "point"
    id: int
    name: str
    province: str
    population: int | None
    lon: float
    lat: float


@dataclass
class Pick:
    rank: int
    candidate: Candidate
    gain: float  # people newly covered, given the picks before it
    covered_after: float
    share_after: float | None


@dataclass
class Share:
    """Population and the share covered, before and after the picks, of Canada or a province."""

    code: str
    name: str
    population: float
    covered_before: float
    covered_after: float
    share_before: float | None = None
    share_after: float | None = None

    def __post_init__(self):
        self.share_before = share_of(self.covered_before, self.population)
        self.share_after = share_of(self.covered_after, self.population)


@dataclass
class Answer:
    """One model's answer (maximal covering, or the minimum number of sites)."""

    question: str  # "maximal_covering" or "minimum_sites"
    picks: list
    total_gain: float
    status: str
    solver: str
    solve_seconds: float
    optimality_gap: float | None
    bound: float | None
    lp_bound: float | None
    greedy_value: float | None
    greedy_seconds: float | None
    national: Share | None = None
    provinces: list = field(default_factory=list)
    k: int | None = None
    target_share: float | None = None
    per_province: bool = False
    reachable: bool = True
    best_share_reachable: float | None = None
    unreachable_provinces: list = field(default_factory=list)
    sites: int | None = None


@dataclass
class Setting:
    """What was asked and the matrix it made: everything both answers share."""

    within_km: float
    method: str
    level: str | None
    year: int | None
    network_points: int
    candidates_mode: str
    min_population: int | None
    candidates: int = 0
    candidates_reaching: int = 0
    demand_areas: int = 0
    uncovered_areas: int = 0
    reachable_population: float = 0
    pairs: int = 0
    classes: int = 0
    timings: dict = field(default_factory=dict)


@dataclass
class Suggestion:
    setting: Setting
    maximal_covering: Answer | None = None
    minimum_sites: Answer | None = None
    standard: dict | None = None

    def as_dict(self):
        return asdict(self)


def candidate_queries(mode, network, *, min_population=None, user=None):
    """[(kind, sql, params)] selecting COLUMNS (id, name, province code, population, location) of
    the candidates: populated places (not sections, with a population of at least
    `min_population` if given) and/or the open in-person points of organizations that have
    no point in `network` (a queryset), among those `user` may read."""
    french = prefers_french()
    queries = []
    if mode in (PLACES, BOTH):
        places = PopulatedPlace.objects.filter(is_section=False)
        if min_population:
            places = places.filter(population__gte=min_population)
        name = Coalesce(NullIf("name_fr", Value("")), "name") if french else F("name")
        places = places.annotate(
            c_id=F("id"), c_label=name, c_code=F("province__code"), c_population=F("population"),
            c_location=F("location"),
        )  # fmt: skip
        sql, params = places.values_list(*COLUMNS).query.sql_with_params()
        queries.append(("place", sql, params))
    if mode in (POINTS, BOTH):
        points = ServicePoint.objects.visible_to(user) if user else ServicePoint.objects.all()
        points = points.filter(status=Status.OPEN).exclude(kind__in=NOT_IN_PERSON)
        points = points.exclude(organization__in=network.values("organization"))
        name = Coalesce(NullIf("name_fr", Value("")), "name_en") if french else F("name_en")
        points = points.annotate(
            c_id=F("id"), c_label=name, c_code=F("province__code"),
            c_population=Value(None, output_field=IntegerField()), c_location=F("location"),
        )  # fmt: skip
        sql, params = points.values_list(*COLUMNS).query.sql_with_params()
        queries.append(("point", sql, params))
    return queries


def build(params, *, within_km=50, candidates=BOTH, min_population=None, level=None,
          year=None, user=None, queries=None, progress=None):  # fmt: skip
    """(Setting, Problem, totals, candidates) for the points `params` selects; `queries`
    replaces `candidate_queries` (benchmarks). Runs in the caller's transaction."""
    progress = progress or (lambda stage, seconds: None)
    found = demand_level(level, year)
    if found is None:
        raise SuggestionError("no_demand")
    level_id, level_code, area_year, value_year = found
    network = selected_points(params)
    setting = Setting(within_km, METHOD, level_code, area_year, 0, candidates, min_population)
    chord = 2 * np.sin(within_km * 1000 / (2 * RADIUS))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        setting.network_points = _points_table(cursor, network)
        cursor.execute("DROP TABLE IF EXISTS suggest_demand")
        cursor.execute(
            f"""CREATE TEMP TABLE suggest_demand ON COMMIT DROP AS
               SELECT d.*, EXISTS (SELECT FROM coverage_points p
                                   WHERE ST_3DDWithin(p.place, d.place, %s)) AS covered
               FROM (SELECT a.id, a.province_code AS province, v.value AS population,
                            {unit_vector("ST_PointOnSurface(a.geometry)")} AS place
                     FROM layers_area a
                     JOIN layers_indicatorvalue v ON v.area_id = a.id AND v.year = %s
                      AND v.value IS NOT NULL
                      AND v.indicator_id = (SELECT id FROM layers_indicator WHERE code = %s)
                     WHERE a.level_id = %s AND a.year = %s AND a.geometry IS NOT NULL) d""",  # noqa: S608
            [chord, value_year, POPULATION, level_id, area_year],
        )
        setting.demand_areas = cursor.rowcount
        cursor.execute(
            "SELECT coalesce(province, ''), sum(population),"
            " coalesce(sum(population) FILTER (WHERE covered), 0),"
            " count(*) FILTER (WHERE NOT covered AND population > 0)"
            " FROM suggest_demand GROUP BY 1 ORDER BY 1"
        )
        rows = cursor.fetchall()
        totals = {row[0]: (float(row[1]), float(row[2])) for row in rows}
        setting.uncovered_areas = sum(row[3] for row in rows)
        cursor.execute("CREATE INDEX ON suggest_demand USING gist (place gist_geometry_ops_nd)"
                       " WHERE NOT covered AND population > 0")  # fmt: skip
        cursor.execute("ANALYZE suggest_demand")
        setting.timings["demand_sql"] = _lap(started, progress, "demand")
        started = time.perf_counter()
        chosen = queries if queries is not None else candidate_queries(
            candidates, network, min_population=min_population, user=user
        )  # fmt: skip
        union = " UNION ALL ".join(
            f"SELECT %s::text AS kind, {CAST_COLUMNS} FROM ({sql}) q"  # noqa: S608 (Django's SQL)
            for _kind, sql, _params in chosen
        )
        union_params = [value for kind, _sql, p in chosen for value in (kind, *p)]
        cursor.execute("DROP TABLE IF EXISTS suggest_candidates")
        cursor.execute(
            f"""CREATE TEMP TABLE suggest_candidates ON COMMIT DROP AS
               SELECT (row_number() OVER (ORDER BY c.kind, c.id) - 1)::int AS n, c.kind,
                      c.id, c.label, c.code, c.population, ST_X(c.location) AS lon,
                      ST_Y(c.location) AS lat, {unit_vector("c.location")} AS place
               FROM ({union}) c(kind, id, label, code, population, location)""",  # noqa: S608
            union_params,
        )
        setting.candidates = cursor.rowcount
        if not setting.candidates:
            raise SuggestionError("no_candidates")
        cursor.execute("ANALYZE suggest_candidates")
        cursor.execute(
            """WITH pairs AS (
                   SELECT d.id, d.province, d.population, c.n
                   FROM suggest_demand d JOIN suggest_candidates c
                     ON ST_3DDWithin(c.place, d.place, %s)
                   WHERE NOT d.covered AND d.population > 0),
               reach AS (
                   SELECT province, population, array_agg(n ORDER BY n) AS reach
                   FROM pairs GROUP BY id, province, population)
               SELECT coalesce(province, ''), reach, sum(population), count(*)
               FROM reach GROUP BY province, reach""",
            [chord],
        )
        rows = cursor.fetchall()
        setting.timings["pairs_sql"] = _lap(started, progress, "pairs")
        cursor.execute(
            "SELECT kind, id, label, coalesce(code, ''), population, lon, lat"
            " FROM suggest_candidates ORDER BY n"
        )
        listed = [Candidate(*row) for row in cursor.fetchall()]
    provinces = sorted(totals)
    index = {code: number for number, code in enumerate(provinces)}
    sizes = np.array([len(row[1]) for row in rows], dtype=np.int64)
    problem = solver.Problem(
        weights=np.array([float(row[2]) for row in rows]),
        province=np.array([index[row[0]] for row in rows], dtype=np.int64),
        pair_class=np.repeat(np.arange(len(rows), dtype=np.int64), sizes),
        pair_candidate=np.fromiter(
            (n for row in rows for n in row[1]), dtype=np.int64, count=int(sizes.sum())
        ),
        candidates=setting.candidates,
        provinces=provinces,
    )
    setting.pairs = int(sizes.sum())
    setting.classes = len(rows)
    setting.candidates_reaching = len(np.unique(problem.pair_candidate))
    setting.reachable_population = float(problem.weights.sum())
    return setting, problem, totals, listed


def suggest_sites(params, *, k=10, within_km=50, candidates=BOTH, min_population=None,
                  minimum=None, per_province=False, level=None, year=None, user=None,
                  time_limit=60, queries=None, progress=None):  # fmt: skip
    """The Suggestion for the points `params` selects: the k sites covering the most people
    (if `k`), and with `minimum` (a target share, %) the fewest reaching it."""
    progress = progress or (lambda stage, seconds: None)
    with transaction.atomic():
        setting, problem, totals, listed = build(
            params, within_km=within_km, candidates=candidates, min_population=min_population,
            level=level, year=year, user=user, queries=queries, progress=progress,
        )  # fmt: skip
    result = Suggestion(setting)
    if k:
        started = time.perf_counter()
        solution = solver.maximal_covering(problem, k, time_limit=time_limit)
        setting.timings["maximal_covering"] = _lap(started, progress, "maximal_covering")
        result.maximal_covering = _answer("maximal_covering", solution, problem, totals, listed)
        result.maximal_covering.k = k
    if minimum is not None:
        started = time.perf_counter()
        result.minimum_sites = _minimum(problem, totals, listed, minimum, per_province,
                                        time_limit)  # fmt: skip
        setting.timings["minimum_sites"] = _lap(started, progress, "minimum_sites")
    return result


def _minimum(problem, totals, listed, target, per_province, time_limit):
    provinces = problem.provinces
    reachable = np.bincount(problem.province, weights=problem.weights, minlength=len(provinces))
    if per_province:
        need = {
            number: target / 100 * totals[code][0] - totals[code][1]
            for number, code in enumerate(provinces)
            if totals[code][0] > 0
        }
        short = [
            provinces[number]
            for number, people in need.items()
            if people > 1e-9 and reachable[number] < people * (1 - 1e-9)
        ]
    else:
        population = sum(total for total, _covered in totals.values())
        need = {None: target / 100 * population - sum(c for _t, c in totals.values())}
        short = [] if reachable.sum() >= need[None] * (1 - 1e-9) else ["CA"]
    if short:
        solution = solver.Solution([], [], 0.0, "infeasible", solver._version(), 0.0, None,
                                   None, None, None, None)  # fmt: skip
        every = list(range(problem.candidates))
        answer = _answer("minimum_sites", solution, problem, totals, listed, every=every)
        answer.reachable = False
        answer.unreachable_provinces = [_province_name(code) for code in short if code != "CA"]
        answer.best_share_reachable = answer.national.share_after
    else:
        solution = solver.minimum_sites(problem, need, time_limit=time_limit)
        answer = _answer("minimum_sites", solution, problem, totals, listed)
        answer.sites = len(solution.picks)
        answer.reachable = solution.status != "infeasible"
    answer.target_share, answer.per_province = target, per_province
    return answer


def _answer(question, solution, problem, totals, listed, every=None):
    """An Answer with each pick's candidate and share after it, and the shares by province
    before and after (`every`: all candidates open, for the best share reachable)."""
    population = sum(total for total, _covered in totals.values())
    before = sum(covered for _total, covered in totals.values())
    picks, covered = [], before
    for rank, (number, gain) in enumerate(zip(solution.picks, solution.gains, strict=True), 1):
        covered += gain
        picks.append(Pick(rank, listed[number], gain, covered, share_of(covered, population)))
    opened = solution.picks if every is None else every
    gained = problem.covered_by(opened) * problem.weights if opened else problem.weights * 0
    by_province = np.bincount(problem.province, weights=gained, minlength=len(problem.provinces))
    provinces = [
        Share(
            code,
            _province_name(code)["name"],
            totals[code][0],
            totals[code][1],
            totals[code][1] + float(by_province[number]),
        )  # fmt: skip
        for number, code in enumerate(problem.provinces)
    ]
    national = Share("CA", "Canada", population, before, before + float(gained.sum()))
    return Answer(
        question=question, picks=picks, total_gain=float(sum(solution.gains)),
        status=solution.status, solver=solution.solver, solve_seconds=solution.seconds,
        optimality_gap=solution.gap, bound=solution.bound, lp_bound=solution.lp_bound,
        greedy_value=solution.greedy_value, greedy_seconds=solution.greedy_seconds,
        national=national, provinces=provinces,
    )  # fmt: skip


def _province_name(code):
    return {"code": code, "name": province_name(code)}


def _lap(started, progress, stage):
    seconds = round(time.perf_counter() - started, 3)
    progress(stage, seconds)
    return seconds
