-- Closures: the same work as closures.mapl, printing the same line.
local function adder(n) return function(x) return x + n end end
local function scaler(k) return function(x) return x * k end end
local function map(xs, f) local out = {} for i = 1, #xs do out[i] = f(xs[i]) end return out end
local function filter(xs, f) local out = {} for i = 1, #xs do if f(xs[i]) then out[#out + 1] = xs[i] end end return out end
local add3, triple = adder(3), scaler(3)
local total = 0
for _ = 1, 20 do
  local xs = {}
  for i = 1, 10000 do xs[i] = i end
  local ys = map(xs, function(x) return triple(add3(x)) end)
  local zs = filter(ys, function(y) return y % 7 == 0 end)
  for _, z in ipairs(zs) do total = total + z % 1000 end
end
print(total)
