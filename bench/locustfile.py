"""The load scenario of issue 15: jurists at work against `make serve`.

    locust -f bench/locustfile.py --headless --host http://127.0.0.1:8077 \\
        --users 100 --spawn-rate 2 --run-time 6m --csv bench/out/x

Usually started by bench/load.py, which starts the server, writes the sample
this file reads and sums up the result (docs/performance.md, "Load test").

Each simulated user signs in through the real login form as one of the
generator's benchmark users (bench/generate.py: gemeente jurists, a role
without the second factor, so no device is needed and nothing in the served
settings is relaxed), with a session and CSRF cookie of its own, then loops
over the pages a jurist opens, with a think time between them:

    Mijn werk `/`, the case list `/cases/`, a filter of the list (type,
    status, team role), a case page of one of the account's cases (a
    different one each time, from the sample), a search (a party's name, a
    reference, or a postcode and house number of the account's cases), and a
    transition: a penalty order under monitoring goes to re-inspection
    (A60 → A61, "Review new report") or back (A61 → A60, "Record compliance"),
    a step a jurist may take on its team's cases, which needs only a note,
    no flow and no letter, and can be repeated forever.

The statistics start when the last user has signed in (the ramp and its
password hashing are not measured; the login's times go to the log). Every
request is checked: a page must answer 200 and show what it should (a
redirect to the login page or a refused step is an error, not a success); a
POST must answer 302 to where it should. Redirects are not followed, so each
row of the statistics is one request. A transition is checked once more on
the user's next visit to that case: the other step must then be on offer
(the status changed). The cases toggled by one simulated user are its own,
so two users never race for a case.

The sample (JSON, CASEWORK_LOAD_SAMPLE, bench/load.py writes it) holds per
benchmark user its case references, its A60/A61 cases and search terms.
CASEWORK_LOAD_THINK: "1,5" (default: 1–5 s between tasks) or "0" (no think
time: the saturation runs). CASEWORK_LOAD_SECONDS: stop this many seconds
after the last user signed in (--run-time is then only an upper bound). The
search task is tagged `search` (`--exclude-tags search` leaves it out).
"""

import itertools
import json
import logging
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import HttpUser, between, constant, events, tag, task

SAMPLE = Path(
    os.environ.get("CASEWORK_LOAD_SAMPLE")
    or Path(__file__).resolve().parent / "out" / "load-sample.json"
)
BENCH_PASSWORD = "bench"  # noqa: S105 - bench/generate.py's fictional users
# The toggle: the step offered in each state, and the state it leads to.
TOGGLE = {"review_new_report": "A61", "record_compliance": "A60"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEP = re.compile(r'<input type="hidden" name="name" value="([a-z_]+)">')

logger = logging.getLogger(__name__)
_sample: dict = {}
_counter = itertools.count()
_signed_in = itertools.count(1)


def think_time():
    low, _, high = os.environ.get("CASEWORK_LOAD_THINK", "1,5").partition(",")
    if float(low) == 0 and not high:
        return constant(0)
    return between(float(low), float(high or low))


@events.init.add_listener
def _load_sample(environment, **kwargs) -> None:
    _sample.update(json.loads(SAMPLE.read_text()))


def _location(response) -> str:
    return (response.headers or {}).get("Location", "")


def _answer(response) -> str:
    """What came back instead: the status and where it sent the user, or
    the connection error (status 0)."""
    if not response.status_code:
        return f"no answer: {type(response.error).__name__}: {response.error}"
    return f"{response.status_code} {_location(response)}".strip()


class Jurist(HttpUser):
    wait_time = think_time()

    def on_start(self) -> None:
        index = next(_counter)
        accounts = _sample["accounts"]
        # The accounts in turn, so each has a third of the simulated users.
        self.account = accounts[index % len(accounts)]
        data = _sample["users"][self.account]
        self.cases = data["cases"]
        self.searches = data["searches"]
        self.filters = data["filters"]
        # This user's own slice of the account's A60/A61 cases.
        slot, slots = index // len(accounts), self._slots(len(accounts))
        self.toggles = data["toggles"][slot % slots :: slots]
        self.expected: dict[str, str] = {}
        self.rng = random.Random(index)
        self.login()
        if next(_signed_in) == self._users():
            self._measure_from_here()

    def _users(self) -> int:
        return getattr(self.environment.parsed_options, "num_users", None) or 100

    def _measure_from_here(self) -> None:
        """Every user has signed in: the statistics start now, without the
        ramp and its logins (a PBKDF2 hash each, 0.22 s of CPU alone)."""
        stats = self.environment.stats
        login = stats.get("login (POST)", "POST")
        logger.warning(
            "all %d users signed in; login POST median %s ms, max %s ms; "
            "statistics reset at %.3f",
            login.num_requests,
            login.median_response_time,
            round(login.max_response_time),
            time.time(),
        )
        stats.reset_all()
        seconds = float(os.environ.get("CASEWORK_LOAD_SECONDS") or 0)
        if seconds:
            gevent.spawn_later(seconds, self.environment.runner.quit)

    def _slots(self, accounts: int) -> int:
        return max(1, -(-self._users() // accounts))

    # -- checks ---------------------------------------------------------------

    def get_page(self, url: str, name: str, must_contain: str = ""):
        """GET one page; anything but a 200 that shows `must_contain` fails."""
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(_answer(response))
            elif must_contain and must_contain not in response.text:
                response.failure(f"page without {must_contain!r}")
            else:
                response.success()
            return response

    def post_form(self, url: str, name: str, data: dict, location: str):
        """POST a form with the page's CSRF token; only a 302 to `location`
        counts as done."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302 or _location(response) != location:
                response.failure(_answer(response))
            else:
                response.success()
            return response

    # -- the login --------------------------------------------------------------

    def login(self) -> None:
        page = self.get_page("/accounts/login/", "login form", "csrfmiddlewaretoken")
        token = CSRF.search(page.text or "")
        if token is None:
            return
        self.post_form(
            "/accounts/login/",
            "login (POST)",
            {
                "csrfmiddlewaretoken": token[1],
                "username": self.account,
                "password": BENCH_PASSWORD,
                "next": "/",
            },
            location="/",
        )

    # -- the pages --------------------------------------------------------------

    @task(3)
    def my_work(self) -> None:
        self.get_page("/", "Mijn werk", 'id="main"')

    @task(3)
    def case_list(self) -> None:
        self.get_page("/cases/", "case list", "<table")

    @task(2)
    def case_list_filtered(self) -> None:
        query = self.rng.choice(self.filters)
        self.get_page(f"/cases/?{query}", "case list (filter)", 'id="main"')

    @task(6)
    def case_page(self) -> None:
        reference = self.rng.choice(self.cases)
        self.get_page(f"/cases/{reference}/", "case page", reference)

    @tag("search")
    @task(2)
    def search(self) -> None:
        kind, query = self.rng.choice(self.searches)
        self.get_page(f"/search/?{urlencode({'q': query})}", f"search ({kind})", "<h1")

    @task(1)
    def transition(self) -> None:
        if not self.toggles:
            return
        reference = self.rng.choice(self.toggles)
        url = f"/cases/{reference}/"
        page = self.get_page(url, "case page (before a step)", reference)
        text = page.text or ""
        offered = [name for name in STEP.findall(text) if name in TOGGLE]
        token = CSRF.search(text)
        if page.status_code != 200 or token is None:
            return
        expected = self.expected.get(reference)
        if len(offered) != 1 or (expected and TOGGLE[offered[0]] == expected):
            # The last step did not change the status, or the page offers
            # neither step: record it as an error of the transition.
            events.request.fire(
                request_type="POST",
                name="transition (POST)",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"{reference}: offered {offered}"),
                context={},
            )
            return
        step = offered[0]
        response = self.post_form(
            f"{url}transition/",
            "transition (POST)",
            {"csrfmiddlewaretoken": token[1], "name": step, "note": "Lasttest"},
            location=url,
        )
        if response.status_code == 302:
            self.expected[reference] = TOGGLE[step]
