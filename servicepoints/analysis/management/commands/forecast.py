"""python manage.py forecast [--line NAME] [--months 12] [--json]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ...forecast.predict import INTERVAL, forecast_all
from ...forecast.series import find_lines, lines_visible_to


class Command(BaseCommand):
    help = (
        "Forecast each line of business's calls handled (statsmodels ETS, prediction "
        "intervals) with a back-test on its last 12 known months beside the seasonal-naive "
        "guess, e.g. forecast --line 'Health Services queues (English + French)' --json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--line", help="one line of business, by its name or a former name")
        parser.add_argument(
            "--months", type=int, default=12, help="how many months ahead (1–36; default 12)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options):
        months = options["months"]
        if not 1 <= months <= 36:
            raise CommandError(_("--months must be between 1 and 36."))
        lines = None
        if options["line"]:
            lines = find_lines(options["line"])
            if not lines:
                known = sorted(line.name for line in lines_visible_to()[0])
                raise CommandError(
                    _("There is no line of business “%(line)s”. The lines: %(lines)s.")
                    % {"line": options["line"], "lines": "; ".join(known) or _("none")}
                )
        elif not lines_visible_to()[0].exists():
            raise CommandError(
                _("There are no channel statistics yet; import_channel_statistics loads them.")
            )

        def progress(number, total, name):
            self.stderr.write(
                _("Forecasting %(number)s/%(total)s: %(line)s")
                % {"number": number, "total": total, "line": name}
            )

        results = [
            r.as_dict() for r in forecast_all(lines=lines, months=months, progress=progress)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
            return
        for result in results:
            self.stdout.write(text_of(result))
        self.stdout.write(backtest_table(results))


def text_of(result):
    lines = ["", f"## {result['line']}"]
    details = _("%(first)s–%(last)s, %(status)s") % {
        "first": result["first_month"],
        "last": result["last_month"],
        "status": status_label(result["status"]),
    }
    if result["model"]:
        details += ", " + _("%(model)s on log(1 + calls), chosen by %(by)s") % {
            "model": result["model"],
            "by": result["chosen_by"],
        }
    lines.append(details)
    for brk in result["breaks"]:
        lines.append("- " + break_text(brk))
    for note in result["notes"]:
        lines.append("- " + note)
    if result["forecast"]:
        month_label, forecast_label = _("month"), _("forecast")
        lines.append(
            f"{month_label:<8} {forecast_label:>12} "
            + _("%(interval)s %% interval") % {"interval": INTERVAL}
        )
        for row in result["forecast"]:
            value, lower, upper = (calls(row[key]) for key in ("value", "lower", "upper"))
            lines.append(f"{row['month']:<8} {value:>12} {lower:>10} – {upper}")
    return "\n".join(lines)


def calls(value):
    """A number of calls in the active language's way (1,150 or 1 150)."""
    return number_format(round(value), 0, use_l10n=True, force_grouping=True)


def percent(value):
    return number_format(round(value, 1), 1, use_l10n=True)


def status_label(status):
    return {
        "active": _("active"),
        "discontinued": _("discontinued"),
        "regrouped": _("regrouped into another line"),
        "stopped": _("no statistics since"),
    }.get(status, status)


def break_text(brk):
    if brk["kind"] == "renamed":
        return _("%(month)s: renamed (was “%(old)s”); one series.") % {
            "month": brk["month"],
            "old": brk["from"],
        }
    if brk["kind"] == "pandemic":
        return _("%(month)s onward: COVID-19 pandemic months.") % {"month": brk["month"]}
    if brk["kind"] == "discontinued":
        return _("%(month)s: discontinued.") % {"month": brk["month"]}
    if brk["kind"] == "regrouped":
        return _("%(month)s: regrouped into “%(into)s”.") % brk
    return _("%(month)s: the last month with statistics.") % {"month": brk["month"]}


def backtest_table(results):
    """The back-test of every line: months counted, both MAPEs, which is lower."""
    out = [
        "",
        _("Back-test on the last 12 known months (MAPE in %; naive: the month a year earlier)"),
        "| "
        + " | ".join([_("line"), _("months"), _("MAPE model"), _("MAPE naive"), _("better")])
        + " |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for result in results:
        test = result["backtest"]
        if not test["months"]:
            none = _("no back-test")
            out.append(f"| {result['line']} | 0 | — | — | {none} |")
            continue
        model, naive = test["mape_model"], test["mape_naive"]
        if naive is None:
            better = "—"
        else:
            better = _("model") if model < naive else _("naive") if naive < model else "="
        naive_text = "—" if naive is None else percent(naive)
        out.append(
            f"| {result['line']} | {test['months']} | {percent(model)} | {naive_text} | {better} |"
        )
    return "\n".join(out)
