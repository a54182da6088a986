-- Example analytics over parley_events / parley_messages (PostgreSQL). Each query is separated by a
-- line "-- name: <name>"; the connectors tests run every one of them against the rows the sink wrote.

-- name: messages_per_channel_per_day
-- Messages posted per channel and UTC day (deleted ones included: they were posted).
SELECT channel, CAST(ts AS DATE) AS day, COUNT(*) AS messages
FROM parley_events
WHERE kind = 'MESSAGE'
GROUP BY channel, CAST(ts AS DATE)
ORDER BY channel, day;

-- name: daily_active_users
-- Users who did something visible (posted, edited, deleted, reacted) per UTC day.
SELECT CAST(ts AS DATE) AS day, COUNT(DISTINCT user_id) AS active_users
FROM parley_events
WHERE kind IN ('MESSAGE', 'EDITED', 'DELETED', 'REACTION_ADDED', 'REACTION_REMOVED')
GROUP BY CAST(ts AS DATE)
ORDER BY day;

-- name: active_users_last_30_days
-- Distinct active users over the 30 days up to the newest event (use CURRENT_DATE in a live warehouse).
SELECT COUNT(DISTINCT user_id) AS active_users
FROM parley_events
WHERE kind IN ('MESSAGE', 'EDITED', 'DELETED', 'REACTION_ADDED', 'REACTION_REMOVED')
  AND ts > (SELECT MAX(ts) FROM parley_events) - INTERVAL '30 days';

-- name: p50_thread_length
-- Median thread length: replies per thread root, over messages that have at least one reply.
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY replies) AS p50_thread_length,
       COUNT(*) AS threads
FROM parley_messages
WHERE replies > 0;

-- name: edited_and_deleted_share
-- How many messages are edited or deleted, per channel.
SELECT channel,
       COUNT(*) AS messages,
       SUM(edited) AS edited,
       SUM(deleted) AS deleted
FROM parley_messages
GROUP BY channel
ORDER BY channel;
