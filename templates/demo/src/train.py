"""train: a multinomial logistic regression fitted by mini-batch gradient descent.

Reads features/train.csv, writes model.json (weights and biases per label).
"""

import math
import random

from common import LABELS, log, read_params, read_rows, write_json


def load(path: str):
    """Feature vectors and label indices of a features CSV."""
    rows = read_rows(path)
    names = [name for name in rows[0] if name != "label"]
    return [[float(row[name]) for name in names] for row in rows], [LABELS.index(row["label"]) for row in rows]


def softmax(scores: list) -> list:
    """Probabilities from raw scores (numerically stable)."""
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [value / total for value in exps]


def main() -> None:
    params = read_params()
    rate = float(params["train"]["learning_rate"])
    epochs = int(params["train"]["epochs"])
    rng = random.Random(params["seed"])
    xs, ys = load("features/train.csv")
    columns = len(xs[0])
    weights = [[0.0] * columns for _ in LABELS]
    biases = [0.0] * len(LABELS)
    order = list(range(len(xs)))
    batch = 32
    for epoch in range(epochs):
        rng.shuffle(order)
        loss = 0.0
        for start in range(0, len(order), batch):
            grad_w = [[0.0] * columns for _ in LABELS]
            grad_b = [0.0] * len(LABELS)
            chunk = order[start:start + batch]
            for index in chunk:
                x = xs[index]
                probs = softmax([sum(w * v for w, v in zip(weights[k], x)) + biases[k] for k in range(len(LABELS))])
                loss -= math.log(max(probs[ys[index]], 1e-12))
                for k, prob in enumerate(probs):
                    error = prob - (1.0 if k == ys[index] else 0.0)
                    grad_b[k] += error
                    row = grad_w[k]
                    for j, value in enumerate(x):
                        row[j] += error * value
            scale = rate / len(chunk)
            for k in range(len(LABELS)):
                biases[k] -= scale * grad_b[k]
                for j in range(columns):
                    weights[k][j] -= scale * grad_w[k][j]
        if epoch == epochs - 1 or epoch % 5 == 0:
            log(f"train: epoch {epoch + 1}/{epochs} loss {loss / len(xs):.4f}")
    write_json("model.json", {
        "labels": LABELS,
        "weights": [[round(w, 6) for w in row] for row in weights],
        "biases": [round(b, 6) for b in biases],
    })


if __name__ == "__main__":
    main()
