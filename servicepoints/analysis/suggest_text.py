"""A Suggestion as text lines (the suggest_sites command's output without --json)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

STATUS = {
    "optimal": gettext_noop("optimal (proved)"),
    "time_limit": gettext_noop("stopped at the time limit: best solution found"),
    "greedy_fallback": gettext_noop("the solver gave no solution: greedy fallback"),
    "nothing_to_gain": gettext_noop("no candidate covers anyone not yet covered"),
    "infeasible": gettext_noop("cannot be reached with these candidates"),
}


def _people(value):
    return f"{value:,.0f}"


def _share(value):
    return "—" if value is None else f"{value:.2f} %"


def _gap(answer):
    if answer.optimality_gap is None:
        return "—"
    return f"{100 * answer.optimality_gap:.3f} %"


def write_text(write, result):
    setting = result.setting
    write(
        _(
            "Network: %(points)s points; demand: %(areas)s %(level)s areas of %(year)s, "
            "%(uncovered)s beyond %(km)s km (%(method)s; a road distance is longer)."
        )
        % {
            "points": setting.network_points,
            "areas": setting.demand_areas,
            "level": setting.level,
            "year": setting.year,
            "uncovered": setting.uncovered_areas,
            "km": f"{setting.within_km:g}",
            "method": _("straight-line distance on the sphere"),
        }  # fmt: skip
    )
    write(
        _(
            "Candidates (%(mode)s): %(count)s, of which %(reaching)s reach someone not yet "
            "covered (%(people)s people at most); %(pairs)s coverage pairs in %(classes)s "
            "groups of areas."
        )
        % {
            "mode": setting.candidates_mode,
            "count": setting.candidates,
            "reaching": setting.candidates_reaching,
            "people": _people(setting.reachable_population),
            "pairs": setting.pairs,
            "classes": setting.classes,
        }  # fmt: skip
    )
    for answer in (result.maximal_covering, result.minimum_sites):
        if answer is not None:
            _answer(write, answer, result.standard)
    timings = ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in setting.timings.items())
    write(_("Times: %(timings)s.") % {"timings": timings})


def _answer(write, answer, standard):
    write("")
    if answer.question == "maximal_covering":
        write(_("The %(k)s sites covering the most people (maximal covering):") % {"k": answer.k})
    else:
        scope = _("in every province and territory") if answer.per_province else _("nationally")
        write(
            _("The fewest sites reaching %(target)s %% %(scope)s (set covering):")
            % {"target": f"{answer.target_share:g}", "scope": scope}
        )
    if answer.question == "minimum_sites" and not answer.reachable:
        write(
            _("Cannot be reached with these candidates: at best %(share)s with all of them.")
            % {"share": _share(answer.best_share_reachable)}
        )
        for province in answer.unreachable_provinces:
            write(_("  not reachable: %(name)s (%(code)s)") % province)
        return
    if answer.question == "minimum_sites" and not answer.picks:
        write(_("Already reached by the network: no new site is needed."))
    write(_("rank | candidate | province | gain | covered after | share after"))
    for pick in answer.picks:
        candidate = pick.candidate
        write(
            f"{pick.rank} | {candidate.name} ({candidate.kind} {candidate.id}) | "
            f"{candidate.province} | +{_people(pick.gain)} | {_people(pick.covered_after)} | "
            f"{_share(pick.share_after)}"
        )
    national = answer.national
    target = f" / {standard['target_share']:g} %" if standard else ""
    write(
        _("Newly covered: %(gain)s people; share covered %(before)s → %(after)s%(target)s.")
        % {
            "gain": _people(answer.total_gain),
            "before": _share(national.share_before),
            "after": _share(national.share_after),
            "target": target,
        }  # fmt: skip
    )
    write(
        _(
            "Solver: %(solver)s, %(status)s, %(seconds)s s; optimality gap %(gap)s "
            "(bound %(bound)s; LP relaxation %(lp)s; greedy %(greedy)s)."
        )
        % {
            "solver": answer.solver,
            "status": _(STATUS.get(answer.status, answer.status)),
            "seconds": f"{answer.solve_seconds:.2f}",
            "gap": _gap(answer),
            "bound": "—" if answer.bound is None else f"{answer.bound:,.1f}",
            "lp": "—" if answer.lp_bound is None else f"{answer.lp_bound:,.1f}",
            "greedy": "—" if answer.greedy_value is None else f"{answer.greedy_value:,.0f}",
        }  # fmt: skip
    )
