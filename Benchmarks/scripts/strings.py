# String building: the same work as strings.mapl, printing the same lines.
N = 100000
names = ["Dana Wright", "Raj Patel", "Omar Haddad", "Ana Lima", "Kenji Sato"]
stages = ["prospecting", "qualification", "proposal", "negotiation", "won"]

lines = []
total_words = 0
total_length = 0
for i in range(N):
    line = f"deal-{i} for {names[i % 5]} at {stages[(i * 7) % 5]}: next step {i % 13} days"
    words = line.split(" ")
    total_words += len(words)
    total_length += len(line)
    if i % 10 == 0:
        lines.append("_".join(words))
report = "\n".join(lines)
print(len(lines), total_words, total_length, len(report))
print(lines[0])
print(lines[-1])
