# Closures: the same work as closures.mapl, printing the same line.
def adder(n):
    return lambda x: x + n


def scaler(k):
    return lambda x: x * k


add3 = adder(3)
triple = scaler(3)
total = 0
for _ in range(20):
    xs = [i for i in range(1, 10001)]
    ys = list(map(lambda x: triple(add3(x)), xs))
    zs = list(filter(lambda y: y % 7 == 0, ys))
    for z in zs:
        total += z % 1000
print(total)
