# Counting loops: the same work as loops.mapl, printing the same line.
total = 0
for i in range(1, 2001):
    for j in range(1, 501):
        total = (total + i * j) % 1000003
steps = 0
longest = 0
for start in range(1, 30001):
    x = start
    count = 0
    while x != 1:
        x = x // 2 if x % 2 == 0 else 3 * x + 1
        count += 1
    steps += count
    if count > longest:
        longest = count
print(total, steps, longest)
