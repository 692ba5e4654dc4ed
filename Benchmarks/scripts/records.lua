-- Records: the same work as records.mapl, printing the same lines.
local N = 100000
local units = {"ops", "it", "finance", "sales", "legal", "hr", "plants"}
local deals = {}
for i = 0, N - 1 do
  deals[#deals + 1] = {id = i, unit = units[i % 7 + 1], value = (i * 7919) % 100000, stage = (i * 13 + 5) % 9}
end
local open = {}
for _, d in ipairs(deals) do if d.stage > 0 and d.stage < 6 then open[#open + 1] = d end end
local ranked = {}
for i, d in ipairs(open) do ranked[i] = {d = d, key = d.value * d.stage, pos = i} end
-- Stable, largest first (as mapl's sort_desc and Python's sorted(reverse=True)).
table.sort(ranked, function(a, b) if a.key ~= b.key then return a.key > b.key end return a.pos < b.pos end)
local by_unit, count_by_unit = {}, {}
for _, d in ipairs(open) do
  by_unit[d.unit] = (by_unit[d.unit] or 0) + d.value
  count_by_unit[d.unit] = (count_by_unit[d.unit] or 0) + 1
end
print(#open .. " " .. ranked[1].d.id .. " " .. ranked[#ranked].d.id)
for _, unit in ipairs(units) do print(unit .. " " .. by_unit[unit] .. " " .. count_by_unit[unit]) end
