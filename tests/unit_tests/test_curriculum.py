"""The bundled curriculum itself: complete, consistent and well-formed."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from mlplanner.curriculum import bundled_content_dir, check_directory

NON_TECHNICAL = {
    "github-portfolio",
    "open-source",
    "technical-writing",
    "cert-google-ml-engineer",
    "cert-aws-ml",
    "cert-azure-ai-engineer",
    "cert-ibm-data-science",
    "cert-deep-learning-specialization",
    "practical-experience",
    "resume-applications",
    "behavioural-interviews",
    "communication-collaboration",
    "reading-papers",
    "communities",
    "conferences",
}

REQUIRED_TOPICS = {
    # programming foundations
    "python-basics", "data-structures-algorithms", "software-engineering", "git-github",
    # mathematics and statistics
    "linear-algebra", "calculus-optimization", "probability", "statistics-inference",
    # data handling
    "numpy", "pandas", "data-visualization", "sql-databases", "data-collection-cleaning",
    "feature-engineering", "big-data-spark",
    # core ML
    "supervised-learning", "unsupervised-learning", "reinforcement-learning", "model-evaluation",
    "dimensionality-reduction", "scikit-learn",
    # deep learning
    "neural-networks", "cnns", "rnns", "transformers", "pytorch", "tensorflow-keras",
    # MLOps
    "model-serving", "docker", "kubernetes", "ci-cd", "monitoring-retraining", "cloud-platforms",
    # projects
    "first-ml-projects", "kaggle", "github-portfolio", "open-source", "technical-writing",
    # specialisations and industries
    "nlp", "computer-vision", "ml-healthcare", "ml-finance", "autonomous-robotics", "climate-ml",
    # certifications
    "cert-google-ml-engineer", "cert-aws-ml", "cert-azure-ai-engineer", "cert-ibm-data-science",
    # job search
    "coding-interviews", "ml-system-design", "behavioural-interviews",
    # continuous learning
    "reading-papers", "communities", "conferences",
    # skills a 2026 ML-engineering job asks for beyond the guides
    "linux-shell", "information-theory", "numerical-computing", "data-warehouses-streaming",
    "time-series-forecasting", "optimizers-training-dynamics", "gpu-basics", "generative-models",
    "debugging-ml", "llm-applications", "vector-search", "rag-systems", "llm-evaluation",
    "llm-fine-tuning", "infrastructure-as-code", "ml-testing", "feature-stores", "responsible-ai",
    "distributed-training", "model-compression", "inference-optimization",
}  # fmt: skip


@pytest.fixture(scope="module")
def curriculum():
    loaded, problems = check_directory(bundled_content_dir())
    assert problems == [], "\n".join(map(str, problems))
    return loaded


def test_every_required_subject_has_a_topic(curriculum):
    ids = {t.id for t in curriculum.topics}
    assert REQUIRED_TOPICS - ids == set()
    assert NON_TECHNICAL - ids == set()


def test_ids_are_unique_per_kind(curriculum):
    for items in (curriculum.stages, curriculum.topics, curriculum.resources, curriculum.cards):
        counts = Counter(item.id for item in items)
        assert [i for i, n in counts.items() if n > 1] == []


def test_prerequisites_resolve_and_every_topic_is_reachable_from_the_roots(curriculum):
    topics = {t.id: t for t in curriculum.topics}
    roots = [t.id for t in curriculum.topics if not t.prerequisites]
    assert len(roots) >= 3
    reached: set[str] = set()
    changed = True
    while changed:
        changed = False
        for topic in topics.values():
            if topic.id not in reached and all(p in reached for p in topic.prerequisites):
                reached.add(topic.id)
                changed = True
    assert set(topics) - reached == set()  # also proves there is no cycle


def test_the_roadmap_is_a_graph_not_a_line(curriculum):
    topics = curriculum.topics
    assert sum(len(t.prerequisites) >= 2 for t in topics) >= 10
    dependents = Counter(p for t in topics for p in t.prerequisites)
    assert max(dependents.values()) >= 3


def test_each_topic_is_complete(curriculum):
    for topic in curriculum.topics:
        assert topic.summary and topic.hours > 0, topic.id
        assert 3 <= len(topic.objectives) <= 6, topic.id
        assert len(topic.resources) >= 3, topic.id
        minimum = 3 if topic.id in NON_TECHNICAL else 8
        assert len(topic.cards) >= minimum, (topic.id, len(topic.cards))


def test_card_totals(curriculum):
    assert len(curriculum.cards) >= 300


def test_urls_are_https_and_well_formed(curriculum):
    for resource in curriculum.resources:
        parts = urlsplit(resource.url)
        assert parts.scheme == "https", resource.url
        assert re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}", parts.hostname or ""), resource.url
        assert " " not in resource.url, resource.url


def test_cards_are_distinct_and_non_empty(curriculum):
    fronts = Counter(card.front.strip().lower() for card in curriculum.cards)
    assert [f for f, n in fronts.items() if n > 1] == []
    for card in curriculum.cards:
        assert card.front.strip() and card.back.strip(), card.id
        assert card.front.strip() != card.back.strip(), card.id


def test_coverage_table_names_real_topics(curriculum):
    text = (bundled_content_dir() / "COVERAGE.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| 00\d \|", line)]
    assert len(rows) >= 100
    ids = {t.id for t in curriculum.topics}
    named = {i.strip() for row in rows for i in row.rsplit("|", 2)[-2].split(",")}
    assert named - ids == set()
    for guide in ("000", "001", "002", "003", "004"):
        assert any(row.startswith(f"| {guide} |") for row in rows), guide


# --- Order, depth, consistency and the audit log -------------------------------------------
#
# Each check is a small function over plain attributes, so the tests below can show it
# catching a planted defect as well as passing on the bundled content.

CARD_ID = re.compile(r"[a-z0-9][a-z0-9-]*-\d{2}")
AUDIT_ID = re.compile(r"`([^`\s]+)`")
DELETED_ITEM = re.compile(r"\s*[-*]\s+`([^`\s]+)`")


def forward_prerequisites(stages):
    """(topic, prerequisite) pairs where the prerequisite sits in a later stage."""
    order = {topic.id: stage.order for stage in stages for topic in stage.topics}
    return sorted(
        (topic.id, prereq)
        for stage in stages
        for topic in stage.topics
        for prereq in topic.prerequisites
        if prereq in order and order[prereq] > stage.order
    )


def thin_topics(topics, non_technical=NON_TECHNICAL):
    """Technical topics with fewer than 8 cards or fewer than 3 resources."""
    return sorted(
        (topic.id, len(topic.cards), len(topic.resources))
        for topic in topics
        if topic.id not in non_technical and (len(topic.cards) < 8 or len(topic.resources) < 3)
    )


def conflicting_urls(resources):
    """URLs that appear with more than one (hours, kind) pair."""
    seen: dict[str, set[tuple[float, str]]] = {}
    for resource in resources:
        seen.setdefault(resource.url, set()).add((float(resource.hours), resource.kind))
    return sorted(url for url, variants in seen.items() if len(variants) > 1)


def audit_card_ids(text):
    """Card ids named in an audit log: (named outside 'Deleted cards', listed as deleted).

    Convention: ids are written in backticks and card ids end in a two-digit number. Under
    the heading '## Deleted cards' (up to the next '## ' heading) each list item starts with
    the deleted card's id (``- `kaggle-08` — reason``); any other id on that line, such as
    its replacement, counts as named.
    """
    named: set[str] = set()
    deleted: set[str] = set()
    section = None
    for line in text.splitlines():
        if line.startswith("## "):
            section = line[3:].strip().lower()
            continue
        tokens = [t for t in AUDIT_ID.findall(line) if CARD_ID.fullmatch(t)]
        item = DELETED_ITEM.match(line)
        if section == "deleted cards" and item and CARD_ID.fullmatch(item.group(1)):
            deleted.add(item.group(1))
            tokens.remove(item.group(1))
        named.update(tokens)
    return named, deleted


def audit_problems(text, card_ids):
    named, deleted = audit_card_ids(text)
    return {
        "named but missing": sorted(named - card_ids - deleted),
        "deleted but still present": sorted(deleted & card_ids),
    }


def _topic(id, prerequisites=(), cards=8, resources=3):
    from types import SimpleNamespace

    return SimpleNamespace(
        id=id,
        prerequisites=tuple(prerequisites),
        cards=[None] * cards,
        resources=[None] * resources,
    )


def _stage(order, *topics):
    from types import SimpleNamespace

    return SimpleNamespace(order=order, topics=topics)


def test_no_prerequisite_is_taught_in_a_later_stage(curriculum):
    assert forward_prerequisites(curriculum.stages) == []


def test_the_forward_prerequisite_check_catches_a_forward_edge():
    stages = [
        _stage(10, _topic("a"), _topic("b", ["a", "c"])),
        _stage(20, _topic("c", ["b"]), _topic("d", ["c"])),
    ]
    assert forward_prerequisites(stages) == [("b", "c")]


def test_every_technical_topic_has_at_least_8_cards_and_3_resources(curriculum):
    assert thin_topics(curriculum.topics) == []


def test_the_depth_check_catches_a_thin_technical_topic_but_not_a_non_technical_one():
    topics = [_topic("deep"), _topic("few-cards", cards=7), _topic("few-links", resources=2)]
    topics.append(_topic("conferences", cards=3))
    assert thin_topics(topics) == [("few-cards", 7, 3), ("few-links", 8, 2)]


def test_a_url_always_carries_the_same_hours_and_kind(curriculum):
    assert conflicting_urls(curriculum.resources) == []


def test_the_url_check_catches_different_hours_or_kind():
    from types import SimpleNamespace as R

    resources = [
        R(url="https://a.example", hours=4, kind="book"),
        R(url="https://a.example", hours=4.0, kind="book"),
        R(url="https://b.example", hours=4, kind="book"),
        R(url="https://b.example", hours=6, kind="book"),
        R(url="https://c.example", hours=1, kind="docs"),
        R(url="https://c.example", hours=1, kind="article"),
    ]
    assert conflicting_urls(resources) == ["https://b.example", "https://c.example"]


def test_the_audit_log_names_only_cards_that_exist_or_are_listed_as_deleted(curriculum):
    text = (bundled_content_dir() / "AUDIT.md").read_text(encoding="utf-8")
    assert "2026-11-30" in text
    named, deleted = audit_card_ids(text)
    assert named and deleted  # the convention is in use, so the check below means something
    card_ids = {card.id for card in curriculum.cards}
    assert audit_problems(text, card_ids) == {
        "named but missing": [],
        "deleted but still present": [],
    }


def test_the_audit_check_catches_unknown_and_undeleted_ids():
    text = "\n".join(
        [
            "# Audit",
            "## Stage one",
            "- `alpha-01` rewritten; `beta-02` fixed; `gamma-03` removed; `some-resource` replaced",
            "## Deleted cards",
            "- `gamma-03` — trivia; replaced by `beta-02`",
            "- `alpha-01` — listed by mistake; replaced by `epsilon-05`",
            "## Notes",
            "- `delta-04` mentioned after the list",
        ]
    )
    assert audit_problems(text, {"alpha-01", "beta-02"}) == {
        "named but missing": ["delta-04", "epsilon-05"],
        "deleted but still present": ["alpha-01"],
    }


ROLE_PATHS = ("ml-engineer", "mlops-engineer", "llm-engineer")


def test_the_bundled_paths(curriculum):
    assert [p.id for p in curriculum.paths] == [*ROLE_PATHS, "everything"]
    assert curriculum.default_path.id == "ml-engineer"
    assert {g.id for g in curriculum.electives} == {"specialisation", "certification"}
    specialisation = curriculum.find_group("specialisation")
    assert set(specialisation.topics) == {t.id for t in curriculum.stage("specialisations").topics}
    assert (specialisation.min_picks, specialisation.max_picks) == (1, 1)
    certification = curriculum.find_group("certification")
    assert (certification.min_picks, certification.max_picks) == (0, 1)
    assert set(curriculum.stage("certifications").topics) <= {
        curriculum.topic(t) for t in certification.topics
    }


@pytest.mark.parametrize("path_id", ROLE_PATHS)
def test_each_role_path_with_its_default_electives_is_at_most_1500_hours(curriculum, path_id):
    path = curriculum.find_path(path_id)
    assert curriculum.path_hours(path) <= 1500
    assert curriculum.path_hours(path) >= 1000  # not a token path either
    for offer in path.electives:
        assert curriculum.offered(path, curriculum.find_group(offer.group))


def test_everything_is_every_topic_and_says_so(curriculum):
    path = curriculum.find_path("everything")
    assert curriculum.path_topic_ids(path) == {t.id for t in curriculum.topics}
    assert "Every topic" in path.summary


def test_role_paths_drop_what_their_role_does_not_need(curriculum):
    def on(path_id):
        return curriculum.path_topic_ids(curriculum.find_path(path_id))

    assert {"reinforcement-learning", "big-data-spark"}.isdisjoint(on("llm-engineer"))
    assert {"rag-systems", "llm-fine-tuning", "nlp"} <= on("llm-engineer")
    assert {"kubernetes", "infrastructure-as-code", "feature-stores"} <= on("mlops-engineer")
    assert "llm-fine-tuning" not in on("ml-engineer")
    for path_id in ROLE_PATHS:  # certifications are optional: none by default
        assert not {t for t in on(path_id) if t.startswith("cert-")}
