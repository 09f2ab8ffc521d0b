-- RetentionKit on SQLite, schema version 1: the loyalty ledger.
-- Every guarantee of the ledger store rests on a key of these tables, not on code paths:
--   one idempotency key per member          PRIMARY KEY (member, idempotency_key) of ledger_keys
--   dense sequences, one entry per position  PRIMARY KEY (member, sequence) of ledger_entries
--   append conditional on the version        ledger_members.version, read and advanced in one IMMEDIATE transaction
-- Instants are kept as 100 ns ticks since 1970 plus the nanoseconds left over (0-99), so every NodaTime instant fits.

CREATE TABLE ledger_members (
    member   TEXT    NOT NULL PRIMARY KEY,
    version  INTEGER NOT NULL CHECK (version >= 0)
) WITHOUT ROWID;

CREATE TABLE ledger_entries (
    member          TEXT    NOT NULL,
    sequence        INTEGER NOT NULL CHECK (sequence >= 1),
    idempotency_key TEXT    NOT NULL,
    kind            INTEGER NOT NULL,
    points          INTEGER NOT NULL,
    counterparty    INTEGER NOT NULL,
    at_ticks        INTEGER NOT NULL,
    at_nanos        INTEGER NOT NULL,
    expires_ticks   INTEGER NULL,
    expires_nanos   INTEGER NULL,
    allocations     TEXT    NULL,
    reverses        INTEGER NULL,
    shortfall       INTEGER NOT NULL,
    reason          TEXT    NOT NULL,
    reference       TEXT    NULL,
    PRIMARY KEY (member, sequence)
) WITHOUT ROWID;

CREATE TABLE ledger_keys (
    member          TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    kind            INTEGER NOT NULL,
    points          INTEGER NOT NULL,
    reverses        INTEGER NULL,
    reason          TEXT    NOT NULL,
    reference       TEXT    NULL,
    status          INTEGER NOT NULL,
    sequence        INTEGER NULL,
    PRIMARY KEY (member, idempotency_key)
) WITHOUT ROWID;

-- Referrals. One code per referrer and one referrer per code (RI-1): the primary key and the unique code; one referral
-- per referred customer (RI-5): the primary key. Updates are conditional on version. The record itself is JSON.
CREATE TABLE referrers (
    referrer TEXT    NOT NULL PRIMARY KEY,
    code     TEXT    NOT NULL UNIQUE,
    version  INTEGER NOT NULL CHECK (version >= 1),
    body     TEXT    NOT NULL
) WITHOUT ROWID;

CREATE TABLE referrals (
    referred TEXT    NOT NULL PRIMARY KEY,
    referrer TEXT    NOT NULL,
    code     TEXT    NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    body     TEXT    NOT NULL
) WITHOUT ROWID;

CREATE INDEX referrals_by_referrer ON referrals (referrer);

-- Playbook enrolments, upserted by id (customer/playbook/start date): the same trigger on the same day enrols once.
-- The steps delivered live in the record, so a delivery and its step record are written together (ST-2).
CREATE TABLE enrolments (
    customer    TEXT    NOT NULL,
    id          TEXT    NOT NULL,
    started_day INTEGER NOT NULL,
    playbook    TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    PRIMARY KEY (customer, id)
) WITHOUT ROWID;

-- Score history (S6): one record per customer and date, recording a date again replaces it. Dates are days since
-- 1970-01-01. Old rows are pruned with DELETE FROM score_history WHERE day < ... (see docs/storage.md).
CREATE TABLE score_history (
    customer     TEXT    NOT NULL,
    day          INTEGER NOT NULL,
    observed_day INTEGER NOT NULL,
    retention    REAL    NULL,
    band         INTEGER NULL,
    risk         REAL    NULL,
    level        INTEGER NOT NULL,
    probability  REAL    NULL,
    PRIMARY KEY (customer, day)
) WITHOUT ROWID;

-- Score overrides: one per customer.
CREATE TABLE score_overrides (
    customer        TEXT    NOT NULL PRIMARY KEY,
    retention       REAL    NULL,
    level           INTEGER NULL,
    reason          TEXT    NOT NULL,
    author          TEXT    NOT NULL,
    valid_until_day INTEGER NOT NULL
) WITHOUT ROWID;
