-- Removes the text of deleted messages from the raw event rows: the MESSAGE row and every EDITED row of a
-- message that a DELETED event refers to get text = NULL and mentions = NULL. Standard SQL (PostgreSQL,
-- MySQL 8, SQL Server, Oracle, Db2).
--
-- The sink writes whatever the log holds, so a replay of the topic (or a late-arriving duplicate) brings the
-- text back: run this after every replay, on a schedule, or drop text altogether with the transform's
-- text.include=false (docs/analytics.md, "Deleted messages and privacy").
UPDATE parley_events
SET text = NULL, mentions = NULL
WHERE kind IN ('MESSAGE', 'EDITED')
  AND text IS NOT NULL
  AND EXISTS (
      SELECT 1 FROM parley_events d
      WHERE d.kind = 'DELETED'
        AND d.channel = parley_events.channel
        AND d.target_seq = CASE WHEN parley_events.kind = 'MESSAGE' THEN parley_events.seq ELSE parley_events.target_seq END);
