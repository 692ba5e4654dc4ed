#!/usr/bin/env python3
"""Writes a portfolio of generated account plans for the portfolio benchmark.

    python3 Benchmarks/portfolio/generate.py N S OUTDIR [--seed SEED]

writes OUTDIR/plan_000.mapl … plan_{N-1}.mapl, each one account plan of S stakeholders
in the syntax of examples/globex: one account (revenue_goal, close_ratio), about S/20
units (nested with `parent`), S stakeholders (title, unit, reports_to as one tree,
roles, influence as words and numbers, all five support levels, coverage,
relationship, last_contact), 3 lines of influence per stakeholder (strength as a word
or a percentage) and about S/20 conflicts, one opportunity per 5 stakeholders (value,
stage, probability, close, type, unit, offering, egp, hours, owner, involves 2–4
people), a few offerings and team members. At S=200 a plan is about 90 KB.

Deterministic: plan i is drawn from random.Random(SEED * 1_000_003 + i), so the same
arguments always give the same bytes. Every file passes `mapl check` without errors.
"""

import argparse
import os
import random

FIRST = """Ana Ben Carla Dana Erin Felix Greta Hugo Ines Julia Ken Lena Leo Marco Mia Nadia
Omar Pat Paul Raj Rosa Sean Sofia Tom Yuki Zoe Amir Bill Ivan Lin Priya Jo Alex Max
Noor Kofi Elena Mateo Hana Lars Aisha Tariq Maya Jonas Chloe Diego Emma Farah Gabe
Ingrid Jamal Kira Liam Mina Nils Olga Pedro Quinn Rita Sami Tess Uma Victor Wen Xavi
Yara Zane""".split()
LAST = """Lee Wright Haddad Chen Visser Ruiz Baptista Patel Becker Rossi Okafor Lopez Carter
Tanaka Karim Meyer Walsh Lambert Svensson Grant Adams Petrov Mendes Wagner Diaz Murphy
Nasser Novak Fischer Hoffmann Kim Tran Shah Weber Osei Silva Berg Dubois Nowak Sato
Moreau Costa Jensen Khan Ito Romano Larsen Fontaine Park Horvat Yilmaz Ahmed Brennan""".split()

COMPANY_A = """Globex,Initech,Umbrella,Stark,Wayne,Acme,Cyberdyne,Soylent,Tyrell,Wonka,Hooli,
Vandelay,Massive Dynamic,Oscorp,Aperture,Gringotts,Monarch,Nakatomi,Pied Piper,Virtucon,Zorg,
Vehement,Ajax,Blue Sun,Crestline,Meridian,Bayside,Northwind,Contoso,Fabrikam,Litware,Adatum,
Tailspin,Woodgrove,Proseware,Lucerne,Alpine,Fourth Coffee""".replace("\n", "").split(",")
COMPANY_B = """Manufacturing Health Bank Logistics Energy Insurance Retail Pharma Foods Motors
Telecom Airlines Chemicals Mining Media Hotels Utilities Shipping Steel Software""".split()
INDUSTRY = {"Manufacturing": "Industrial manufacturing", "Health": "Healthcare", "Bank": "Banking",
            "Logistics": "Logistics", "Energy": "Energy", "Insurance": "Insurance", "Retail": "Retail",
            "Pharma": "Pharmaceuticals", "Foods": "Food and beverage", "Motors": "Automotive",
            "Telecom": "Telecommunications", "Airlines": "Aviation", "Chemicals": "Chemicals",
            "Mining": "Mining", "Media": "Media", "Hotels": "Hospitality", "Utilities": "Utilities",
            "Shipping": "Shipping", "Steel": "Metals", "Software": "Software"}
CITIES = "Chicago Rotterdam Monterrey Singapore Lyon Osaka Dayton Leeds Austin Gdansk Porto Pune".split()

UNIT_NAMES = """Operations Finance IT Quality Supply_Chain Sales Marketing HR Legal Procurement
Research Engineering Plants_EMEA Plants_Americas Plants_APAC Customer_Service Logistics
Risk Compliance Digital Facilities Treasury Audit Data Security Retail_Banking
Clinical Nursing Pharmacy Maintenance Energy Fleet Product Design Services""".split()
UNIT_KINDS = ["profit_center", "cost_center", "division", "function"]

OFFERINGS = [("mes", "MES Suite", "Software"), ("analytics", "Analytics Cloud", "Software"),
             ("predictive", "Predictive Maintenance", "Software"), ("hosting", "Managed Hosting", "Services"),
             ("training", "Training", "Services"), ("support", "Premium Support", "Services"),
             ("integration", "Integration Platform", "Software"), ("advisory", "Advisory", "Services")]

ROLES = ["economic_buyer", "user", "technical", "advisor", "coach", "champion", "approver", "evaluator"]
SUPPORT = ["enemy", "non_supporter", "neutral", "supporter", "champion"]
COVERAGE = ["unknown", "none", "brief", "multiple", "in_depth"]
RELATIONSHIP = ["vendor", "credible_source", "problem_solver", "trusted_advisor"]
STATUS = ["outside", "political_structure", "inner_circle"]
STAGES = [("prospecting", 10), ("qualification", 25), ("needs_analysis", 40), ("proposal", 55),
          ("negotiation", 80), ("won", 100), ("lost", 0)]
TYPES = ["new", "upsell", "cross_sell", "renewal"]
DEAL_WORDS = """Rollout Pilot Renewal Upgrade Expansion Migration Programme Platform Suite
Modernisation Consolidation Analytics Automation Portal Dashboards Integration""".split()
CRITERIA = ["Payback under 18 months", "Opex over capex", "Fewer vendors", "Cloud first",
            "One way of working", "Go-live before year end", "Local support team",
            "Reference in our industry", "Security certification", "Low change effort"]
TITLES_TOP = ["CEO"]
TITLES_EXEC = ["CFO", "COO", "CIO", "CTO", "CHRO", "CMO", "Chief Risk Officer", "General Counsel"]
TITLES_MID = ["VP", "Director", "Head of"]
TITLES_LOW = ["Manager", "Lead", "Senior Engineer", "Analyst", "Specialist", "Controller",
              "Architect", "Buyer", "Planner", "Coordinator"]


def day(rng, first_year, last_year):
    year = rng.randint(first_year, last_year)
    month = rng.randint(1, 12)
    return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"


def money(rng, low_k, high_k, step_k=5):
    """A money literal as people type them: 250k, $1.2M, $85,000."""
    k = rng.randrange(low_k, high_k + 1, step_k)
    style = rng.random()
    if k >= 1000 and k % 100 == 0 and style < 0.5:
        text = f"{k / 1000:.1f}".rstrip("0").rstrip(".")
        return f"${text}M"
    if style < 0.8:
        return f"{k}k"
    return f"${k * 1000:,}"


def plan_text(rng, index, people):
    out = []
    w = out.append
    company = f"{rng.choice(COMPANY_A)} {rng.choice(COMPANY_B)}"
    sector = company.split()[-1]
    account_id = f"acct_{index:03d}"
    w(f"# Account plan {index:03d}: {company} (generated by Benchmarks/portfolio/generate.py)")
    w("")
    w(f'account {account_id} "{company}" {{')
    w(f'  industry: "{INDUSTRY[sector]}", hq: "{rng.choice(CITIES)}"')
    w(f"  revenue_last_year: {money(rng, 500, 4000, 100)}, revenue_this_year: {money(rng, 300, 3000, 100)}")
    w(f"  revenue_goal: {money(rng, 2000, 9000, 100)}, close_ratio: {rng.choice([25, 30, 35, 40, 45])}%")
    w("}")
    w("")

    # Units: a tree under corporate, about one per 20 people.
    n_units = max(2, people // 20)
    names = rng.sample(UNIT_NAMES, min(n_units - 1, len(UNIT_NAMES)))
    while len(names) < n_units - 1:
        names.append(f"Region_{len(names)}")
    units = ["corporate"]
    w('unit corporate "Corporate" { kind: division }')
    for i, name in enumerate(names):
        uid = name.lower()
        parent = units[0] if i < 3 or rng.random() < 0.4 else rng.choice(units[1:])
        fields = [f"kind: {rng.choice(UNIT_KINDS)}", f"parent: {parent}"]
        if rng.random() < 0.3:
            fields.append(f"revenue: {money(rng, 100, 900, 10)}")
        w(f'unit {uid} "{name.replace("_", " ")}" {{ {", ".join(fields)} }}')
        units.append(uid)
    w("")

    offerings = rng.sample(OFFERINGS, rng.randint(4, 6))
    for oid, title, family in offerings:
        w(f'offering {oid} "{title}" {{ family: "{family}" }}')
    w("")

    # Stakeholders: person 0 is the CEO, everyone else reports to an earlier person.
    ids, seen = [], set()
    depth = []
    w("# The people who matter to our business.")
    for i in range(people):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        sid = f"{first}_{last}".lower()
        if sid in seen:
            sid = f"{sid}_{i}"
        seen.add(sid)
        ids.append(sid)
        if i == 0:
            boss, level = None, 0
        else:
            boss = rng.randrange(0, max(1, (i + 1) // 2)) if i > 8 else 0
            level = depth[boss] + 1
        depth.append(level)
        unit = units[0] if level == 0 else rng.choice(units)
        unit_name = unit.replace("_", " ").title() if unit != "it" else "IT"
        if level == 0:
            title = "CEO"
        elif level == 1:
            title = TITLES_EXEC[i % len(TITLES_EXEC)] if i <= len(TITLES_EXEC) else f"SVP {unit_name}"
        elif level == 2:
            title = f"{rng.choice(TITLES_MID)} {unit_name}"
        else:
            title = f"{rng.choice(TITLES_LOW)} {unit_name}"
        roles = rng.sample(ROLES, rng.choice([1, 1, 2, 2, 3]))
        if rng.random() < 0.4:
            influence = rng.choice(["low", "medium", "high"])
        else:
            influence = str(max(0, min(10, 9 - level * 2 + rng.randint(-2, 2))))
        line1 = [f'title: "{title}"', f"unit: {unit}"]
        if boss is not None:
            line1.append(f"reports_to: {ids[boss]}")
        line1 += [f"roles: [{', '.join(roles)}]", f"influence: {influence}"]
        line2 = [f"support: {rng.choice(SUPPORT)}"]
        if rng.random() < 0.3:
            line2.append(f"status: {rng.choice(STATUS)}")
        line2 += [f"coverage: {rng.choice(COVERAGE)}", f"relationship: {rng.choice(RELATIONSHIP)}"]
        if rng.random() < 0.3:
            line2.append(f"desired_relationship: {rng.choice(RELATIONSHIP[1:])}")
        line3 = []
        if rng.random() < 0.2:
            line3.append("criteria: [" + ", ".join(f'"{c}"' for c in rng.sample(CRITERIA, rng.randint(1, 2))) + "]")
        if rng.random() < 0.9:
            line3.append(f"last_contact: {day(rng, 2025, 2026)}")
        w(f'stakeholder {sid} "{first} {last}" {{')
        w("  " + ", ".join(line1))
        w("  " + ", ".join(line2))
        if line3:
            w("  " + ", ".join(line3))
        w("}")
    w("")

    # Informal influence: three lines from each person, no self-loops, no repeats.
    w("# Informal influence: who sways whom, and how strongly.")
    pairs = set()
    for i, sid in enumerate(ids):
        made = 0
        while made < 3:
            j = rng.randrange(people)
            if j == i or (i, j) in pairs:
                continue
            pairs.add((i, j))
            made += 1
            r = rng.random()
            strength = rng.choice(["weak", "medium", "strong"]) if r < 0.5 else f"{rng.randrange(10, 100, 5)}%"
            w(f"influence {sid} -> {ids[j]} {strength}")
    conflicts = set()
    while len(conflicts) < max(1, people // 20):
        a, b = rng.sample(range(people), 2)
        if (a, b) in conflicts or (b, a) in conflicts:
            continue
        conflicts.add((a, b))
        w(f"conflict {ids[a]} <-> {ids[b]}")
    w("")

    # The account team.
    n_members = rng.randint(3, 5)
    members = []
    w("# Our team on the account.")
    for m in range(n_members):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        mid = f"tm_{first.lower()}_{m}"
        members.append(mid)
        role = ["Account lead", "Solution architect", "Customer success", "Finance specialist", "Partner manager"][m]
        covers = rng.sample(ids, rng.randint(4, 10))
        w(f'member {mid} "{first} {last}" {{ role: "{role}", capacity: {rng.randrange(80, 480, 20)}, covers: [{", ".join(covers)}] }}')
    w("")

    # Opportunities: one per five people.
    w("# Opportunities.")
    offering_ids = [o[0] for o in offerings]
    offering_titles = {o[0]: o[1] for o in offerings}
    for k in range(max(1, people // 5)):
        stage, base_p = rng.choices(STAGES, weights=[14, 18, 18, 16, 12, 12, 10])[0]
        if stage in ("won", "lost"):
            probability = base_p
            close = day(rng, 2025, 2026)
        else:
            probability = max(5, min(95, base_p + rng.randrange(-10, 15, 5)))
            close = day(rng, 2026, 2028)
        offering = rng.choice(offering_ids)
        oid = f"{offering}_{k}"
        title = f"{offering_titles[offering]} {rng.choice(DEAL_WORDS)} {rng.choice(CITIES)}"
        value_k = rng.choice([rng.randrange(40, 400, 5), rng.randrange(200, 1500, 10), rng.randrange(800, 3000, 50)])
        value = money(rng, value_k, value_k)
        egp_k = max(5, value_k * rng.randint(20, 45) // 100)
        hours = max(20, int(round(value_k * rng.uniform(0.08, 0.4), -1)))   # bigger deals take longer
        people_in = rng.sample(ids, rng.randint(2, 4))
        involves = []
        for p in people_in:
            r = rng.random()
            roles = [] if r < 0.15 else rng.sample(ROLES, 1 if r < 0.75 else 2)
            involves.append(f"{p}: [{', '.join(roles)}]")
        w(f'opportunity {oid} "{title}" {{')
        w(f"  value: {value}, stage: {stage}, probability: {probability}%, close: {close}, type: {rng.choice(TYPES)}")
        w(f"  unit: {rng.choice(units)}, offering: {offering}, egp: {egp_k}k, hours: {hours}, owner: {rng.choice(members)}")
        if rng.random() < 0.4:
            w(f'  next_step: "Meeting with {rng.choice(FIRST)} on {day(rng, 2026, 2027)}"')
        w(f"  involves: {{{', '.join(involves)}}}")
        w("}")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("plans", type=int, help="number of plan files (N)")
    parser.add_argument("stakeholders", type=int, help="stakeholders per plan (S)")
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    if args.stakeholders < 10:
        parser.error("S must be at least 10")
    os.makedirs(args.outdir, exist_ok=True)
    total = 0
    for i in range(args.plans):
        text = plan_text(random.Random(args.seed * 1_000_003 + i), i, args.stakeholders)
        path = os.path.join(args.outdir, f"plan_{i:03d}.mapl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode("utf-8"))
    print(f"{args.plans} plans of {args.stakeholders} stakeholders, {total / 1e6:.1f} MB in {args.outdir}")


if __name__ == "__main__":
    main()
