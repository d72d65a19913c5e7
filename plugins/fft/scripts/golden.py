"""Golden trajectories for fft-golden.test.ts, computed with numpy's FFT independently of srnn.

Default fft net (MLP 4 -> 2 -> 2 -> 4, linear, no bias, out-in), 20 weights; inputs are the lowest two
coefficients of numpy.fft.rfft (re0, im0, re1, im1); outputs are rebuilt with numpy.fft.irfft(n=20).
Weights (and momentum buffers) are rounded to float32 after every step, as srnn stores them.
Run: python3 plugins/fft/scripts/golden.py > plugins/fft/golden/fft-golden.json
"""
import json
import numpy as np

K, N = 4, 20
f32 = lambda a: np.asarray(a, np.float32).astype(np.float64)
init = f32(np.round(np.random.default_rng(2024).uniform(-1, 1, N) * 64) / 64)


def mats(w):
    return w[0:8].reshape(2, 4), w[8:12].reshape(2, 2), w[12:20].reshape(4, 2)


def reduce(w):
    X = np.fft.rfft(w)[:K // 2]
    return np.stack([X.real, X.imag], axis=1).ravel()


def expand(y):
    spectrum = np.zeros(N // 2 + 1, complex)
    spectrum[:K // 2] = y[0::2] + 1j * y[1::2]
    return np.fft.irfft(spectrum, N)


def self_apply(w):
    a, b, c = mats(w)
    return f32(expand(c @ (b @ (a @ reduce(w)))))


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


def self_train(w, steps, lr, momentum):
    buf = np.zeros(N)
    losses = []
    for _ in range(steps):
        g, loss = grad(w, reduce(w))
        losses.append(loss)
        buf = f32(momentum * buf + g) if momentum else g
        w = f32(w - lr * buf)
    return w, losses


w = init
trajectory = [w.tolist()]
for _ in range(3):
    w = self_apply(w)
    trajectory.append(w.tolist())
trained, losses = self_train(init, 5, 0.04, 0.9)
print(json.dumps({'init': init.tolist(), 'selfApplication': trajectory, 'selfTrain': {'weights': trained.tolist(), 'losses': losses}}))
