-- Version 3: feedback items (RetentionKit.Playbooks, SPEC B13). One row per feedback id; the analysed item, its
-- actions and its resolution live in the body. open and next_due (the earliest pending action's day, days since
-- 1970, null when none) serve the open and overdue queries.
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
