-- Learned boilerplate: which short lines each article of a source contains, as 64-bit keys of the
-- normalised line. A line found in enough distinct articles (by content, so exact copies count
-- once) of one source is that source's template text. Rows are replaced whenever an article is
-- ingested again, so counts stay right across batches, runs and changed articles.
CREATE TABLE source_lines (
    source VARCHAR NOT NULL,
    line_key BIGINT NOT NULL,
    doc_id VARCHAR NOT NULL,
    doc_hash BIGINT NOT NULL
);
