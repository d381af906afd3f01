CREATE TABLE `schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`flow_id` text NOT NULL,
	`cron` text NOT NULL,
	`timezone` text NOT NULL,
	`params` text DEFAULT '{}' NOT NULL,
	`track_id` text,
	`step_id` text,
	`missed` text DEFAULT 'skip' NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`since` text NOT NULL,
	`last_slot_at` text,
	`last_run_id` text,
	`last_outcome` text,
	`last_error` text,
	FOREIGN KEY (`flow_id`) REFERENCES `flows`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`track_id`) REFERENCES `tracks`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`step_id`) REFERENCES `steps`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `schedules_flow_idx` ON `schedules` (`flow_id`);