-- Runs resolved before resolutions were recorded were all resolved by a retry: say so, and
-- point at the attempt that carried the work on.
UPDATE runs SET
  resolution = 'retried',
  resolved_by_run = (SELECT r.id FROM runs r WHERE r.retry_of = runs.id ORDER BY r.created_at LIMIT 1),
  resolved_by = coalesce((SELECT r.started_by FROM runs r WHERE r.retry_of = runs.id ORDER BY r.created_at LIMIT 1), 'system')
WHERE resolved_at IS NOT NULL AND resolution IS NULL;
