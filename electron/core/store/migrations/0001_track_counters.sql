-- Keeps the per-track counters on `tracks` in step with its steps, checkpoints, blockers and runs.
-- Each trigger recounts the one affected track (indexed by track_id), which stays cheap and cannot drift.
CREATE TRIGGER steps_counters_ai AFTER INSERT ON steps WHEN NEW.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    core_total = (SELECT count(*) FROM steps WHERE track_id = NEW.track_id AND core = 1 AND state != 'skipped'),
    core_done = (SELECT count(*) FROM steps WHERE track_id = NEW.track_id AND core = 1 AND state = 'done'),
    blocked_steps = (SELECT count(*) FROM steps WHERE track_id = NEW.track_id AND state = 'blocked')
  WHERE id = NEW.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER steps_counters_au AFTER UPDATE OF state, core, track_id ON steps BEGIN
  UPDATE tracks SET
    core_total = (SELECT count(*) FROM steps WHERE track_id = NEW.track_id AND core = 1 AND state != 'skipped'),
    core_done = (SELECT count(*) FROM steps WHERE track_id = NEW.track_id AND core = 1 AND state = 'done'),
    blocked_steps = (SELECT count(*) FROM steps WHERE track_id = NEW.track_id AND state = 'blocked')
  WHERE id = NEW.track_id;
  UPDATE tracks SET
    core_total = (SELECT count(*) FROM steps WHERE track_id = OLD.track_id AND core = 1 AND state != 'skipped'),
    core_done = (SELECT count(*) FROM steps WHERE track_id = OLD.track_id AND core = 1 AND state = 'done'),
    blocked_steps = (SELECT count(*) FROM steps WHERE track_id = OLD.track_id AND state = 'blocked')
  WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER steps_counters_ad AFTER DELETE ON steps WHEN OLD.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    core_total = (SELECT count(*) FROM steps WHERE track_id = OLD.track_id AND core = 1 AND state != 'skipped'),
    core_done = (SELECT count(*) FROM steps WHERE track_id = OLD.track_id AND core = 1 AND state = 'done'),
    blocked_steps = (SELECT count(*) FROM steps WHERE track_id = OLD.track_id AND state = 'blocked')
  WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER checkpoints_counters_ai AFTER INSERT ON checkpoints WHEN NEW.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    checkpoints_total = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id),
    checkpoints_passed = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id AND state = 'passed'),
    failed_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id AND state = 'failed'),
    waiting_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id AND state = 'waiting')
  WHERE id = NEW.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER checkpoints_counters_au AFTER UPDATE OF state, track_id ON checkpoints BEGIN
  UPDATE tracks SET
    checkpoints_total = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id),
    checkpoints_passed = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id AND state = 'passed'),
    failed_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id AND state = 'failed'),
    waiting_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = NEW.track_id AND state = 'waiting')
  WHERE id = NEW.track_id;
  UPDATE tracks SET
    checkpoints_total = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id),
    checkpoints_passed = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id AND state = 'passed'),
    failed_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id AND state = 'failed'),
    waiting_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id AND state = 'waiting')
  WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER checkpoints_counters_ad AFTER DELETE ON checkpoints WHEN OLD.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    checkpoints_total = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id),
    checkpoints_passed = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id AND state = 'passed'),
    failed_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id AND state = 'failed'),
    waiting_checkpoints = (SELECT count(*) FROM checkpoints WHERE track_id = OLD.track_id AND state = 'waiting')
  WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER blockers_counters_ai AFTER INSERT ON blockers WHEN NEW.track_id IS NOT NULL BEGIN
  UPDATE tracks SET open_blockers = (SELECT count(*) FROM blockers WHERE track_id = NEW.track_id AND open = 1) WHERE id = NEW.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER blockers_counters_au AFTER UPDATE OF open, track_id ON blockers BEGIN
  UPDATE tracks SET open_blockers = (SELECT count(*) FROM blockers WHERE track_id = NEW.track_id AND open = 1) WHERE id = NEW.track_id;
  UPDATE tracks SET open_blockers = (SELECT count(*) FROM blockers WHERE track_id = OLD.track_id AND open = 1) WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER blockers_counters_ad AFTER DELETE ON blockers WHEN OLD.track_id IS NOT NULL BEGIN
  UPDATE tracks SET open_blockers = (SELECT count(*) FROM blockers WHERE track_id = OLD.track_id AND open = 1) WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER runs_counters_ai AFTER INSERT ON runs WHEN NEW.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status = 'waiting-mfa'),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status = 'waiting-approval')
  WHERE id = NEW.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER runs_counters_au AFTER UPDATE OF status, resolved_at, track_id ON runs BEGIN
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status = 'waiting-mfa'),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status = 'waiting-approval')
  WHERE id = NEW.track_id;
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status = 'waiting-mfa'),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status = 'waiting-approval')
  WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER runs_counters_ad AFTER DELETE ON runs WHEN OLD.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status = 'waiting-mfa'),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status = 'waiting-approval')
  WHERE id = OLD.track_id;
END;
