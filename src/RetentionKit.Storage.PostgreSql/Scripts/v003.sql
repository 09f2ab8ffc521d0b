-- Version 3: feedback items (RetentionKit.Playbooks, SPEC B13) and badges (RetentionKit.Loyalty).
-- Feedback: one row per feedback id; the analysed item, its actions and its resolution live in the body. open and
-- next_due (the earliest pending action's day, days since 1970, null when none) serve the open and overdue queries.
CREATE TABLE __schema__.feedback (
    id          text    NOT NULL PRIMARY KEY,
    customer    text    NOT NULL,
    received    integer NOT NULL,
    open        boolean NOT NULL,
    next_due    integer NULL,
    body        jsonb   NOT NULL
);

CREATE INDEX feedback_by_received ON __schema__.feedback (received);
CREATE INDEX feedback_open ON __schema__.feedback (received) WHERE open;
CREATE INDEX feedback_by_due ON __schema__.feedback (next_due) WHERE next_due IS NOT NULL;

-- Badges (RetentionKit.Loyalty): one row per member and badge, so a badge is awarded once whatever is replayed.
-- awarded_at is Unix ticks and the nanoseconds left over, as the ledger's instants.
CREATE TABLE __schema__.badges (
    member      text    NOT NULL,
    badge       text    NOT NULL,
    awarded_at  bigint  NOT NULL,
    awarded_ns  integer NOT NULL,
    points      bigint  NOT NULL,
    PRIMARY KEY (member, badge)
);
