#!/usr/bin/env python3
"""portfolio.mapl in plain Python 3, over the plans' JSON exports.

    python3 Benchmarks/portfolio/portfolio.py plan_000.json plan_001.json …

Each file is what `mapl export --format json plan.mapl` writes (docs/json-schema.md).
The output is byte for byte what `mapl run portfolio.mapl plan_000.mapl …` prints:
the same criteria, computed with the same floating-point operations in the same order
as mapl's rank() (Sources/Mapl/Plan/WhiteSpace.swift, Ranking.rank): each criterion's
part is weight / total * score, the parts are added left to right from 0, deals are
sorted by score, best first, ties in the order given; the printed score is rounded to
three decimals half away from zero. Money is exact in cents as in mapl, and a deal's
ROTI is egp / hours rounded to the cent (DerivedFields "roti").
"""

import json
import math
import sys

SUPPORT = {"enemy": 0, "non_supporter": 1, "neutral": 2, "supporter": 3, "champion": 4}
INFLUENCE = {"low": 3, "medium": 6, "high": 9}
CLOSED = {"won", "lost"}

# The manager's criteria, as in portfolio.mapl (weights as mapl reads 40% etc.).
WEIGHTS = [40 / 100, 35 / 100, 25 / 100]
TOTAL = 0.0
for _w in WEIGHTS:
    TOTAL += _w
SHARES = [w / TOTAL for w in WEIGHTS]


def cents(amount):
    """A money amount of the JSON (currency units, at most two decimals) in cents."""
    return round(amount * 100)


def round_half_away(x):
    """Swift's x.rounded() (to nearest, ties away from zero), for x >= 0."""
    whole = math.floor(x)
    return whole + 1 if x - whole >= 0.5 else whole


def roti_cents(fields):
    """egp ÷ hours as money, or None (mapl's o.roti)."""
    egp, hours = fields.get("egp"), fields.get("hours")
    if egp is None or hours is None or hours <= 0:
        return None
    return round_half_away(cents(egp) / 100 / hours * 100)


def scores(fields):
    size = min(1, cents(fields["value"]) / 300_000_000)     # min(1, o.value / $3M)
    odds = fields["probability"]                          # number(o.probability)
    roti = roti_cents(fields)
    time = 0 if roti is None else min(1, roti / 500_000)  # min(1, o.roti / $5,000)
    return (size, odds, time)


def show(number):
    """A number as mapl prints it: whole numbers without a point, others shortest."""
    if number == math.floor(number) and abs(number) < 1e15:
        return str(int(number))
    return repr(number)


def main(paths):
    deals = []        # (account name, deal title, fields), in plan and declaration order
    opposed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            entities = json.load(f)["entities"]
        account = entities["account"][0]["title"]
        for deal in entities["opportunity"]:
            fields = deal["fields"]
            if fields.get("stage") not in CLOSED:
                deals.append((account, deal["title"], fields))
        for person in entities["stakeholder"]:
            fields = person["fields"]
            influence = fields["influence"]
            influence = INFLUENCE.get(influence, influence)
            if influence >= 7 and SUPPORT[fields["support"]] < SUPPORT["neutral"]:
                opposed += 1

    scored = []
    for account, title, fields in deals:
        score = 0
        for share, part in zip(SHARES, scores(fields)):
            score += share * part
        scored.append((score, account, title))
    ranked = sorted(scored, key=lambda item: item[0], reverse=True)   # stable: ties keep their order

    out = [f"The ten best open deals of {len(paths)} accounts:"]
    for i, (score, account, title) in enumerate(ranked[:10]):
        out.append(f"{i + 1}. {account} | {title} | {show(round_half_away(score * 1000) / 1000)}")
    out.append(f"Open deals: {len(deals)}")
    out.append(f"Powerful non-supporters (influence 7 or more, support below neutral): {opposed}")
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1:])
