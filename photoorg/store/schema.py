"""The catalog schema, as an ordered list of migrations.

Migration N brings a catalog from ``PRAGMA user_version`` N-1 to N inside one
transaction, so a crash mid-migration leaves the previous version intact. A catalog whose
user_version is higher than ``len(MIGRATIONS)`` was written by a newer PhotoOrg and is
refused rather than guessed at. (A user_version counter is all the bookkeeping this needs:
it is atomic with the DDL and needs no extra table or package.)
"""

from __future__ import annotations

from photoorg.store.events import EVENTS_SCHEMA
from photoorg.store.places import PLACES_SCHEMA

M001_INITIAL = """
CREATE TABLE roots (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    online INTEGER NOT NULL DEFAULT 1,
    added_at TEXT NOT NULL
);

-- One row per photo file. `id` is the photo's identity: it survives renames and
-- moves (recognised by sha256), so embeddings, tags and albums follow the file.
CREATE TABLE photos (
    id INTEGER PRIMARY KEY,
    root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
    path TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    orientation INTEGER NOT NULL DEFAULT 1,
    taken_at TEXT NOT NULL,
    taken_at_source TEXT NOT NULL CHECK (taken_at_source IN ('exif', 'file')),
    camera_make TEXT,
    camera_model TEXT,
    lens TEXT,
    iso INTEGER,
    f_number REAL,
    exposure_time REAL,
    focal_length REAL,
    gps_lat REAL,
    gps_lon REAL,
    keywords TEXT NOT NULL DEFAULT '[]',
    offline INTEGER NOT NULL DEFAULT 0,
    scanned_at TEXT NOT NULL
);
CREATE INDEX photos_sha256 ON photos(sha256);
CREATE INDEX photos_folder ON photos(folder);
CREATE INDEX photos_taken_at ON photos(taken_at);
CREATE INDEX photos_root ON photos(root_id);

-- Files that could not be read. Keyed by path; size and mtime let an unchanged
-- broken file be skipped on the next scan instead of failing again.
CREATE TABLE scan_errors (
    path TEXT PRIMARY KEY,
    root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
    size INTEGER,
    mtime_ns INTEGER,
    error TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Normalised float32 image embeddings, one per photo and model.
CREATE TABLE embeddings (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (photo_id, model)
) WITHOUT ROWID;
CREATE INDEX embeddings_model ON embeddings(model);

CREATE TABLE labels (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    parent TEXT,
    prompts TEXT NOT NULL DEFAULT '[]',
    negative_prompts TEXT NOT NULL DEFAULT '[]',
    threshold REAL NOT NULL DEFAULT 0.25,
    enabled INTEGER NOT NULL DEFAULT 1,
    exclusive_group TEXT
);

-- source: auto (zero-shot), confirmed, rejected, manual, imported (file keywords).
CREATE TABLE tags (
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
    source TEXT NOT NULL
        CHECK (source IN ('auto', 'confirmed', 'rejected', 'manual', 'imported')),
    score REAL,
    probability REAL,
    PRIMARY KEY (photo_id, label_id)
) WITHOUT ROWID;
CREATE INDEX tags_label ON tags(label_id, source);

-- An album with a query is a smart album (a saved search).
CREATE TABLE albums (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE album_photos (
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    PRIMARY KEY (album_id, photo_id)
) WITHOUT ROWID;

-- Small facts about the catalog: the vector index manifest, the model in use.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

M002_TAGGING = """
-- A label whose threshold is learned from the library and its examples rather than set
-- by hand. (A flag, not a nullable threshold: M001's column is NOT NULL, and rebuilding
-- labels would cascade-delete every tag.)
ALTER TABLE labels ADD COLUMN auto_threshold INTEGER NOT NULL DEFAULT 0;

-- Text-tower embeddings of label prompts, per model: re-tagging after a restart then
-- needs no model at all, and an edited label encodes only its new prompts.
CREATE TABLE text_embeddings (
    model TEXT NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text)
) WITHOUT ROWID;

-- Keywords last read from a photo's XMP sidecar, keyed by the sidecar's size and
-- mtime so an unchanged sidecar is not parsed again. `auto` lists the keywords
-- PhotoOrg itself wrote as automatic tags (not imported back as the user's).
CREATE TABLE sidecars (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    keywords TEXT NOT NULL DEFAULT '[]',
    auto TEXT NOT NULL DEFAULT '[]'
);

-- Change counters kept by triggers, so the in-memory copies of all embeddings and all
-- tags (what makes re-tagging fast) know exactly when they are stale, whoever wrote.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO counters(name, value) VALUES ('embeddings', 0);
CREATE TRIGGER embeddings_inserted AFTER INSERT ON embeddings
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'embeddings'; END;
CREATE TRIGGER embeddings_updated AFTER UPDATE ON embeddings
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'embeddings'; END;
CREATE TRIGGER embeddings_deleted AFTER DELETE ON embeddings
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'embeddings'; END;

INSERT INTO counters(name, value) VALUES ('tags', 0);
CREATE TRIGGER tags_inserted AFTER INSERT ON tags
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'tags'; END;
CREATE TRIGGER tags_updated AFTER UPDATE ON tags
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'tags'; END;
CREATE TRIGGER tags_deleted AFTER DELETE ON tags
BEGIN UPDATE counters SET value = value + 1 WHERE name = 'tags'; END;
"""

M004_EMBEDDING_PRECISION = """
-- The precision the image tower ran at for each vector (fp32, fp16, bf16, int8); NULL for
-- vectors made before it was recorded (fp32 on a CPU, fp16 on CUDA).
ALTER TABLE embeddings ADD COLUMN precision TEXT;
"""

# Each entry is one SQL script; the runner wraps it in a transaction with the
# user_version bump. Append new migrations; never edit a released one.
# Places and events (issue 14): each photo's place, events and their photos.
M003_PLACES = PLACES_SCHEMA + EVENTS_SCHEMA

M005_PHOTO_TEXT = """
-- The text read in a photo, one row per photo the text stage has looked at.
-- outcome 'read': recognised (lines may be empty: no text found);
-- outcome 'skipped': judged unlikely to hold text and not read (a later setting of
-- "read every photo" reads these too). `reader` names the engine and its models, so a
-- new recogniser can tell which rows it has not made.
CREATE TABLE photo_text (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    reader TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('read', 'skipped')),
    lines TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL DEFAULT '',
    squashed TEXT NOT NULL DEFAULT '',
    read_at TEXT NOT NULL
);
CREATE INDEX photo_text_outcome ON photo_text(outcome, reader);

-- Substring index over the squashed text (queries of 3+ characters); an external
-- content table, so the text is stored once, kept in step by the triggers below.
CREATE VIRTUAL TABLE photo_text_fts USING fts5(
    squashed, content='photo_text', content_rowid='photo_id', tokenize='trigram'
);
CREATE TRIGGER photo_text_ai AFTER INSERT ON photo_text BEGIN
    INSERT INTO photo_text_fts(rowid, squashed) VALUES (new.photo_id, new.squashed);
END;
CREATE TRIGGER photo_text_ad AFTER DELETE ON photo_text BEGIN
    INSERT INTO photo_text_fts(photo_text_fts, rowid, squashed)
    VALUES ('delete', old.photo_id, old.squashed);
END;
CREATE TRIGGER photo_text_au AFTER UPDATE OF squashed ON photo_text BEGIN
    INSERT INTO photo_text_fts(photo_text_fts, rowid, squashed)
    VALUES ('delete', old.photo_id, old.squashed);
    INSERT INTO photo_text_fts(rowid, squashed) VALUES (new.photo_id, new.squashed);
END;
"""

# People (issue 15): faces, people and the face stage's progress per photo.
M006_FACES = """
-- A person: a group of faces, named or not yet. Names are unique, ignoring case.
CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    name TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX people_name ON people(name COLLATE NOCASE) WHERE name IS NOT NULL;

-- One row per face found on a photo (or named in its XMP). The box is in upright pixels
-- of the original. `decision`: auto (PhotoOrg grouped it), confirmed (the user did; it
-- anchors its person through every regroup), not_face, ignored. A face follows its photo
-- through renames and moves because photo ids do.
CREATE TABLE faces (
    id INTEGER PRIMARY KEY,
    photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
    x INTEGER NOT NULL,
    y INTEGER NOT NULL,
    w INTEGER NOT NULL,
    h INTEGER NOT NULL,
    score REAL,
    descriptor BLOB,
    thumbnail BLOB,
    person_id INTEGER REFERENCES people(id) ON DELETE SET NULL,
    decision TEXT NOT NULL DEFAULT 'auto'
        CHECK (decision IN ('auto', 'confirmed', 'not_face', 'ignored'))
);
CREATE INDEX faces_photo ON faces(photo_id);
CREATE INDEX faces_person ON faces(person_id);

-- Photos the face stage has been through, and with which engine: a new engine, or new
-- pixels (the trigger), mean the photo is looked at again.
CREATE TABLE face_progress (
    photo_id INTEGER PRIMARY KEY REFERENCES photos(id) ON DELETE CASCADE,
    engine TEXT NOT NULL,
    faces INTEGER NOT NULL,
    error TEXT,
    at TEXT NOT NULL
);
CREATE TRIGGER photos_pixels_changed_faces AFTER UPDATE OF sha256 ON photos
WHEN OLD.sha256 <> NEW.sha256
BEGIN DELETE FROM face_progress WHERE photo_id = NEW.id; END;
"""


MIGRATIONS: list[str] = [
    M001_INITIAL,
    M002_TAGGING,
    M003_PLACES,
    M004_EMBEDDING_PRECISION,
    M005_PHOTO_TEXT,
    M006_FACES,
]
