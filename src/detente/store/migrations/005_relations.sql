-- Relations materialised by the relations stage for every unordered dyad, per month, and the
-- tit-for-tat links; `detente relations` recomputes any frequency on demand with the same formulas.
CREATE TABLE relation_points (
    actor_a VARCHAR NOT NULL,
    actor_b VARCHAR NOT NULL,
    freq VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    n_events INTEGER NOT NULL,
    counts JSON,
    quad_counts JSON,
    score_sum DOUBLE NOT NULL,
    score_mean DOUBLE NOT NULL,
    index_value DOUBLE NOT NULL,
    canonical_ids VARCHAR[],
    PRIMARY KEY (actor_a, actor_b, freq, period_start)
);

CREATE TABLE reciprocity_links (
    action_event_id VARCHAR NOT NULL,
    response_event_id VARCHAR NOT NULL,
    cue VARCHAR,
    confidence DOUBLE NOT NULL,
    chain_id VARCHAR NOT NULL,
    PRIMARY KEY (action_event_id, response_event_id)
);
