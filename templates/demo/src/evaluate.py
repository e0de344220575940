"""evaluate: scores the model on the test split.

Reads model.json and features/test.csv, writes metrics.json (accuracy, loss, per-label F1) and
predictions.csv (actual,predicted per row: a confusion-matrix plot).
"""

import json
import math

from common import LABELS, log, read_rows, write_json, write_rows


def main() -> None:
    with open("model.json") as handle:
        model = json.load(handle)
    rows = read_rows("features/test.csv")
    names = [name for name in rows[0] if name != "label"]
    predictions = []
    loss = 0.0
    for row in rows:
        x = [float(row[name]) for name in names]
        scores = [sum(w * v for w, v in zip(weights, x)) + bias for weights, bias in zip(model["weights"], model["biases"])]
        top = max(scores)
        total = sum(math.exp(score - top) for score in scores)
        actual = LABELS.index(row["label"])
        loss -= scores[actual] - top - math.log(total)
        predictions.append((row["label"], LABELS[scores.index(top)]))

    correct = sum(actual == predicted for actual, predicted in predictions)
    f1 = {}
    for label in LABELS:
        tp = sum(a == label and p == label for a, p in predictions)
        fp = sum(a != label and p == label for a, p in predictions)
        fn = sum(a == label and p != label for a, p in predictions)
        f1[label] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
    metrics = {"accuracy": round(correct / len(predictions), 4), "loss": round(loss / len(predictions), 4), "f1": f1}
    write_json("metrics.json", metrics)
    write_rows("predictions.csv", ["actual", "predicted"], predictions)
    log(f"evaluate: accuracy {metrics['accuracy']}")


if __name__ == "__main__":
    main()
