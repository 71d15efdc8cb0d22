"""Exact maximal covering and partial set covering on a sparse coverage matrix, with HiGHS.

The problem comes from SQL (`suggest.py`) as *classes* of demand: uncovered areas grouped by
province and by the exact set of candidates that reach them (areas with the same set are
interchangeable), each class with its population, plus the pairs (class, candidate). Both
models are mixed-integer programs passed to HiGHS (`highspy`) as numpy arrays, row-wise, with
no Python loop over the pairs:

- x_j ∈ {0, 1} opens candidate j; y_i ∈ [0, 1] is "class i is covered"; for each class
  y_i ≤ Σ_{j reaches i} x_j. y may stay continuous: for integer x the best y is 0 or 1.
- maximal covering (MCLP): maximise Σ w_i y_i subject to Σ x_j ≤ k;
- minimum number of sites (partial set covering): minimise Σ x_j subject to Σ w_i y_i ≥ the
  population still needed, nationally, or in each province that is below the target.

The greedy solution (each step the candidate adding the most) is computed first, in numpy
(`np.bincount` over the pairs), and given to HiGHS as its starting solution, so a run stopped
by the time limit is never worse than greedy. Only if HiGHS returns no solution at all does
the greedy one stand as a stated fallback. The LP relaxation is solved as well: its value is
an upper bound (for MCLP) that says how far from it any answer can be.

PySAL's spopt (`MCLP.from_cost_matrix`, `LSCP`) is not used: it takes a dense demand ×
candidate cost matrix (57,000 × 5,000 floats is 2.3 GB, twice) and builds each constraint
with a Python loop over every pair through PuLP.
"""

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field

import numpy as np

SOLVER = "HiGHS"


@dataclass
class Problem:
    """Uncovered demand in classes; `pair_class[p]` is reached by `pair_candidate[p]`."""

    weights: np.ndarray  # population of each class
    province: np.ndarray  # index into `provinces` of each class
    pair_class: np.ndarray
    pair_candidate: np.ndarray
    candidates: int
    provinces: list = field(default_factory=list)

    @property
    def classes(self):
        return len(self.weights)

    def gains(self, uncovered):
        """Population each candidate would add, given each class's population still uncovered."""
        return np.bincount(
            self.pair_candidate, weights=uncovered[self.pair_class], minlength=self.candidates
        )

    def covered_by(self, picks):
        """Boolean per class: reached by one of `picks` (candidate indexes)."""
        chosen = np.zeros(self.candidates, dtype=bool)
        chosen[list(picks)] = True
        covered = np.zeros(self.classes, dtype=bool)
        covered[self.pair_class[chosen[self.pair_candidate]]] = True
        return covered


@dataclass
class Solution:
    picks: list  # candidate indexes in order, each the one adding most given those before
    gains: list  # population each adds
    value: float
    status: str  # "optimal", "time_limit", "greedy_fallback", "nothing_to_gain", "infeasible"
    solver: str
    seconds: float
    gap: float | None  # relative, (bound - value) / bound; 0 when proved optimal
    bound: float | None  # the MIP's dual bound
    lp_bound: float | None  # the LP relaxation's value
    greedy_value: float | None
    greedy_seconds: float | None
    nodes: int | None = None


def order(problem, picks, uncovered=None):
    """`picks` ordered greedily: each next the one adding the most; (picks, gains)."""
    uncovered = problem.weights.copy() if uncovered is None else uncovered.copy()
    left, ordered, gains = set(int(j) for j in picks), [], []
    allowed = np.zeros(problem.candidates, dtype=bool)
    while left:
        allowed[:] = False
        allowed[list(left)] = True
        gain = np.where(allowed, problem.gains(uncovered), -1.0)
        best = int(np.argmax(gain))
        ordered.append(best)
        gains.append(float(gain[best]))
        uncovered[problem.pair_class[problem.pair_candidate == best]] = 0
        left.discard(best)
    return ordered, gains


def greedy(problem, k=None, need=None):
    """Greedy picks: up to `k` sites, or until every need ({province index, or None for the
    whole country: people still needed}) is met; (picks, gains, every need met)."""
    uncovered = problem.weights.copy()
    picks, gains = [], []
    need = dict(need or {})
    per_province = bool(need) and None not in need
    while len(picks) < (k if k is not None else problem.candidates):
        if k is None and all(people <= 1e-9 for people in need.values()):
            break
        useful = uncovered
        if per_province:
            wanted = np.zeros(len(problem.provinces), dtype=bool)
            wanted[[key for key, people in need.items() if people > 1e-9]] = True
            useful = uncovered * wanted[problem.province]
        gain = problem.gains(useful)
        best = int(np.argmax(gain)) if len(gain) else 0
        if not len(gain) or gain[best] <= 0:
            break
        reached = problem.pair_class[problem.pair_candidate == best]
        added = uncovered[reached]
        for key in need:
            inside = added if key is None else added[problem.province[reached] == key]
            need[key] -= float(inside.sum())
        uncovered[reached] = 0
        picks.append(best)
        gains.append(float(added.sum()))
    return picks, gains, all(people <= 1e-9 for people in need.values())


@contextlib.contextmanager
def _stdout_to_stderr():
    """HiGHS prints its banner on standard output when the first instance is made, before
    any option can silence it; keep standard output for results (JSON)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _highs(time_limit):
    import highspy

    with _stdout_to_stderr():
        highs = highspy.Highs()
        highs.silent()
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("threads", 1)
    return highs


def _model(problem, cost_x, cost_y, extra_rows, sense, integer=True):
    """A HighsLp: columns x (candidates) then y (classes); rows y_i − Σ x_j ≤ 0, then
    `extra_rows` [(columns, values, lower, upper)]."""
    import highspy

    m, n = problem.candidates, problem.classes
    rows = [problem.pair_class, np.arange(n)]
    cols = [problem.pair_candidate, m + np.arange(n)]
    vals = [np.full(len(problem.pair_class), -1.0), np.ones(n)]
    lower, upper = [np.full(n, -highspy.kHighsInf)], [np.zeros(n)]
    for number, (columns, values, low, high) in enumerate(extra_rows):
        rows.append(np.full(len(columns), n + number))
        cols.append(np.asarray(columns))
        vals.append(np.asarray(values, dtype=float))
        lower.append(np.array([low]))
        upper.append(np.array([high]))
    rows, cols, vals = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
    ordering = np.argsort(rows, kind="stable")
    count = n + len(extra_rows)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = m + n, count
    lp.col_cost_ = np.concatenate([np.full(m, cost_x, dtype=float), np.asarray(cost_y, float)])
    lp.col_lower_ = np.zeros(m + n)
    lp.col_upper_ = np.ones(m + n)
    lp.row_lower_, lp.row_upper_ = np.concatenate(lower), np.concatenate(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=count))])
    lp.a_matrix_.index_ = cols[ordering].astype(np.int32)
    lp.a_matrix_.value_ = vals[ordering]
    lp.sense_ = sense
    if integer:
        continuous = highspy.HighsVarType.kContinuous
        lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [continuous] * n
    return lp


def _run(problem, lp, start_picks, time_limit):
    """Solve `lp` starting from `start_picks`; (picks or None, status, bound, nodes, seconds)."""
    import highspy

    highs = _highs(time_limit)
    highs.passModel(lp)
    if start_picks is not None:
        x = np.zeros(problem.candidates)
        x[list(start_picks)] = 1
        y = problem.covered_by(start_picks).astype(float) if start_picks else np.zeros(0)
        if not start_picks:
            y = np.zeros(problem.classes)
        start = np.concatenate([x, y])
        highs.setSolution(len(start), np.arange(len(start), dtype=np.int32), start)
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started
    status = highs.getModelStatus()
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    picks = None
    if has_solution:
        values = np.asarray(highs.getSolution().col_value[: problem.candidates])
        picks = [int(j) for j in np.flatnonzero(values > 0.5)]
    names = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time_limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
    }
    return picks, names.get(status, "error"), info.mip_dual_bound, info.mip_node_count, seconds


def _lp_bound(problem, lp):
    highs = _highs(600)
    lp.integrality_ = []
    highs.passModel(lp)
    highs.run()
    return float(highs.getInfo().objective_function_value)


def _version():
    from importlib.metadata import version

    return f"{SOLVER} {version('highspy')}"


def _kept(problem, picks, status, greedy_picks):
    """The solver's picks, or the greedy ones (said so) if it gave none; ordered, with gains."""
    solver = _version()
    if picks is None:
        picks, status, solver = greedy_picks, "greedy_fallback", f"greedy ({solver} failed)"
    picks, gains = order(problem, picks)
    return picks, gains, status, solver


def maximal_covering(problem, k, time_limit=60):
    """The k candidates (at most) covering the most uncovered population: a Solution."""
    import highspy

    started = time.perf_counter()
    greedy_picks, greedy_gains, _met = greedy(problem, k=k)
    greedy_seconds = time.perf_counter() - started
    greedy_value = float(sum(greedy_gains))
    if not greedy_picks:
        return Solution([], [], 0.0, "nothing_to_gain", _version(), 0.0, 0.0, 0.0, 0.0,
                        0.0, greedy_seconds)  # fmt: skip
    cardinality = [(np.arange(problem.candidates), np.ones(problem.candidates), 0, k)]
    maximize = highspy.ObjSense.kMaximize
    lp = _model(problem, 0.0, problem.weights, cardinality, maximize)
    picks, status, bound, nodes, seconds = _run(problem, lp, greedy_picks, time_limit)
    lp_bound = _lp_bound(problem, lp)
    picks, gains, status, solver = _kept(problem, picks, status, greedy_picks)
    value = float(sum(gains))
    if status == "optimal":
        bound, gap = value, 0.0
    else:
        bound = min(bound, lp_bound) if bound is not None and np.isfinite(bound) else lp_bound
        gap = (bound - value) / bound if bound > 0 else 0.0
    return Solution(picks, gains, value, status, solver, seconds, max(gap, 0.0), bound,
                    lp_bound, greedy_value, greedy_seconds, nodes)  # fmt: skip


def minimum_sites(problem, need, time_limit=60):
    """The fewest candidates meeting `need` ({province index, or None for the whole country:
    people still needed}); a Solution (status "infeasible" if the candidates cannot)."""
    import highspy

    need = {key: value for key, value in need.items() if value > 1e-9}
    started = time.perf_counter()
    greedy_picks, _gains, met = greedy(problem, need=need)
    greedy_seconds = time.perf_counter() - started
    solver = _version()
    if not need:
        return Solution([], [], 0.0, "optimal", solver, 0.0, 0.0, 0, 0, 0, greedy_seconds)
    if not met:
        return Solution([], [], 0.0, "infeasible", solver, 0.0, None, None, None, None,
                        greedy_seconds)  # fmt: skip
    m = problem.candidates
    rows = []
    for key, people in need.items():
        inside = np.arange(problem.classes)
        if key is not None:
            inside = np.flatnonzero(problem.province == key)
        rows.append((m + inside, problem.weights[inside], people * (1 - 1e-9), np.inf))
    lp = _model(problem, 1.0, np.zeros(problem.classes), rows, highspy.ObjSense.kMinimize)
    picks, status, bound, nodes, seconds = _run(problem, lp, greedy_picks, time_limit)
    lp_bound = _lp_bound(problem, lp)
    picks, gains, status, solver = _kept(problem, picks, status, greedy_picks)
    value = float(len(picks))
    if status == "optimal":
        bound, gap = value, 0.0
    else:
        # A lower bound: at least the next whole number above the relaxation.
        bound = max(np.ceil(lp_bound - 1e-6), bound if np.isfinite(bound) else 0)
        gap = (value - bound) / value if value else 0.0
    return Solution(
        picks, gains, float(sum(gains)), status, solver, seconds, max(gap, 0.0), float(bound),
        lp_bound, float(len(greedy_picks)), greedy_seconds, nodes,
    )  # fmt: skip
