# Licensed under the Apache License, Version 2.0; see the LICENSE file at the root of this project.
"""Parses a Prometheus scrape read from stdin with the Prometheus client's own parsers (python3-prometheus-client)
and prints its families as JSON: [{"name", "type", "help", "samples": [{"name", "labels", "value"}]}].
Argument: "prometheus" (text format 0.0.4) or "openmetrics". Exits 1 with the parser's error on invalid input."""
import json
import math
import sys

from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
from prometheus_client.parser import text_string_to_metric_families as prometheus

text = sys.stdin.read()
parse = openmetrics if sys.argv[1] == "openmetrics" else prometheus
try:
    families = [{"name": f.name, "type": f.type, "help": f.documentation,
                 "samples": [{"name": s.name, "labels": s.labels,
                              "value": None if math.isnan(s.value) else s.value} for s in f.samples]}
                for f in parse(text)]
except Exception as e:  # the parser's own error: what and where
    print("invalid %s exposition: %s" % (sys.argv[1], e), file=sys.stderr)
    sys.exit(1)
print(json.dumps(families))
