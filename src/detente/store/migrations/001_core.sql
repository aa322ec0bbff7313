-- Core schema: articles, events, stories, duplicates, canonical events, stage bookkeeping.
CREATE TABLE articles (
    id VARCHAR PRIMARY KEY,
    url VARCHAR,
    source VARCHAR,
    title VARCHAR,
    published DATE,
    date_source VARCHAR,
    language VARCHAR,
    author VARCHAR,
    text VARCHAR NOT NULL,
    text_hash VARCHAR NOT NULL,
    chars INTEGER NOT NULL,
    origin VARCHAR,
    metadata JSON,
    version INTEGER NOT NULL DEFAULT 1,
    ingested_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX articles_hash ON articles (text_hash);

-- When an article id comes back with different content the new text replaces the old one in
-- `articles`, and the old version is kept here; derived rows (events, links) are recomputed.
CREATE TABLE article_versions (
    id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    title VARCHAR,
    text VARCHAR NOT NULL,
    text_hash VARCHAR NOT NULL,
    replaced_at TIMESTAMP NOT NULL,
    PRIMARY KEY (id, version)
);

-- Which documents a stage has processed, at which content hash and stage version: re-running
-- on the same input redoes nothing.
CREATE TABLE stage_marks (
    stage VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    text_hash VARCHAR NOT NULL,
    stage_version VARCHAR NOT NULL,
    done_at TIMESTAMP NOT NULL,
    PRIMARY KEY (stage, doc_id)
);

CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    sentence VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    mode VARCHAR,
    context VARCHAR[],
    quad INTEGER,
    score DOUBLE,
    cameo_root VARCHAR,
    trigger VARCHAR,
    source_text VARCHAR,
    source_code VARCHAR,
    source_sector VARCHAR,
    source_actor_id VARCHAR,
    source_name VARCHAR,
    source_role VARCHAR,
    source_confidence DOUBLE,
    target_text VARCHAR,
    target_code VARCHAR,
    target_sector VARCHAR,
    target_actor_id VARCHAR,
    target_name VARCHAR,
    target_role VARCHAR,
    target_confidence DOUBLE,
    event_date DATE,
    date_precision VARCHAR,
    modality VARCHAR,
    quantity BIGINT,
    quantity_text VARCHAR,
    confidence DOUBLE,
    group_id VARCHAR,
    response_cue VARCHAR,
    canonical_id VARCHAR
);
CREATE INDEX events_doc ON events (doc_id);

CREATE TABLE duplicates (
    doc_id VARCHAR PRIMARY KEY,
    duplicate_of VARCHAR NOT NULL,
    dup_kind VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL
);

CREATE TABLE stories (
    story_id VARCHAR PRIMARY KEY,
    title VARCHAR,
    first_date DATE,
    last_date DATE,
    main_actors VARCHAR[]
);

CREATE TABLE story_articles (
    doc_id VARCHAR PRIMARY KEY,
    story_id VARCHAR NOT NULL
);

CREATE TABLE canonical_events (
    canonical_id VARCHAR PRIMARY KEY,
    representative_event_id VARCHAR NOT NULL,
    event_type VARCHAR NOT NULL,
    source_code VARCHAR,
    target_code VARCHAR,
    event_date DATE,
    num_articles INTEGER NOT NULL,
    num_sources INTEGER NOT NULL,
    doc_ids VARCHAR[] NOT NULL,
    mention_ids VARCHAR[] NOT NULL
);
