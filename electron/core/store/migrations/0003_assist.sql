ALTER TABLE `runs` ADD `on_failure` text;--> statement-breakpoint
-- waiting_mfa_runs counts every run a person must work on through the takeover view:
-- an MFA prompt, or a failed step waiting for assist.
DROP TRIGGER runs_counters_ai;--> statement-breakpoint
DROP TRIGGER runs_counters_au;--> statement-breakpoint
DROP TRIGGER runs_counters_ad;--> statement-breakpoint
CREATE TRIGGER runs_counters_ai AFTER INSERT ON runs WHEN NEW.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status IN ('waiting-mfa', 'waiting-assist')),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status = 'waiting-approval')
  WHERE id = NEW.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER runs_counters_au AFTER UPDATE OF status, resolved_at, track_id ON runs BEGIN
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status IN ('waiting-mfa', 'waiting-assist')),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = NEW.track_id AND status = 'waiting-approval')
  WHERE id = NEW.track_id;
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status IN ('waiting-mfa', 'waiting-assist')),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status = 'waiting-approval')
  WHERE id = OLD.track_id;
END;
--> statement-breakpoint
CREATE TRIGGER runs_counters_ad AFTER DELETE ON runs WHEN OLD.track_id IS NOT NULL BEGIN
  UPDATE tracks SET
    unresolved_failed_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status IN ('failed', 'blocked') AND resolved_at IS NULL),
    waiting_mfa_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status IN ('waiting-mfa', 'waiting-assist')),
    waiting_approval_runs = (SELECT count(*) FROM runs WHERE track_id = OLD.track_id AND status = 'waiting-approval')
  WHERE id = OLD.track_id;
END;
