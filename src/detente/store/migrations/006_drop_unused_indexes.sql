-- ART indexes no query uses. DuckDB answers `x IN (SELECT unnest(?))` and date ranges with hash
-- joins and zone maps, never with these, yet every insert loads the whole index into memory: at
-- 40,000 articles the bucket index cost 70 MB and 0.27 s per dedup batch of 1,000, growing with
-- the corpus. Measured lookups are as fast without them. Nothing looks articles up by text hash.
DROP INDEX IF EXISTS dedup_bands_bucket;
DROP INDEX IF EXISTS dedup_signatures_published;
DROP INDEX IF EXISTS articles_hash;
