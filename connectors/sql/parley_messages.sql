-- Current state of every message, derived from the raw event rows in parley_events (one row per event,
-- written by the Kafka Connect sink). Standard SQL (CTEs + window functions): PostgreSQL, MySQL 8,
-- SQL Server, Oracle, Db2. Re-run it after the sink added columns if you want them in the view.
--
--   text        the latest edit's text, else the posted text; NULL once the message is deleted
--   edited      1 when at least one EDITED event refers to the message, else 0
--   deleted     1 when a DELETED event refers to the message, else 0 (the raw MESSAGE/EDITED rows in
--               parley_events keep their text: see docs/analytics.md, "Deleted messages")
--   reactions   reactions added minus reactions removed
--   replies     messages whose thread_root is this message
CREATE OR REPLACE VIEW parley_messages AS
WITH edits AS (
    SELECT channel, target_seq, text, ts,
           ROW_NUMBER() OVER (PARTITION BY channel, target_seq ORDER BY seq DESC) AS newest_first
    FROM parley_events
    WHERE kind = 'EDITED'
),
deletions AS (
    SELECT channel, target_seq, MIN(ts) AS deleted_at
    FROM parley_events
    WHERE kind = 'DELETED'
    GROUP BY channel, target_seq
),
reactions AS (
    SELECT channel, target_seq,
           SUM(CASE WHEN kind = 'REACTION_ADDED' THEN 1 ELSE -1 END) AS reactions
    FROM parley_events
    WHERE kind IN ('REACTION_ADDED', 'REACTION_REMOVED')
    GROUP BY channel, target_seq
),
replies AS (
    SELECT channel, thread_root, COUNT(*) AS replies
    FROM parley_events
    WHERE kind = 'MESSAGE' AND thread_root IS NOT NULL
    GROUP BY channel, thread_root
)
SELECT m.channel,
       m.seq,
       m.message_id,
       m.user_id,
       m.thread_root,
       m.ts AS posted_at,
       CASE WHEN d.target_seq IS NOT NULL THEN NULL ELSE COALESCE(e.text, m.text) END AS text,
       CASE WHEN e.target_seq IS NOT NULL THEN 1 ELSE 0 END AS edited,
       e.ts AS edited_at,
       CASE WHEN d.target_seq IS NOT NULL THEN 1 ELSE 0 END AS deleted,
       d.deleted_at,
       COALESCE(r.reactions, 0) AS reactions,
       COALESCE(t.replies, 0) AS replies
FROM parley_events m
LEFT JOIN edits e ON e.channel = m.channel AND e.target_seq = m.seq AND e.newest_first = 1
LEFT JOIN deletions d ON d.channel = m.channel AND d.target_seq = m.seq
LEFT JOIN reactions r ON r.channel = m.channel AND r.target_seq = m.seq
LEFT JOIN replies t ON t.channel = m.channel AND t.thread_root = m.seq
WHERE m.kind = 'MESSAGE';
