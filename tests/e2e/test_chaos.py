"""A small run of the chaos command (tests/chaos.py): 100 articles published from 4 clients while
each service is killed with SIGKILL once and cut off from the broker for 10 s once. Nothing is
lost or duplicated, no answer disagrees with what happened, and every process is back on its own.

One duplicate is allowed, and only as the same message: an email the mail server had taken when
notify was killed, before notify recorded it sent, goes again when its lease runs out (SMTP cannot
tell a sender whether its last message arrived, so emails go at least once), with the same
Message-ID, which mail systems recognise."""
import pytest

from tests import chaos


@pytest.mark.slow
def test_a_publish_storm_through_a_kill_and_a_broker_cut_of_every_service_loses_nothing(request):
    args = chaos.parse(["--articles", "100", "--amqp-uri", request.config.getoption("RABBIT_AMQP_URI"),
                        "--rabbit-management", request.config.getoption("RABBIT_API_URI")])
    outcome = chaos.run(args, log=lambda *_: None)

    report = chaos.report(outcome, args)
    print(report)
    faults = [what for _, what in outcome.timeline.moments]
    assert sum(what.startswith("kill -9") for what in faults) == len(chaos.SERVICES), report
    assert sum(what.endswith("broker link restored") for what in faults) == len(chaos.SERVICES), report
    tally = outcome.tally
    assert tally.duplicated == tally.emails_resent, report  # no article twice, no email but a resend
    assert [goal for goal in outcome.missed() if goal != "duplicated 0"] == [], report
