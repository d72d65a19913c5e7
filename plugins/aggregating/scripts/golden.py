"""Golden trajectories for aggregating-golden.test.ts, computed with numpy independently of srnn.

Default aggregating net (MLP 4 -> 2 -> 2 -> 4, linear, no bias, out-in), 20 weights in 4 groups of 5.
Weights (and momentum buffers) are rounded to float32 after every step, as srnn stores them.
Run: python3 plugins/aggregating/scripts/golden.py > plugins/aggregating/golden/aggregating-golden.json
"""
import json
import numpy as np

K, N = 4, 20
f32 = lambda a: np.asarray(a, np.float32).astype(np.float64)
init = f32(np.round(np.random.default_rng(2024).uniform(-1, 1, N) * 64) / 64)


def mats(w):
    return w[0:8].reshape(2, 4), w[8:12].reshape(2, 2), w[12:20].reshape(4, 2)


def reduce(w, aggregator):
    groups = [w[j * 5:(j + 1) * 5] for j in range(K)]
    return np.array([g.max() if aggregator == 'max' else g.mean() for g in groups])


def expand(y):
    return np.repeat(y, 5)


def self_apply(w, aggregator):
    a, b, c = mats(w)
    return f32(expand(c @ (b @ (a @ reduce(w, aggregator)))))


def grad(w, x):
    a, b, c = mats(w)
    h1 = a @ x
    h2 = b @ h1
    y = c @ h2
    e = y - x
    dy = 2 * e / K
    dh2 = c.T @ dy
    dh1 = b.T @ dh2
    return np.concatenate([np.outer(dh1, x).ravel(), np.outer(dh2, h1).ravel(), np.outer(dy, h2).ravel()]), float((e ** 2).mean())


def self_train(w, aggregator, steps, lr, momentum):
    buf = np.zeros(N)
    losses = []
    for _ in range(steps):
        g, loss = grad(w, reduce(w, aggregator))
        losses.append(loss)
        buf = f32(momentum * buf + g) if momentum else g
        w = f32(w - lr * buf)
    return w, losses


out = {'init': init.tolist()}
for aggregator in ['average', 'max']:
    w = init
    trajectory = [w.tolist()]
    for _ in range(3):
        w = self_apply(w, aggregator)
        trajectory.append(w.tolist())
    trained, losses = self_train(init, aggregator, 5, 0.04, 0.9)
    out[aggregator] = {'selfApplication': trajectory, 'selfTrain': {'weights': trained.tolist(), 'losses': losses}}
print(json.dumps(out))
