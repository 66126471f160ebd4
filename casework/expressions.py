"""`Const`: a constant of the code written into a query as an SQL literal.

Django sends every value of a filter as a parameter, and on PostgreSQL
Casework binds parameters on the server and prepares a statement once it has
run five times on a connection (`casework/settings.py`). PostgreSQL may then
plan the statement once for any value: a generic plan. Such a plan cannot use
a partial index whose predicate names a constant, because it cannot know
that the parameter is that constant: `step_role = $1` does not prove
`step_role <> ''` (index `list_step_holder`), `kind = $1` does not prove
`kind = 'status'` (`event_status_at`, `controle_outcome_events`). Measured at
1M cases under `plan_cache_mode = force_generic_plan`: Mijn werk's task groups
74 ms instead of 1, the Bibob reuse check 25 ms instead of 0.1, the controle
dashboard's outcomes 31 ms instead of 3 (docs/performance.md, sixth session).
PostgreSQL chose the custom plans in its normal mode, but that is its estimate
at the time, not a guarantee.

A condition that a partial index depends on therefore states its constant as
a literal: `filter(kind=Const(CaseEvent.Kind.STATUS))`,
`filter(to_status__in=[Const(s) for s in OUTCOME_STATUSES])`,
`exclude(bsn=Const(""))`. Only the code's own constants (codes, kinds,
roles: letters, digits, `_`, `-`, `.` and spaces) and integers are accepted;
anything else raises, so no user input can reach the SQL this way.
"""

import re

from django.db.models import Value

_SAFE = re.compile(r"[A-Za-z0-9_. -]*")


class Const(Value):
    """A code constant as an SQL literal (see the module's docstring)."""

    def __init__(self, value, output_field=None):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise TypeError(f"Const takes a str or int, not {type(value).__name__}")
        if isinstance(value, str):
            value = str(value)  # a TextChoices member: its value
            if not _SAFE.fullmatch(value):
                raise ValueError(f"Const takes code constants only: {value!r}")
        super().__init__(value, output_field)

    def as_sql(self, compiler, connection):
        if isinstance(self.value, int):
            return str(int(self.value)), []
        return f"'{self.value}'", []
