-- Version 2: the daily run's partitions (RetentionKit.Hosting). One row per date, partition count and partition:
-- the instance holding its lease and until when (Unix ticks), and, once completed, its result as JSON.
CREATE TABLE __schema__.run_partitions (
    day         integer NOT NULL,
    partitions  integer NOT NULL,
    partition   integer NOT NULL,
    instance    text    NOT NULL,
    lease_until bigint  NOT NULL,
    result      jsonb   NULL,
    PRIMARY KEY (day, partitions, partition)
);
