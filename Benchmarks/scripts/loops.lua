-- Counting loops: the same work as loops.mapl, printing the same line.
local total = 0
for i = 1, 2000 do
  for j = 1, 500 do total = (total + i * j) % 1000003 end
end
local steps, longest = 0, 0
for start = 1, 30000 do
  local x, count = start, 0
  while x ~= 1 do
    if x % 2 == 0 then x = x // 2 else x = 3 * x + 1 end
    count = count + 1
  end
  steps = steps + count
  if count > longest then longest = count end
end
print(total .. " " .. steps .. " " .. longest)
