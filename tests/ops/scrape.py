"""Reading an operations endpoint as Prometheus and a prober do."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def probe(url: str) -> tuple[int, dict]:
    status, body = get(url)
    return status, json.loads(body)


class Samples(dict):
    """{(sample name, frozenset of label pairs): value} of one scrape, and the families' names."""

    def __init__(self, text: str):
        families = list(text_string_to_metric_families(text))
        super().__init__({(sample.name, frozenset(sample.labels.items())): sample.value
                          for family in families for sample in family.samples})
        self.families = {family.name for family in families}

    def value(self, name: str, **labels) -> float:
        """The sample's value; 0 when it is not there yet (a labelled counter before its first count)."""
        return self.get((name, frozenset(labels.items())), 0.0)

    def total(self, name: str, **labels) -> float:
        """The sum over every sample of `name` that has these labels (and any others)."""
        wanted = set(labels.items())
        return sum(value for (sample, pairs), value in self.items() if sample == name and wanted <= pairs)


def scrape(url: str) -> Samples:
    status, body = get(url)
    assert status == 200, body
    return Samples(body.decode())
