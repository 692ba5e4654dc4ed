# Opportunity scoring: the same work as scoring.mapl, printing the same lines.
# Money is held as integer cents; money times a rate is (cents / 100 * rate * 100)
# rounded half away from zero to the cent, as mapl's money does. Every amount here is
# positive, so that rounding is floor(x + 0.5), written out inline to keep Python fast.
import math

N = 200000
seed = 42


def rand():
    global seed
    seed = seed * 16807 % 2147483647
    return seed / 2147483647


def pick(low, count):
    return low + math.floor(rand() * count)


def fmt_money(cents):
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    text = f"{sign}${whole:,}"
    return text if fraction == 0 else f"{text}.{fraction:02d}"


# 1. Build the opportunities.
opps = []
for i in range(1, N + 1):
    value = pick(5000, 2000000) * 100
    probability = pick(1, 19) * 5 / 100
    fit = pick(0, 11)
    relationship = pick(0, 11)
    hours = pick(10, 190)
    margin = pick(20, 26) / 100
    opps.append({"name": f"opp-{i}", "value": value, "probability": probability, "fit": fit,
                 "relationship": relationship, "hours": hours, "margin": margin, "score": 0})

# 2. Gross profit and return on time invested; the largest of each for normalising.
max_value = 0
max_roti = 0
for o in opps:
    egp = math.floor(o["value"] / 100 * o["margin"] * 100 + 0.5)
    roti = math.floor(egp / 100 * (1 / o["hours"]) * 100 + 0.5)
    o["roti"] = roti
    if o["value"] > max_value:
        max_value = o["value"]
    if roti > max_roti:
        max_roti = roti

# 3. Weighted score, tiers and the weighted pipeline.
w_value = 0.30
w_probability = 0.25
w_fit = 0.20
w_relationship = 0.15
w_roti = 0.10
total_score = 0
pipeline = 0
tier_a = tier_b = tier_c = 0
for o in opps:
    score = (w_value * (o["value"] / max_value) + w_probability * o["probability"]
             + w_fit * o["fit"] / 10 + w_relationship * o["relationship"] / 10
             + w_roti * (o["roti"] / max_roti))
    o["score"] = score
    total_score += score
    pipeline += math.floor(o["value"] / 100 * o["probability"] * 100 + 0.5)
    if score >= 0.6:
        tier_a += 1
    elif score >= 0.4:
        tier_b += 1
    else:
        tier_c += 1

# 4. The top 10 by score.
ranked = sorted(opps, key=lambda o: o["score"], reverse=True)
print(f"opportunities: {len(opps)}")
print(f"weighted pipeline: {fmt_money(pipeline)}")
print(f"total score x1000: {math.floor(total_score * 1000 + 0.5)}")
print(f"tiers: A={tier_a} B={tier_b} C={tier_c}")
for rank in range(1, 11):
    o = ranked[rank - 1]
    print(f"{rank}. {o['name']} score={math.floor(o['score'] * 1000000 + 0.5)} "
          f"value={fmt_money(o['value'])} roti={fmt_money(o['roti'])}")
