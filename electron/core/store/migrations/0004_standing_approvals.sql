CREATE TABLE `standing_approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`scope` text NOT NULL,
	`reason` text NOT NULL,
	`terms` text NOT NULL,
	`terms_text` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	`revoked_at` text,
	`revoked_by` text,
	`last_used_at` text,
	`uses` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX `standing_terms_idx` ON `standing_approvals` (`terms_text`);--> statement-breakpoint
CREATE INDEX `standing_scope_idx` ON `standing_approvals` (`scope`,`created_at`);