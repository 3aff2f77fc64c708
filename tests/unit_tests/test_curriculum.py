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
    # skills a 2026 ML-engineering job asks for beyond the guides (issue #15)
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
