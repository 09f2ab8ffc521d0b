-- Version 3: feedback items (RetentionKit.Playbooks, SPEC B13) and badges (RetentionKit.Loyalty).
-- Feedback: one row per feedback id; the analysed item, its actions and its resolution live in the body. open and
-- next_due (the earliest pending action's day, days since 1970, null when none) serve the open and overdue queries.
CREATE TABLE feedback (
    id          TEXT    NOT NULL PRIMARY KEY,
    customer    TEXT    NOT NULL,
    received    INTEGER NOT NULL,
    open        INTEGER NOT NULL,
    next_due    INTEGER NULL,
    body        TEXT    NOT NULL
) WITHOUT ROWID;

CREATE INDEX feedback_by_received ON feedback (received);
CREATE INDEX feedback_open ON feedback (open, received);
CREATE INDEX feedback_by_due ON feedback (next_due) WHERE next_due IS NOT NULL;

-- Badges (RetentionKit.Loyalty): one row per member and badge, so a badge is awarded once whatever is replayed.
-- awarded_at is Unix ticks and the nanoseconds left over, as the ledger's instants.
CREATE TABLE badges (
    member      TEXT    NOT NULL,
    badge       TEXT    NOT NULL,
    awarded_at  INTEGER NOT NULL,
    awarded_ns  INTEGER NOT NULL,
    points      INTEGER NOT NULL,
    PRIMARY KEY (member, badge)
) WITHOUT ROWID;
