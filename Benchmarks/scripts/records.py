# Records: the same work as records.mapl, printing the same lines.
N = 100000
units = ["ops", "it", "finance", "sales", "legal", "hr", "plants"]
deals = []
for i in range(N):
    deals.append({"id": i, "unit": units[i % 7], "value": (i * 7919) % 100000, "stage": (i * 13 + 5) % 9})
open_deals = list(filter(lambda d: d["stage"] > 0 and d["stage"] < 6, deals))
ranked = sorted(open_deals, key=lambda d: d["value"] * d["stage"], reverse=True)
by_unit = {}
count_by_unit = {}
for d in open_deals:
    by_unit[d["unit"]] = by_unit.get(d["unit"], 0) + d["value"]
    count_by_unit[d["unit"]] = count_by_unit.get(d["unit"], 0) + 1
print(len(open_deals), ranked[0]["id"], ranked[-1]["id"])
for unit in units:
    print(unit, by_unit[unit], count_by_unit[unit])
