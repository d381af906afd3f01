-- Runs from before these columns: fill them from what the events and flow snapshots recorded,
-- so recovery, the takeover and the queue read columns only.

-- The process group of a command run left mid-flight (the last process.started event).
UPDATE runs SET
  pid = json_extract(s.data, '$.pid'),
  pid_start_time = json_extract(s.data, '$.startTime'),
  pid_boot_id = json_extract(s.data, '$.bootId')
FROM (
  SELECT r.id AS run_id,
    (SELECT e.data FROM run_events e WHERE e.run_id = r.id AND e.type = 'process.started' ORDER BY e.seq DESC LIMIT 1) AS data
  FROM runs r
  WHERE r.kind = 'command' AND r.status IN ('running', 'waiting-mfa', 'waiting-approval', 'waiting-assist')
) AS s
WHERE s.run_id = runs.id AND s.data IS NOT NULL;
--> statement-breakpoint
-- A wait for a person: it began with the last mfa.detected or assist.requested event and lasts its timeoutMs.
UPDATE runs SET
  wait_started_at = s.ts,
  wait_deadline_at = CASE WHEN s.ms > 0
    THEN strftime('%Y-%m-%dT%H:%M:%fZ', (unixepoch(s.ts, 'subsec') * 1000 + s.ms) / 1000.0, 'unixepoch') END
FROM (
  SELECT r.id AS run_id, e.ts, CAST(json_extract(e.data, '$.timeoutMs') AS INTEGER) AS ms
  FROM runs r
  JOIN run_events e ON e.run_id = r.id AND e.seq = (
    SELECT max(x.seq) FROM run_events x WHERE x.run_id = r.id AND x.type IN ('mfa.detected', 'assist.requested'))
  WHERE r.status IN ('waiting-mfa', 'waiting-assist')
) AS s
WHERE s.run_id = runs.id;
--> statement-breakpoint
-- A wait for an approval: from its request to its deadline.
UPDATE runs SET wait_started_at = a.requested_at, wait_deadline_at = a.deadline_at
FROM approvals a
WHERE a.run_id = runs.id AND a.status = 'pending' AND runs.status = 'waiting-approval';
--> statement-breakpoint
-- A profile's check or login run names its profile in its params.
UPDATE runs SET profile = json_extract(params, '$.profile')
WHERE profile IS NULL AND kind IN ('check', 'login') AND json_extract(params, '$.profile') IS NOT NULL;
--> statement-breakpoint
-- A browser run uses the profile its flow snapshot names on a top-level `profile:` line
-- (plain or quoted, maybe with a comment); anything that is not a plain profile name is left out.
WITH RECURSIVE lines(id, line, rest) AS (
  SELECT id, '', replace(flow_source, char(13), '') || char(10) FROM runs
  WHERE profile IS NULL AND kind = 'browser' AND instr(flow_source, 'profile:') > 0
  UNION ALL
  SELECT id, substr(rest, 1, instr(rest, char(10)) - 1), substr(rest, instr(rest, char(10)) + 1) FROM lines WHERE rest <> ''
),
raw(id, v) AS (
  SELECT id, trim(CASE WHEN instr(substr(line, 9), ' #') > 0 THEN substr(substr(line, 9), 1, instr(substr(line, 9), ' #') - 1) ELSE substr(line, 9) END)
  FROM lines WHERE substr(line, 1, 8) = 'profile:'
),
named(id, v) AS (
  SELECT id, CASE WHEN (v LIKE '"%"' OR v LIKE '''%''') AND length(v) > 1 THEN substr(v, 2, length(v) - 2) ELSE v END FROM raw
)
UPDATE runs SET profile = named.v
FROM named
WHERE named.id = runs.id AND named.v <> '' AND length(named.v) <= 64
  AND named.v NOT GLOB '*[^A-Za-z0-9._-]*' AND substr(named.v, 1, 1) GLOB '[A-Za-z0-9]';
