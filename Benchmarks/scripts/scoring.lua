-- Opportunity scoring: the same work as scoring.mapl, printing the same lines.
-- Money is held as integer cents; money times a rate is (cents / 100 * rate * 100)
-- rounded half away from zero to the cent, as mapl's money does. Every amount here is
-- positive, so that rounding is floor(x + 0.5).
local floor = math.floor

local N = 200000
local seed = 42

local function rand()
    seed = seed * 16807 % 2147483647
    return seed / 2147483647
end

local function pick(low, count)
    return low + floor(rand() * count)
end

local function fmt_money(cents)
    local sign = cents < 0 and "-" or ""
    cents = math.abs(cents)
    local whole, fraction = cents // 100, cents % 100
    local digits = tostring(whole)
    local grouped = digits:reverse():gsub("(%d%d%d)", "%1,"):reverse()
    if grouped:sub(1, 1) == "," then grouped = grouped:sub(2) end
    local text = sign .. "$" .. grouped
    if fraction == 0 then return text end
    return string.format("%s.%02d", text, fraction)
end

-- 1. Build the opportunities.
local opps = {}
for i = 1, N do
    local value = pick(5000, 2000000) * 100
    local probability = pick(1, 19) * 5 / 100
    local fit = pick(0, 11)
    local relationship = pick(0, 11)
    local hours = pick(10, 190)
    local margin = pick(20, 26) / 100
    opps[#opps + 1] = {index = i, name = "opp-" .. i, value = value, probability = probability, fit = fit,
                       relationship = relationship, hours = hours, margin = margin, score = 0}
end

-- 2. Gross profit and return on time invested; the largest of each for normalising.
local max_value, max_roti = 0, 0
for _, o in ipairs(opps) do
    local egp = floor(o.value / 100 * o.margin * 100 + 0.5)
    local roti = floor(egp / 100 * (1 / o.hours) * 100 + 0.5)
    o.roti = roti
    if o.value > max_value then max_value = o.value end
    if roti > max_roti then max_roti = roti end
end

-- 3. Weighted score, tiers and the weighted pipeline.
local w_value, w_probability, w_fit, w_relationship, w_roti = 0.30, 0.25, 0.20, 0.15, 0.10
local total_score, pipeline = 0, 0
local tier_a, tier_b, tier_c = 0, 0, 0
for _, o in ipairs(opps) do
    local score = w_value * (o.value / max_value) + w_probability * o.probability
        + w_fit * o.fit / 10 + w_relationship * o.relationship / 10
        + w_roti * (o.roti / max_roti)
    o.score = score
    total_score = total_score + score
    pipeline = pipeline + floor(o.value / 100 * o.probability * 100 + 0.5)
    if score >= 0.6 then
        tier_a = tier_a + 1
    elseif score >= 0.4 then
        tier_b = tier_b + 1
    else
        tier_c = tier_c + 1
    end
end

-- 4. The top 10 by score (ties keep their original order, as in mapl and Python).
local ranked = table.move(opps, 1, #opps, 1, {})
table.sort(ranked, function(a, b)
    if a.score ~= b.score then return a.score > b.score end
    return a.index < b.index
end)
print(string.format("opportunities: %d", #opps))
print("weighted pipeline: " .. fmt_money(pipeline))
print(string.format("total score x1000: %d", floor(total_score * 1000 + 0.5)))
print(string.format("tiers: A=%d B=%d C=%d", tier_a, tier_b, tier_c))
for rank = 1, 10 do
    local o = ranked[rank]
    print(string.format("%d. %s score=%d value=%s roti=%s", rank, o.name,
        floor(o.score * 1000000 + 0.5), fmt_money(o.value), fmt_money(o.roti)))
end
