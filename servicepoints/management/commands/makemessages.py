"""`makemessages` that also finds `N_("...")`: the import pipeline marks its message ids with
`gettext_noop as N_` (reasons of issues, report headers, progress steps), which Django's
xgettext keywords do not include, so those strings never reached the catalogue."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
