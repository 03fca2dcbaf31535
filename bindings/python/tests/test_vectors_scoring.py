"""scoring.json through the Python API (the Rust runner: tests/vectors_scoring.rs)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import realestate_crm as crm
from conftest import Report, load


def milli(x: Any) -> int | None:
    return None if x is None else round(float(x) * 1000)


def test_scoring_vectors() -> None:
    doc = load("scoring.json")
    cases = doc["cases"]
    assert len(cases) >= 140
    r = Report()
    per: dict[str, int] = {}
    for case in cases:
        cid = r.id(case)
        per[case["feature"]] = per.get(case["feature"], 0) + 1
        expect = case["expect"]
        if "errors" in expect:
            try:
                crm.Scorer(case["rules"])
                r.fail(cid, "the rule set was accepted")
            except crm.ValidationError as e:
                got = [{"path": f["path"], "code": f["code"]} for f in e.errors]
                if got != expect["errors"]:
                    r.fail(cid, f"expected {expect['errors']}, got {got}")
            continue
        scorer = crm.Scorer(case["rules"])
        now = dt.datetime.fromisoformat(case["now"].replace("Z", "+00:00"))
        lead = crm.Lead.from_dict(case["lead"])
        s = scorer.score(lead, now, [crm.Activity.from_dict(a) for a in case["activities"]],
                         crm.Property.from_dict(case["property"]) if case["property"] else None)
        diffs = []
        if s.lead_id != lead.id:
            diffs.append("lead_id")
        for key in ("fit", "engagement", "score"):
            if key in expect and milli(expect[key]) != milli(s[key]):
                diffs.append(f"{key}: expected {expect[key]}, got {s[key]}")
        if "band" in expect and expect["band"] != s.band:
            diffs.append(f"band: expected {expect['band']}, got {s.band}")
        if "reasons" in expect:
            want, got = expect["reasons"], s.reasons
            if len(want) != len(got):
                diffs.append(f"reasons: expected {want}, got {got}")
            else:
                for w, g in zip(want, got):
                    for k, v in w.items():
                        same = milli(v) == milli(g.get(k)) if k in ("points", "after_decay", "after_caps") else v == g.get(k)
                        if not same:
                            diffs.append(f"reason {w['rule']}.{k}: expected {v}, got {g.get(k)}")
        if diffs:
            r.fail(cid, "; ".join(diffs))
    for feature, least in {"fit": 50, "consent": 8, "engagement": 6, "decay": 10, "caps": 8,
                           "score": 12, "order": 2, "default": 4, "invalid": 12}.items():
        assert per.get(feature, 0) >= least, feature
    r.finish("scoring", len(cases))


def test_score_table_matches_single_scores() -> None:
    doc = load("scoring.json")
    cases = [c for c in doc["cases"] if c["rules"] == "default" and "errors" not in c["expect"]]
    scorer = crm.Scorer("default")
    now = dt.datetime(2026, 11, 26, 9, tzinfo=dt.timezone.utc)
    assert len(cases) >= 4
    for c in cases:
        # The default cases share one lead id, so each is its own book here.
        table = scorer.score_table([c["lead"]], now, c["activities"], [c["property"]], full=True)
        single = scorer.score(c["lead"], now, c["activities"], c["property"])
        assert table["score"] == [single.score]
        assert table["band"] == [single.band]
        assert table["lead_id"] == [str(single.lead_id)]
        assert table["details"][0] == single.to_dict()
