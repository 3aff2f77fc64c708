"""Cards to and from Anki, proved against what Anki itself reads and writes.

The fixture `tests/fixtures/anki-notes.txt` is in Anki's "Notes in Plain Text" export
format (Anki 2.1.55 and later: GUID, note type and deck columns, HTML fields): basic and
cloze notes, an image, a sound, lists and MathJax. The .apkg export is read back as what it
is, a zip holding an SQLite collection, and imported with Anki's own library (`anki`).
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from mlplanner.cli import main
from mlplanner.services.anki_html import cloze_cards, html_to_markdown
from mlplanner.store.models import CardRecord

FIXTURE = Path(__file__).parents[1] / "fixtures" / "anki-notes.txt"
DECK_MAP = [
    "--deck-map",
    "ML::Linear algebra=linear-algebra",
    "--deck-map",
    "ML::Calculus=calculus-optimization",
]


def user_cards(db: Path) -> list[CardRecord]:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(CardRecord.__table__)  # type: ignore[attr-defined]
                .where(CardRecord.__table__.c.origin == "user")  # type: ignore[attr-defined]
                .order_by(CardRecord.__table__.c.topic_id, CardRecord.__table__.c.position)  # type: ignore[attr-defined]
            ).all()
    finally:
        engine.dispose()
    return [CardRecord(**row._mapping) for row in rows]


# --- HTML and cloze, piece by piece ---------------------------------------------------


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<div>one</div><div>two</div>", "one\\\ntwo"),
        ("one<br>two<br />three", "one\\\ntwo\\\nthree"),
        ("<p>first</p><p>second</p>", "first\n\nsecond"),
        ("a<br><br>b", "a\n\nb"),
        (
            "<b>bold</b>, <strong>strong</strong>, <i>it</i>, <em>em</em>",
            "**bold**, **strong**, *it*, *em*",
        ),
        ("call <code>f(x)</code>", "call `f(x)`"),
        ("x&nbsp;=&nbsp;1 &amp; y &lt; 2", "x = 1 & y < 2"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("Steps:<ol><li>a</li><li>b</li></ol>done", "Steps:\n\n1. a\n2. b\n\ndone"),
        ('<img src="diagram.png">', "[image: diagram.png]"),
        ("[sound:word.mp3]", "[sound: word.mp3]"),
        ("\\(a^2 + b^2\\) and \\[\\sum_i x_i\\]", "\\(a^2 + b^2\\) and \\[\\sum_i x_i\\]"),
        ("<pre>def f():\n    return 1</pre>", "```\ndef f():\n    return 1\n```"),
    ],
)
def test_anki_html_becomes_markdown(html, markdown):
    assert html_to_markdown(html) == markdown


def test_hard_breaks_render_as_line_breaks():
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(html_to_markdown("<div>one</div><div>two</div>"))
    assert rendered == "<p>one<br />\ntwo</p>\n"


def test_a_cloze_note_is_one_card_per_number():
    cards = cloze_cards(
        "{{c1::Paris}} is the capital of {{c2::France::country}}; {{c1::it}} is big."
    )
    assert [(c.number, c.front, c.back) for c in cards] == [
        (
            1,
            "[...] is the capital of France; [...] is big.",
            "Paris is the capital of France; it is big.",
        ),
        (
            2,
            "Paris is the capital of [country]; it is big.",
            "Paris is the capital of France; it is big.",
        ),
    ]
    assert cloze_cards("{{c1::x}}", "more")[0].back == "x\n\nmore"


# --- The Anki fixture, field by field ---------------------------------------------------


def test_anki_text_export_is_imported_field_by_field(tmp_path, capsys):
    db = tmp_path / "planner.db"
    assert main(["import", "cards", str(FIXTURE), *DECK_MAP, "--db", str(db)]) == 0
    assert f"{FIXTURE}: added 6 card(s)" in capsys.readouterr().out
    got = [(c.topic_id, c.front, c.back, c.tags) for c in user_cards(db)]
    assert got == [
        (
            "calculus-optimization",
            "Chain rule?",
            "\\[\\frac{dy}{dx} = \\frac{dy}{du}\\frac{du}{dx}\\]\\\nUse it *inside out*.",
            "calculus",
        ),
        (
            "calculus-optimization",
            "[image: gradient-descent.png]",
            "Gradient descent, step by step:\n\n1. compute `grad`\n2. step against it",
            "calculus",
        ),
        ("calculus-optimization", "[sound: derivative.mp3]", "the derivative", "calculus audio"),
        (
            "linear-algebra",
            "What is a **basis**?",
            "A set of vectors that is\n\n- linearly independent\n- spans the space",
            "linalg definitions",
        ),
        (
            "linear-algebra",
            "The [...] of a 2×2 matrix is \\(ad - bc\\)",
            "The determinant of a 2×2 matrix is \\(ad - bc\\)",
            "linalg",
        ),
        (
            "linear-algebra",
            "The determinant of a [size] matrix is \\(ad - bc\\)",
            "The determinant of a 2×2 matrix is \\(ad - bc\\)",
            "linalg",
        ),
    ]
    assert main(["import", "cards", str(FIXTURE), *DECK_MAP, "--db", str(db)]) == 0
    assert "added 0 card(s), 6 already there" in capsys.readouterr().out


def test_a_deck_map_to_an_unknown_topic_is_refused_with_suggestions(tmp_path, capsys):
    db = tmp_path / "planner.db"
    args = ["import", "cards", str(FIXTURE), "--deck-map", "ML::Calculus=linear-algbra"]
    assert main([*args, "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "no topic 'linear-algbra'; did you mean linear-algebra" in err
    assert user_cards(db) == []


def test_without_a_topic_for_a_deck_the_rows_are_reported_by_line(tmp_path, capsys):
    db = tmp_path / "planner.db"
    args = ["import", "cards", str(FIXTURE), "--deck-map", "ML::Calculus=calculus-optimization"]
    assert main([*args, "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"{FIXTURE}:7: no topic: pass --topic ID or --deck-map DECK=TOPIC" in err
    assert len(user_cards(db)) == 3


# --- Export: text, round trip ----------------------------------------------------------


def test_text_export_round_trips_into_a_fresh_database(tmp_path, capsys):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    assert main(["import", "cards", str(FIXTURE), *DECK_MAP, "--db", str(first)]) == 0
    out = tmp_path / "cards.txt"
    assert main(["export", "cards", "--stage", "math", "-o", str(out), "--db", str(first)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith(
        "#separator:tab\n#html:false\n#guid column:1\n#notetype column:2\n"
        "#deck column:3\n#tags column:6\n"
    )
    assert "\tmlplanner::Mathematics and statistics::Linear algebra\t" in text
    capsys.readouterr()
    # The fresh database knows the topics by the decks' names: no --topic needed.
    assert main(["import", "cards", str(out), "--db", str(second)]) == 0
    before = {(c.topic_id, c.front, c.back, c.tags) for c in user_cards(first)}
    after = {(c.topic_id, c.front, c.back, c.tags) for c in user_cards(second)}
    assert before and before <= after
    engine = create_engine(f"sqlite:///{first}")
    with engine.connect() as connection:
        math_cards = connection.execute(
            select(
                CardRecord.__table__.c.front,
                CardRecord.__table__.c.back,
                CardRecord.__table__.c.tags,
            ).where(  # type: ignore[attr-defined]
                CardRecord.__table__.c.topic_id.in_(
                    [
                        "linear-algebra",
                        "calculus-optimization",
                        "probability",
                        "statistics-inference",
                    ]
                )
            )  # type: ignore[attr-defined]
        ).all()
    engine.dispose()
    assert {tuple(r) for r in math_cards} <= {(c.front, c.back, c.tags) for c in user_cards(second)}


def test_export_of_one_topic_and_unknown_names(tmp_path, capsys):
    db = tmp_path / "planner.db"
    assert main(["import", "cards", str(FIXTURE), *DECK_MAP, "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["export", "cards", "--topic", "calculus-optimization", "--db", str(db)]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "\tBasic\t" in line]
    assert lines and all("::Calculus and optimisation\t" in line for line in lines)
    assert main(["export", "cards", "--topic", "calculus-optimisatio", "--db", str(db)]) == 2
    assert "no topic" in capsys.readouterr().err
    assert main(["export", "cards", "--stage", "nope", "--db", str(db)]) == 2
    assert main(["export", "cards", "-o", str(tmp_path / "x.csv"), "--db", str(db)]) == 2


# --- Export: the Anki package ----------------------------------------------------------


@pytest.fixture
def apkg(tmp_path) -> Path:
    db = tmp_path / "planner.db"
    assert main(["import", "cards", str(FIXTURE), *DECK_MAP, "--db", str(db)]) == 0
    out = tmp_path / "cards.apkg"
    assert main(["export", "cards", "--stage", "math", "-o", str(out), "--db", str(db)]) == 0
    return out


def test_apkg_is_a_zip_with_an_sqlite_collection(apkg, tmp_path):
    with zipfile.ZipFile(apkg) as package:
        assert "collection.anki2" in package.namelist()
        (tmp_path / "collection.anki2").write_bytes(package.read("collection.anki2"))
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = connection.execute("SELECT id, guid, flds, tags FROM notes").fetchall()
        cards = connection.execute("SELECT nid, did FROM cards").fetchall()
        decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
    finally:
        connection.close()
    assert len(cards) == len(notes) and {nid for nid, _ in cards} == {n[0] for n in notes}
    names = {int(d["id"]): d["name"] for d in decks.values()}
    assert "mlplanner::Mathematics and statistics::Linear algebra" in names.values()
    assert "mlplanner::Mathematics and statistics::Calculus and optimisation" in names.values()
    by_front = {
        flds.split("\x1f")[0]: (flds.split("\x1f"), tags.split()) for _, _, flds, tags in notes
    }
    fields, tags = by_front["<p>What is a <strong>basis</strong>?</p>"]
    assert len(fields) == 2 and sorted(tags) == ["definitions", "linalg"]
    assert fields[1] == (
        "<p>A set of vectors that is</p>\n<ul>\n<li>linearly independent</li>\n"
        "<li>spans the space</li>\n</ul>"
    )
    fields, _ = by_front["<p>Chain rule?</p>"]
    assert fields[1] == (
        "<p>\\[\\frac{dy}{dx} = \\frac{dy}{du}\\frac{du}{dx}\\]<br />\nUse it <em>inside out</em>.</p>"
    )
    deck_of = {nid: names[did] for nid, did in cards}
    note_ids = {flds.split("\x1f")[0]: nid for nid, _, flds, _ in notes}
    assert deck_of[note_ids["<p>[sound: derivative.mp3]</p>"]].endswith(
        "::Calculus and optimisation"
    )


@pytest.mark.slow
def test_apkg_imports_into_anki_and_a_second_export_updates_the_notes(apkg, tmp_path):
    collection_module = pytest.importorskip(
        "anki.collection", reason="Anki's library (anki) is not installed"
    )
    from anki.import_export_pb2 import ImportAnkiPackageOptions

    (tmp_path / "anki").mkdir()
    collection = collection_module.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        options = ImportAnkiPackageOptions(update_notes=1, with_scheduling=False)  # 1: if newer
        request = collection_module.ImportAnkiPackageRequest(
            package_path=str(apkg), options=options
        )
        log = collection.import_anki_package(request)
        count = collection.note_count()
        assert count == len(log.log.new) > 6
        decks = {d.name for d in collection.decks.all_names_and_ids()}
        assert "mlplanner::Mathematics and statistics::Linear algebra" in decks
        [nid] = collection.find_notes(
            '"deck:mlplanner::Mathematics and statistics::Linear algebra" tag:definitions'
        )
        note = collection.get_note(nid)
        assert note["Front"] == "<p>What is a <strong>basis</strong>?</p>"
        assert sorted(note.tags) == ["definitions", "linalg"]
        cloze_fronts = [
            collection.get_note(n)["Front"] for n in collection.find_notes('"Front:*[...]*"')
        ]
        assert cloze_fronts == ["<p>The [...] of a 2×2 matrix is \\(ad - bc\\)</p>"]
        # The same export again: Anki recognises every note by its GUID and adds none.
        again = collection.import_anki_package(request)
        assert collection.note_count() == count and not again.log.new
    finally:
        collection.close()


@pytest.mark.slow
def test_anki_reads_the_text_export(tmp_path, capsys):
    collection_module = pytest.importorskip(
        "anki.collection", reason="Anki's library (anki) is not installed"
    )
    db = tmp_path / "planner.db"
    assert main(["import", "cards", str(FIXTURE), *DECK_MAP, "--db", str(db)]) == 0
    out = tmp_path / "cards.txt"
    assert (
        main(["export", "cards", "--topic", "linear-algebra", "-o", str(out), "--db", str(db)]) == 0
    )
    (tmp_path / "anki").mkdir()
    collection = collection_module.Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        metadata = collection.get_csv_metadata(str(out), None)
        assert metadata.delimiter == collection_module.Delimiter.TAB
        assert not metadata.is_html
        assert metadata.guid_column == 1 and metadata.tags_column == 6
        assert metadata.notetype_column == 2 and metadata.deck_column == 3
        collection.import_csv(collection_module.ImportCsvRequest(path=str(out), metadata=metadata))
        [nid] = collection.find_notes("tag:definitions")
        note = collection.get_note(nid)
        assert note.fields[0] == "What is a **basis**?"
        assert sorted(note.tags) == ["definitions", "linalg"]
        assert collection.decks.name(note.cards()[0].did) == (
            "mlplanner::Mathematics and statistics::Linear algebra"
        )
    finally:
        collection.close()


@pytest.mark.slow
def test_an_export_written_by_anki_itself_is_imported(tmp_path, capsys):
    """Anki's own library writes "Notes in Plain Text" (basic and cloze notes, HTML, a
    subdeck, tags); the import reads it as the fixture is read."""
    collection_module = pytest.importorskip(
        "anki.collection", reason="Anki's library (anki) is not installed"
    )
    (tmp_path / "anki").mkdir()
    collection = collection_module.Collection(str(tmp_path / "anki" / "collection.anki2"))
    exported = tmp_path / "notes.txt"
    try:
        deck = collection.decks.id("ML::Linear algebra::Bases")
        note = collection.new_note(collection.models.by_name("Basic"))
        note["Front"] = "What is a <b>basis</b>?"
        note["Back"] = "<div>A set that is</div><ul><li>independent</li><li>spanning</li></ul>"
        note.tags = ["linalg"]
        collection.add_note(note, deck)
        note = collection.new_note(collection.models.by_name("Cloze"))
        note["Text"] = "The {{c1::determinant}} of a {{c2::2×2::size}} matrix&nbsp;is \\(ad-bc\\)"
        note["Back Extra"] = '<img src="det.png">'
        note.tags = ["linalg", "cloze"]  # Anki writes them sorted
        collection.add_note(note, deck)
        assert (
            collection.export_note_csv(
                out_path=str(exported),
                limit=collection_module.DeckIdLimit(deck),
                with_html=True,
                with_tags=True,
                with_deck=True,
                with_notetype=True,
                with_guid=True,
            )
            == 2
        )
    finally:
        collection.close()
    db = tmp_path / "planner.db"
    args = ["import", "cards", str(exported), "--deck-map", "ML::Linear algebra=linear-algebra"]
    assert main([*args, "--db", str(db)]) == 0
    assert f"{exported}: added 3 card(s)" in capsys.readouterr().out
    back = "The determinant of a 2×2 matrix is \\(ad-bc\\)\n\n[image: det.png]"
    assert sorted((c.front, c.back, c.tags) for c in user_cards(db)) == [
        ("The [...] of a 2×2 matrix is \\(ad-bc\\)", back, "cloze linalg"),
        ("The determinant of a [size] matrix is \\(ad-bc\\)", back, "cloze linalg"),
        ("What is a **basis**?", "A set that is\n\n- independent\n- spanning", "linalg"),
    ]
    assert {c.topic_id for c in user_cards(db)} == {"linear-algebra"}
