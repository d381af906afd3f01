CREATE TABLE `tokens` (
	`name` text PRIMARY KEY NOT NULL,
	`role` text NOT NULL,
	`hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_used_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash_unique` ON `tokens` (`hash`);--> statement-breakpoint
ALTER TABLE `approvals` ADD `context` text;--> statement-breakpoint
ALTER TABLE `approvals` ADD `deadline_at` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `started_by` text;