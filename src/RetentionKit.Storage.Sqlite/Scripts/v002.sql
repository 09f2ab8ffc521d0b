-- Version 2: the daily run's partitions (RetentionKit.Hosting). One row per date, partition count and partition:
-- the instance holding its lease and until when (Unix ticks), and, once completed, its result as JSON.
CREATE TABLE run_partitions (
    day         INTEGER NOT NULL,
    partitions  INTEGER NOT NULL,
    partition   INTEGER NOT NULL,
    instance    TEXT    NOT NULL,
    lease_until INTEGER NOT NULL,
    result      TEXT    NULL,
    PRIMARY KEY (day, partitions, partition)
) WITHOUT ROWID;
