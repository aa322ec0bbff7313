-- DuckDB answers the dedup stage's lookups (bucket IN a batch's keys, published BETWEEN two dates)
-- with hash joins and zone maps, never with these ART indexes, yet every insert loads the whole
-- index into memory: at 40,000 articles the bucket index cost 70 MB and 0.27 s per batch of 1,000,
-- growing with the corpus. Measured lookups are as fast without them.
DROP INDEX IF EXISTS dedup_bands_bucket;
DROP INDEX IF EXISTS dedup_signatures_published;
