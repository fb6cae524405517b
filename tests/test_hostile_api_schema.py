"""schemathesis against the sync API's own description, /api/v1/openapi.json, as a
logged-in interviewer: whatever it generates, the server never answers 5xx.
Bounded: a few examples per operation. (schemathesis' pytest plugin does not run
under pytest 9, so each operation's Hypothesis strategy is driven here.)"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

EXAMPLES = 25


def test_no_request_the_api_describes_is_a_server_error(app, logged_in):
    name = app.config["SESSION_COOKIE_NAME"]
    cookies = {name: logged_in.get_cookie(name).value}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(cookies=cookies)
            if response.status_code >= 500:
                failures.append((case.method, case.path, case.path_parameters, case.query,
                                 str(case.body)[:200], response.status_code, response.text[:200]))

        check()
    assert failures == []
