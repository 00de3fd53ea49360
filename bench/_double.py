"""The Slack Web API double (tests/slack_double.py) in a process of its own.

    .venv/bin/python bench/_double.py --members '{"CTRIAGE01": ["ULEAD"]}'

bench/ack.py runs it apart from its load client: checking the bot's Block Kit costs the double
CPU time, and in the client's process that would slow the client's own clock-reading threads
while it measures the bot, but not while it measures the bare app.

Prints one JSON line with its URLs, then answers lines on stdin: `counts` prints a JSON line
{method: successful calls, "_failed": calls not ok, "_invalid": Block Kit rejections}; end of
input stops it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.slack_double import SlackDouble


def counts(double: SlackDouble) -> dict[str, int]:
    calls = list(double.calls)
    out = Counter(c.method for c in calls if c.ok)
    out["_failed"] = sum(1 for c in calls if not c.ok)
    out["_invalid"] = len(double.invalid)
    return dict(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", default="{}", help="JSON: channel id → member ids (conversations.members)")
    args = parser.parse_args()
    with SlackDouble(members=json.loads(args.members)) as double:
        print(json.dumps({"url": double.url, "response_url_base": double.response_url_base}), flush=True)
        for line in sys.stdin:
            if line.strip() == "counts":
                print(json.dumps(counts(double)), flush=True)
            elif line.strip() == "invalid":
                print(json.dumps(double.invalid[:5]), flush=True)


if __name__ == "__main__":
    main()
