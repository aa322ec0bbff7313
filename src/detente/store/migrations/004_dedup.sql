-- What the dedup stage keeps per article so a new batch joins existing duplicate groups and stories
-- without recomputing earlier articles: the MinHash signature and its LSH band keys, the lead's
-- embedding, and the facts (actors, numbers, dates, names) rewrites are compared on.
CREATE TABLE dedup_signatures (
    doc_id VARCHAR PRIMARY KEY,
    text_hash VARCHAR NOT NULL,
    published DATE,
    language VARCHAR,
    source VARCHAR,
    title VARCHAR,
    chars INTEGER NOT NULL,
    minhash BLOB NOT NULL,       -- num_perm little-endian uint32
    embedding BLOB,              -- 384 float16, unit length; NULL when not embedded (non-English)
    actors VARCHAR[],
    numbers VARCHAR[],
    dates VARCHAR[],
    names VARCHAR[],
    lead_numbers VARCHAR[],      -- facts of the title and lead only: what a rewrite must not contradict
    lead_dates VARCHAR[],
    lead_actor VARCHAR           -- the first actor the lead names
);
CREATE INDEX dedup_signatures_published ON dedup_signatures (published);

CREATE TABLE dedup_bands (
    bucket BIGINT NOT NULL,       -- hash of (band number, that band's rows of the signature)
    doc_id VARCHAR NOT NULL
);
CREATE INDEX dedup_bands_bucket ON dedup_bands (bucket);
