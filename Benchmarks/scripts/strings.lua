-- String building: the same work as strings.mapl, printing the same lines.
local N = 100000
local names = {"Dana Wright", "Raj Patel", "Omar Haddad", "Ana Lima", "Kenji Sato"}
local stages = {"prospecting", "qualification", "proposal", "negotiation", "won"}

local function split(text, sep)
  local words = {}
  for word in string.gmatch(text, "([^" .. sep .. "]+)") do words[#words + 1] = word end
  return words
end

local lines = {}
local total_words, total_length = 0, 0
for i = 0, N - 1 do
  local line = "deal-" .. i .. " for " .. names[i % 5 + 1] .. " at " .. stages[(i * 7) % 5 + 1] .. ": next step " .. (i % 13) .. " days"
  local words = split(line, " ")
  total_words = total_words + #words
  total_length = total_length + #line
  if i % 10 == 0 then lines[#lines + 1] = table.concat(words, "_") end
end
local report = table.concat(lines, "\n")
print(#lines .. " " .. total_words .. " " .. total_length .. " " .. #report)
print(lines[1])
print(lines[#lines])
