"""The evaluation kit, offline: skipped when the kit is not on this machine."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KIT = Path(os.environ.get("EVAL_KIT", ROOT.parent / "shared" / "eval"))
REGRESS = ROOT / "tests" / "eval"
RECALL3 = 0.95

pytestmark = pytest.mark.skipif(not (KIT / "score.py").is_file(), reason="no evaluation kit")


def _load(name: str, path: Path):  # noqa: ANN202 - a module
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.parametrize(
    ("name", "recall", "precision", "false_alerts"),
    [
        (KIT / "public", 0.95, 0.95, 1),
        (KIT / "public-hard", 0.9, 0.9, 99),
        (REGRESS / "regress1", 0.95, 0.95, 2),
        (REGRESS / "regress2", 0.95, 0.95, 2),
        (REGRESS / "regress3", RECALL3, 0.95, 2),
        (REGRESS / "regress4", 0.95, 0.9, 3),
        (REGRESS / "regress5", 0.9, 0.85, 4),
        (REGRESS / "regress6", 0.9, 0.85, 4),
    ],
    ids=[
        "public",
        "public-hard",
        "regress1",
        "regress2",
        "regress3",
        "regress4",
        "regress5",
        "regress6",
    ],  # fmt: skip
)
def test_eval_targets(name: Path, recall: float, precision: float, false_alerts: int) -> None:
    sys.path.insert(0, str(KIT))
    score = _load("kit_score", KIT / "score.py")
    offline = _load("eval_offline", ROOT / "scripts" / "eval_offline.py")
    topic = offline.load_topic((ROOT / "claimwatch/seeds/topic.toml").read_text(encoding="utf-8"))
    labels, reports = offline.run_set(name, score, topic)
    total = score.summarize(score.score_run(labels, reports))["total"]
    assert total["recall"] >= recall
    assert total["precision"] >= precision
    assert total["false_alerts"] <= false_alerts
