-- RetentionKit on PostgreSQL, schema version 1. Every object lives in one schema (__schema__, default retentionkit).
-- Every guarantee of the stores rests on a key of these tables, not on code paths:
--   one idempotency key per member           PRIMARY KEY (member, idempotency_key) of ledger_keys
--   dense sequences, one entry per position  PRIMARY KEY (member, sequence) of ledger_entries
--   append conditional on the version        ledger_members.version, locked FOR UPDATE in ledger_append's transaction
--   one code per referrer, one referrer per code, one referral per referred customer: primary keys and UNIQUE (code)
--   enrolments upserted by id; one score record per (customer, day); one override per customer: primary keys
-- Instants are 100 ns ticks since 1970 plus the nanoseconds left over (0-99), so every NodaTime instant fits.

CREATE TABLE __schema__.ledger_members (
    member   text   NOT NULL PRIMARY KEY,
    version  bigint NOT NULL CHECK (version >= 0)
);

CREATE TABLE __schema__.ledger_entries (
    member          text     NOT NULL,
    sequence        bigint   NOT NULL CHECK (sequence >= 1),
    idempotency_key text     NOT NULL,
    kind            smallint NOT NULL,
    points          bigint   NOT NULL,
    counterparty    smallint NOT NULL,
    at_ticks        bigint   NOT NULL,
    at_nanos        smallint NOT NULL,
    expires_ticks   bigint   NULL,
    expires_nanos   smallint NULL,
    allocations     text     NULL,
    reverses        bigint   NULL,
    shortfall       bigint   NOT NULL,
    reason          text     NOT NULL,
    reference       text     NULL,
    PRIMARY KEY (member, sequence)
);

CREATE TABLE __schema__.ledger_keys (
    member          text     NOT NULL,
    idempotency_key text     NOT NULL,
    kind            smallint NOT NULL,
    points          bigint   NOT NULL,
    reverses        bigint   NULL,
    reason          text     NOT NULL,
    reference       text     NULL,
    status          smallint NOT NULL,
    sequence        bigint   NULL,
    PRIMARY KEY (member, idempotency_key)
);

-- One append: the member's row locked first (so appends to one member queue here, across every instance), then the
-- key (a key already used wins over everything), then the version; the key, the entry and the new version are written
-- in the caller's transaction. Returns the outcome (0 appended, 1 key exists, 2 version conflict), the member's
-- version after the call and, for 1, what the key recorded.
CREATE FUNCTION __schema__.ledger_append(
    p_member text, p_expected bigint, p_key text,
    k_kind smallint, k_points bigint, k_reverses bigint, k_reason text, k_reference text, k_status smallint, k_sequence bigint,
    e_present boolean, e_kind smallint, e_points bigint, e_counterparty smallint, e_at_ticks bigint, e_at_nanos smallint,
    e_expires_ticks bigint, e_expires_nanos smallint, e_allocations text, e_reverses bigint, e_shortfall bigint, e_reason text, e_reference text)
RETURNS TABLE (outcome smallint, version bigint, kind smallint, points bigint, reverses bigint, reason text, reference text, status smallint, sequence bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v bigint;
    k __schema__.ledger_keys%ROWTYPE;
BEGIN
    SELECT m.version INTO v FROM __schema__.ledger_members m WHERE m.member = p_member FOR UPDATE;
    IF NOT FOUND THEN
        INSERT INTO __schema__.ledger_members AS m (member, version) VALUES (p_member, 0) ON CONFLICT (member) DO NOTHING;
        SELECT m.version INTO v FROM __schema__.ledger_members m WHERE m.member = p_member FOR UPDATE;
    END IF;

    SELECT * INTO k FROM __schema__.ledger_keys lk WHERE lk.member = p_member AND lk.idempotency_key = p_key;
    IF FOUND THEN
        RETURN QUERY SELECT 1::smallint, v, k.kind, k.points, k.reverses, k.reason, k.reference, k.status, k.sequence;
        RETURN;
    END IF;

    IF v <> p_expected THEN
        RETURN QUERY SELECT 2::smallint, v, NULL::smallint, NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::smallint, NULL::bigint;
        RETURN;
    END IF;

    INSERT INTO __schema__.ledger_keys (member, idempotency_key, kind, points, reverses, reason, reference, status, sequence)
    VALUES (p_member, p_key, k_kind, k_points, k_reverses, k_reason, k_reference, k_status, k_sequence);

    IF e_present THEN
        v := v + 1;
        INSERT INTO __schema__.ledger_entries (member, sequence, idempotency_key, kind, points, counterparty, at_ticks, at_nanos,
            expires_ticks, expires_nanos, allocations, reverses, shortfall, reason, reference)
        VALUES (p_member, v, p_key, e_kind, e_points, e_counterparty, e_at_ticks, e_at_nanos,
            e_expires_ticks, e_expires_nanos, e_allocations, e_reverses, e_shortfall, e_reason, e_reference);
        UPDATE __schema__.ledger_members m SET version = v WHERE m.member = p_member;
    END IF;

    RETURN QUERY SELECT 0::smallint, v, NULL::smallint, NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::smallint, NULL::bigint;
END;
$$;

-- Referrals. The records themselves are JSON beside their keys; updates are conditional on version.
CREATE TABLE __schema__.referrers (
    referrer text   NOT NULL PRIMARY KEY,
    code     text   NOT NULL UNIQUE,
    version  bigint NOT NULL CHECK (version >= 1),
    body     jsonb  NOT NULL
);

CREATE TABLE __schema__.referrals (
    referred text   NOT NULL PRIMARY KEY,
    referrer text   NOT NULL,
    code     text   NOT NULL,
    version  bigint NOT NULL CHECK (version >= 1),
    body     jsonb  NOT NULL
);

CREATE INDEX referrals_by_referrer ON __schema__.referrals (referrer);

-- Playbook enrolments, upserted by id (customer/playbook/start date); the steps delivered live in the record.
CREATE TABLE __schema__.enrolments (
    customer    text    NOT NULL,
    id          text    NOT NULL,
    started_day integer NOT NULL,
    playbook    text    NOT NULL,
    body        jsonb   NOT NULL,
    PRIMARY KEY (customer, id)
);

-- Score history (S6): one record per customer and day (days since 1970-01-01); recording a day again replaces it.
-- Pruned with DELETE FROM __schema__.score_history WHERE day < ... (see docs/storage.md).
CREATE TABLE __schema__.score_history (
    customer     text             NOT NULL,
    day          integer          NOT NULL,
    observed_day integer          NOT NULL,
    retention    double precision NULL,
    band         smallint         NULL,
    risk         double precision NULL,
    level        smallint         NOT NULL,
    probability  double precision NULL,
    PRIMARY KEY (customer, day)
);

-- Score overrides: one per customer.
CREATE TABLE __schema__.score_overrides (
    customer        text             NOT NULL PRIMARY KEY,
    retention       double precision NULL,
    level           smallint         NULL,
    reason          text             NOT NULL,
    author          text             NOT NULL,
    valid_until_day integer          NOT NULL
);
